"""Hardening tests: crash safety, contention, migrations, bad input, fuzzing.

Tests marked ``slow`` (the 200-kill crash loop, the large fuzz budgets) are skipped unless the
run selects them with ``-m slow``, so the default run stays fast. Fuzz tests are
parametrized with ``BUDGETS``: a small fixed hypothesis budget (derandomized, so CI is
repeatable) in the default run and a large random one under ``-m slow``;
``PLANLEDGER_FUZZ=slow`` makes every budget large, ``PLANLEDGER_FUZZ_EXAMPLES=N`` sets it.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from desktop.domain.model import Actual, Nature
from desktop.store.workspace import Workspace
from tests.store.conftest import JOBS, make_plan

FUZZ_CI = 60
FUZZ_SLOW = 2000


def slow_selected(config: pytest.Config) -> bool:
    expr = config.getoption("markexpr", "") or ""
    return "slow" in expr and "not slow" not in expr


def fuzz_examples(large: bool = False) -> int:
    """The example budget of a fuzz test: ``PLANLEDGER_FUZZ_EXAMPLES`` or the fixed one."""
    if os.environ.get("PLANLEDGER_FUZZ_EXAMPLES"):
        return int(os.environ["PLANLEDGER_FUZZ_EXAMPLES"])
    return FUZZ_SLOW if large or os.environ.get("PLANLEDGER_FUZZ") == "slow" else FUZZ_CI


def fuzz_settings(budget: str = "ci", scale: float = 1.0) -> settings:
    """Hypothesis settings for a fuzz test run with ``budget`` "ci" (small, derandomized, so CI
    is repeatable) or "slow" (large, random); not a global profile: other suites keep theirs."""
    large = budget == "slow" or os.environ.get("PLANLEDGER_FUZZ") == "slow"
    return settings(max_examples=max(1, int(fuzz_examples(large) * scale)), deadline=None, derandomize=not large,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                          HealthCheck.data_too_large])


BUDGETS = [pytest.param("ci", id="ci"), pytest.param("slow", id="slow", marks=pytest.mark.slow)]
"""Parametrize a fuzz test with this: the small budget in the default run, the large one
under ``-m slow``."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``slow`` tests run only when asked for (``-m slow``)."""
    if slow_selected(config):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


@pytest.fixture
def plan():
    return make_plan()


@pytest.fixture
def empty_ws(tmp_path: Path, plan) -> Path:
    """A fresh workspace of the hand-made test plan with no values (closed)."""
    path = tmp_path / "台账.sqlite"
    Workspace.create(path, plan, [], user="测试").close()
    return path


@pytest.fixture
def ws_path(tmp_path: Path, plan) -> Path:
    """A fresh workspace with one value (城镇新增就业人数 2021 = 4.8), closed."""
    path = tmp_path / "新邵县.sqlite"
    Workspace.create(path, plan, [Actual(JOBS, 2021, Decimal("4.8"), Nature.ANNUAL)], user="测试").close()
    return path


def is_root_like(tmp_path: Path) -> bool:
    """True when permission bits do not stop this process (root): chmod tests can't run."""
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        return os.access(probe, os.W_OK)
    finally:
        probe.chmod(0o755)
        probe.rmdir()
