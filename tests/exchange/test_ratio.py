"""A 比率 indicator consolidates as Σ numerator / Σ denominator — never as an average of rates.

The 邵阳 plan as a city would hand it down with 基本养老保险参保率 defined as a ratio of two
summed indicators (实际参保人数 / 应参保人数). Two counties: 40/50 = 80 % and 9/10 = 90 %.
The city's rate is 49/60 = 81.6667 %, not the mean 85 %.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import DENOMINATOR_KEY, NUMERATOR_KEY, Indicator, IndicatorCode, Plan, Rule, Target
from desktop.exchange import consolidate, export_submission, import_submissions
from desktop.store import actions
from desktop.store.create import plan_for
from desktop.store.definitions import update_indicator
from desktop.store.workspace import Workspace

RATE, INSURED, ELIGIBLE = "sy-zl2-06", "sy-zl2-06n", "sy-zl2-06d"
COUNTIES = {"430522": ("新邵县", "40", "50", "80"), "430523": ("邵阳县", "9", "10", "90")}


def ratio_plan(code: str, name: str, *, parts: bool = True) -> Plan:
    plan, _ = plan_for("sy-zl2", code, name)
    rate = plan.indicator(RATE)
    assert rate is not None and rate.unit == "%"
    extra = ((NUMERATOR_KEY, INSURED), (DENOMINATOR_KEY, ELIGIBLE)) if parts else ()
    rate = replace(rate, rule=Rule.RATIO, extra=rate.extra + extra)
    extras = [Indicator(IndicatorCode(c), rate.box, n, "万人", Target(""), section=rate.section, parent=rate.code)
              for c, n in ((INSURED, "基本养老保险实际参保人数"), (ELIGIBLE, "基本养老保险应参保人数"))]
    inds: list[Indicator] = []
    for ind in plan.indicators:
        inds.append(rate if ind.code == RATE else ind)
        if ind.code == RATE:
            inds += extras
    return replace(plan, indicators=tuple(inds))


def _city(tmp_path: Path, *, parts: bool = True) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for code, (name, insured, eligible, rate) in COUNTIES.items():
        with Workspace.create(tmp_path / f"{code}.sqlite", ratio_plan(code, name, parts=parts), []) as ws:
            actions.set_actual(ws, INSURED, 2023, Decimal(insured))
            actions.set_actual(ws, ELIGIBLE, 2023, Decimal(eligible))
            actions.set_actual(ws, RATE, 2023, Decimal(rate))
            export_submission(ws, 2023, inbox)
    city = tmp_path / "city.sqlite"
    Workspace.create(city, ratio_plan("430500", "邵阳市", parts=parts), []).close()
    with Workspace.open(city) as ws:
        report = import_submissions(ws, [inbox])
    assert [i.status for i in report.items] == ["imported", "imported"]
    return city


def test_ratio_is_sum_over_sum_not_the_mean_of_rates(tmp_path: Path) -> None:
    with Workspace.open(_city(tmp_path)) as ws:
        result = consolidate(ws, 2023)
    rows = {r.code: r for r in result.indicators}
    assert rows[INSURED].value == Decimal("49") and rows[ELIGIBLE].value == Decimal("60")
    assert rows[RATE].rule is Rule.RATIO
    assert rows[RATE].value == Decimal("81.6667")  # 49 / 60 × 100, not (80 + 90) / 2
    assert rows[RATE].status != "不可汇总" and rows[RATE].assessment is not None
    assert sorted((r.name, r.value) for r in rows[RATE].regions) == [("新邵县", Decimal("80")), ("邵阳县", Decimal("90"))]


def test_ratio_without_parts_is_listed_per_region_with_a_warning(tmp_path: Path) -> None:
    with Workspace.open(_city(tmp_path, parts=False)) as ws:
        result = consolidate(ws, 2023)
    rate = next(r for r in result.indicators if r.code == RATE)
    assert rate.value is None and rate.status == "不可汇总"
    assert any("基本养老保险参保率" in w and "分子、分母" in w for w in result.warnings)


def test_parts_are_chosen_through_the_definition_edit(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    Workspace.create(path, ratio_plan("430522", "新邵县", parts=False), []).close()
    with Workspace.open(path) as ws:
        change = update_indicator(ws, RATE, numerator=INSURED, denominator=ELIGIBLE)
        assert change.label == "修改指标 基本养老保险参保率 的比率分子指标、比率分母指标"
        assert ws.plan().indicator(RATE).ratio_parts == (INSURED, ELIGIBLE)
        with pytest.raises(Exception, match="同一个指标"):
            update_indicator(ws, RATE, numerator=ELIGIBLE)
        with pytest.raises(Exception, match="单位是“%”"):
            update_indicator(ws, RATE, numerator="sy-zl2-02")
        update_indicator(ws, RATE, numerator="", denominator="")
        assert ws.plan().indicator(RATE).ratio_parts is None
