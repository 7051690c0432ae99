"""Finding an indicator by code, name or part of its name."""
from __future__ import annotations

import pytest

from desktop.domain.errors import Ambiguous, NotFound
from desktop.domain.lookup import resolve_indicator
from tests.store.conftest import JOBS, REEMPLOYED, UNEMPLOYMENT, make_plan

PLAN = make_plan()


@pytest.mark.parametrize(
    "text, code",
    [
        ("t-zl2-01", JOBS),
        ("T-ZL2-01", JOBS),
        ("城镇新增就业人数", JOBS),
        (" 城镇新增 就业人数 ", JOBS),
        ("新增就业", JOBS),
        ("再就业", REEMPLOYED),
        ("失业率", UNEMPLOYMENT),
    ],
)
def test_resolves(text, code):
    assert resolve_indicator(PLAN, text).code == code


def test_ambiguous_lists_candidates():
    with pytest.raises(Ambiguous) as ambiguous:
        resolve_indicator(PLAN, "就业")
    assert ambiguous.value.message == (
        "“就业”对应多个指标：城镇新增就业人数（t-zl2-01）、失业人员再就业人数（t-zl2-02）"
    )
    assert ambiguous.value.candidates == [JOBS, REEMPLOYED]


def test_unknown():
    with pytest.raises(NotFound, match="没有名为“xyz”的指标"):
        resolve_indicator(PLAN, "xyz")
