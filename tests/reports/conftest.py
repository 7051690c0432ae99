"""Workspaces for the report tests: real templates (邵阳 专栏2, 浙江 表2, 吉林 专栏1–5) with
values for 2021–2023, plus plans built from them (a 120-indicator one, odd names)."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.errors import PlanLedgerError
from desktop.domain.model import IndicatorCode, Plan
from desktop.store import actions
from desktop.store.create import new_workspace

YEARS = (2021, 2022, 2023)


def _workspace(folder: Path, template: str, *, values: bool = True):
    ws = new_workspace(str(folder / f"{template}.sqlite"), template=template, region_code="430522", region_name="新邵县")
    if values:
        for k, ind in enumerate(ws.plan().indicators):
            base = ind.base if ind.base is not None else Decimal(10)
            for year in YEARS:
                try:
                    actions.set_actual(ws, ind.code, year, base + Decimal(year - 2020) * Decimal("0.5") + Decimal(k % 3))
                except PlanLedgerError:  # a qualitative item, a refused value: left without
                    pass
    return ws


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def sy_zl2(tmp_path_factory):
    return _workspace(tmp_path_factory.mktemp("sy"), "sy-zl2")


@pytest.fixture(scope="session")
def zj_t2(tmp_path_factory):
    return _workspace(tmp_path_factory.mktemp("zj"), "zj-t2")


@pytest.fixture(scope="session")
def jl_zl3(tmp_path_factory):
    return _workspace(tmp_path_factory.mktemp("jl"), "jl-zl3")


@pytest.fixture(scope="session")
def sy_zl2_empty(tmp_path_factory):
    """The 邵阳 plan with no actual values at all."""
    return _workspace(tmp_path_factory.mktemp("sy-empty"), "sy-zl2", values=False)


def renamed(plan: Plan, names: dict[str, str]) -> Plan:
    """The plan with some indicators renamed (code → new name)."""
    return dataclasses.replace(
        plan, indicators=tuple(dataclasses.replace(i, name=names.get(i.code, i.name)) for i in plan.indicators)
    )


def long_plan(plan: Plan, count: int = 120) -> Plan:
    """``count`` indicators made from the plan's first one (no 其中 rows), every third with a
    name long enough to wrap onto several lines; names are unique and none contains another."""
    first = next(i for i in plan.indicators if i.parent is None and i.base is not None)
    indicators = []
    for n in range(1, count + 1):
        name = f"测试指标第{n:03d}项" + ("用于检验长表分页与跨页重复表头的指标名称，名称很长，要在单元格内折成好几行才能印完" if n % 3 == 0 else "")
        indicators.append(
            dataclasses.replace(first, code=IndicatorCode(f"long-{n:03d}"), name=name, seq=str(n), parent=None)
        )
    return dataclasses.replace(plan, indicators=tuple(indicators))
