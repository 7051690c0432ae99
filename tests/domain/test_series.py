"""The charts' series, checked against points computed by hand on 邵阳 专栏2 rows (2021–2025,
base 2020) with 2021–2023 values, and the bad inputs of issue 6."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from desktop.domain.model import (Actual, Attribute, Box, Comparator, Direction, Indicator, IndicatorCode, Kind,
                                  Plan, Rule, Target)
from desktop.domain.progress import Status
from desktop.domain.series import (TONES, comparison_series, indicator_series, overview_series, tone)

B, E = 2020, 2025


def ind(code: str, name: str, unit: str, target: Target, *, base: str | None = None, **kw: object) -> Indicator:
    return Indicator(code=IndicatorCode(code), box="专栏2", name=name, unit=unit, target=target,
                     base=None if base is None else D(base), base_text=base or "-", **kw)  # type: ignore[arg-type]


def acts(code: str, *values: str, first: int = 2021) -> dict[int, Actual]:
    return {first + i: Actual(IndicatorCode(code), first + i, D(v)) for i, v in enumerate(values)}


def series(indicator: Indicator, actuals: dict[int, Actual], year: int = 2023):
    return indicator_series(indicator, actuals, year, base_year=B, end_year=E)


def pairs(points) -> list[tuple[int, F]]:  # noqa: ANN001
    return [(y, F(v)) for y, v in points]


JOBS = ind("sy-zl2-01", "城镇新增就业人数", "万人", Target("[>23.5]", Comparator.GT, D("23.5"), cumulative=True),
           base="4.72", kind=Kind.CUMULATIVE_SUM)
INSURED = ind("sy-zl2-07", "失业保险参保人数", "万人", Target("34", Comparator.EQ, D("34")), base="33.04",
              attribute=Attribute.BINDING)
FUND = ind("sy-zl2-09", "补充养老保险基金规模", "亿元", Target(">81.34", Comparator.GT, D("81.34")))
UNEMPLOYMENT = ind("sy-zl2-02", "城镇调查失业率", "%", Target("<5.5", Comparator.LT, D("5.5")), base="5.4",
                   kind=Kind.CEILING, direction=Direction.LOWER)


def test_cumulative_sum_running_totals_schedule_and_projection() -> None:
    s = series(JOBS, acts("sy-zl2-01", "4.8", "5.0", "5.2"))
    assert [(p.year, F(p.value)) for p in s.values] == [(2021, F("4.8")), (2022, F(5)), (2023, F("5.2"))]
    assert [(p.year, F(p.value)) for p in s.running] == [(2021, F("4.8")), (2022, F("9.8")), (2023, F(15))]
    # on schedule: 0 → 23.5 by time progress (20 % a year)
    assert pairs(s.schedule) == [(2020, F(0)), (2021, F("4.7")), (2022, F("9.4")), (2023, F("14.1")),
                                 (2024, F("18.8")), (2025, F("23.5"))]
    # trend of the flows 4.8, 5.0, 5.2 → 5.4, 5.6: 15 + 11 = 26 by 2025, from the running total
    assert pairs(s.projection) == [(2023, F(15)), (2025, F(26))]
    assert s.projection_text == "预计可完成：预计2025年累计 26万人"
    assert s.status is Status.ON_TRACK and F(s.target) == F("23.5") and s.target_label == "目标 [>23.5]"
    assert s.value_axis == "累计 / 当年（万人）" and not s.ceiling and s.message == ""
    # hover: year, value and the status that year had (2021: 4.8 ÷ 23.5 = 20.4 % vs 20 % → 基本符合)
    assert s.running[0].text == "2021年：累计 4.8万人（当年 4.8万人）· 基本符合"
    assert s.running[2].text.endswith("· 基本符合") and "累计 15万人" in s.running[2].text


def test_level_schedule_from_base_and_linear_projection() -> None:
    s = series(INSURED, acts("sy-zl2-07", "33.2", "33.4", "33.5"))
    assert pairs(s.schedule) == [(2020, F("33.04")), (2021, F("33.232")), (2022, F("33.424")),
                                 (2023, F("33.616")), (2024, F("33.808")), (2025, F(34))]
    # least squares through (2021, 33.2), (2022, 33.4), (2023, 33.5): slope 0.15, mean 33.3667
    (y0, v0), (y1, v1) = s.projection
    assert (y0, F(v0), y1) == (2023, F("33.5"), 2025)
    assert abs(F(v1) - F(10145, 300)) < F(1, 10**30)
    assert s.status is Status.LAGGING and s.attribute is Attribute.BINDING
    assert s.projection_text.startswith("预计难以完成：预计2025年 33.8167")
    assert s.values[-1].text == "2023年：33.5万人 · 滞后"
    assert s.status_text == "2023年评估结论：滞后（约束性指标，须说明原因）"


def test_level_without_base_is_judged_from_zero() -> None:
    s = series(FUND, acts("sy-zl2-09", "40", "52", "60"))
    assert pairs(s.schedule)[3] == (2023, F("48.804"))  # 81.34 × 60 %
    assert s.status is Status.FASTER  # 60 ÷ 81.34 = 73.8 %


def test_ceiling_marks_years_above_it_and_draws_no_schedule() -> None:
    s = series(UNEMPLOYMENT, acts("sy-zl2-02", "5.2", "5.6", "5.3"))
    assert s.ceiling and F(s.target) == F("5.5") and s.target_label == "控制值 5.5"
    assert [p.over for p in s.values] == [False, True, False]
    assert s.schedule == () and s.projection == ()
    assert s.status is Status.NOT_MET
    assert s.projection_text == "预计难以完成（已有年份超出控制值，规划期考核不能达标）"
    assert "超出控制值" in s.values[1].text


def test_ceiling_exactly_at_the_line_is_not_over() -> None:
    s = series(UNEMPLOYMENT, acts("sy-zl2-02", "5.5", "5.4"))
    assert [p.over for p in s.values] == [False, False]


def test_falling_level_path_goes_down_to_the_target() -> None:
    falling = ind("x-fall", "某比率", "%", Target("4.5", Comparator.EQ, D("4.5")), base="5.4",
                  direction=Direction.LOWER)
    s = series(falling, acts("x-fall", "5.3", "5.1", "5.0"))
    assert pairs(s.schedule)[3] == (2023, F("4.86"))  # 5.4 − 0.9 × 60 %
    assert pairs(s.schedule)[-1] == (2025, F("4.5")) and not s.ceiling


def test_cumulative_change_path_ends_at_base_plus_target() -> None:
    life = ind("x-life", "人均预期寿命", "岁", Target("[1]", Comparator.EQ, D(1), cumulative=True), base="77.5",
               kind=Kind.CUMULATIVE_CHANGE)
    s = series(life, acts("x-life", "77.7", "77.9", "78.1"))
    assert F(s.target) == F("78.5") and s.target_label == "目标 78.5（[1]）"
    assert pairs(s.schedule)[3] == (2023, F("78.1"))
    assert s.status is Status.ON_TRACK


def test_no_actuals_is_an_empty_chart_that_says_so() -> None:
    s = series(INSURED, {})
    assert s.empty and s.message == "无数据" and s.status is Status.NO_DATA
    assert s.projection == () and s.running == ()
    assert s.schedule  # the path is still there to read against


def test_one_value_draws_no_projection_and_says_why() -> None:
    s = series(INSURED, acts("sy-zl2-07", "33.3"))
    assert len(s.values) == 1 and s.projection == ()
    assert s.message == s.projection_text == "仅有一年数据，不作预测"


def test_qualitative_has_no_numeric_chart_only_its_status() -> None:
    q = ind("x-q", "法定人员全覆盖", "", Target("法定人员全覆盖", qualitative=True), kind=Kind.QUALITATIVE)
    s = series(q, {2023: Actual(IndicatorCode("x-q"), 2023, None, status="基本符合")})
    assert not s.numeric and s.values == () and s.status is Status.ON_TRACK
    assert "定性指标" in s.message and "基本符合" in s.message


@pytest.mark.parametrize(("base", "expected_2023"), [("0", F(6)), ("-2", F(26, 5))])
def test_zero_and_negative_bases(base: str, expected_2023: F) -> None:
    level = ind("x-b", "某指标", "个", Target("10", Comparator.EQ, D(10)), base=base)
    s = series(level, acts("x-b", "2", "4", "6"))
    assert pairs(s.schedule)[0] == (2020, F(base)) and pairs(s.schedule)[3] == (2023, expected_2023)
    assert pairs(s.projection) == [(2023, F(6)), (2025, F(10))]


def test_target_equal_to_base_uses_the_plain_ratio_path() -> None:
    flat = ind("x-eq", "某指标", "万人", Target("34", Comparator.EQ, D(34)), base="34")
    s = series(flat, acts("x-eq", "34.1", "34.2", "34.3"))
    # completion is actual ÷ target when the base already equals the target: on schedule = 34 × t
    assert pairs(s.schedule)[3] == (2023, F("20.4"))
    assert s.status is Status.AHEAD


def test_later_years_do_not_leak_into_an_earlier_report() -> None:
    s = series(JOBS, acts("sy-zl2-01", "4.8", "5.0", "5.2", "5.4"), year=2022)
    assert [p.year for p in s.values] == [2021, 2022] and F(s.running[-1].value) == F("9.8")


def _plan() -> Plan:
    return Plan("规划", "430522", "新邵县", boxes=(Box("专栏2", "主要指标"),),
                indicators=(JOBS, UNEMPLOYMENT, INSURED, FUND))


def test_overview_bars_follow_the_progress_table() -> None:
    values = {"sy-zl2-01": acts("sy-zl2-01", "4.8", "5.0", "5.2"), "sy-zl2-02": acts("sy-zl2-02", "5.2", "5.3"),
              "sy-zl2-07": acts("sy-zl2-07", "33.2", "33.4", "33.5")}
    o = overview_series(_plan(), values, 2023)
    assert F(o.time_progress) == F(3, 5) and o.time_progress_text == "序时进度 60.0%"
    assert [b.code for b in o.bars] == ["sy-zl2-01", "sy-zl2-02", "sy-zl2-07", "sy-zl2-09"]
    jobs, ceiling, insured, fund = o.bars
    assert abs(F(jobs.completion) - F(15) / F("23.5")) < F(1, 10**30) and jobs.completion_text == "63.8%"
    assert ceiling.completion is None and ceiling.status is Status.MET and ceiling.tone == "good"
    assert insured.binding and insured.status is Status.LAGGING and insured.tone == "behind"
    assert abs(F(insured.completion) - F("0.46") / F("0.96")) < F(1, 10**30)
    assert fund.status is Status.NO_DATA and fund.completion is None and fund.tone == "none"
    assert "63.8%" in jobs.text and "约束性" in insured.text
    assert o.title == "新邵县2023年各指标完成进度（序时进度 60.0%）"


def test_every_status_has_a_colour() -> None:
    assert {tone(s) for s in Status} <= set(TONES)


@dataclass(frozen=True)
class _Region:
    code: str
    name: str
    value: D | None


@dataclass(frozen=True)
class _Item:
    code: str
    name: str
    unit: str
    rule: Rule
    value: D | None
    status: str
    regions: tuple[_Region, ...]


REGIONS = (_Region("430522", "新邵县", D("5.2")), _Region("430521", "邵东市", D("7.9")),
           _Region("430524", "隆回县", None), _Region("430523", "邵阳县", D("4.4")))


def test_comparison_sorted_best_first_with_blanks_last() -> None:
    item = _Item("sy-zl2-01", "城镇新增就业人数", "万人", Rule.SUM, D("17.5"), "基本符合", REGIONS)
    s = comparison_series(item, 2023, region_name="邵阳市", missing=["武冈市"])
    assert [b.name for b in s.bars] == ["邵东市", "新邵县", "邵阳县", "隆回县"]
    assert s.bars[-1].value is None and s.bars[-1].text == "隆回县：未报"
    assert not s.line and s.consolidated_text == "邵阳市合计 17.5万人（3 个地区之和）"
    assert s.missing == ("武冈市",) and s.message == "" and s.title == "城镇新增就业人数（万人） 2023年分地区对比"


def test_comparison_of_a_lower_is_better_rate_with_a_max_rule() -> None:
    item = _Item("sy-zl2-02", "城镇调查失业率", "%", Rule.MAX, D("7.9"), "", REGIONS)
    s = comparison_series(item, 2023, direction=Direction.LOWER)
    assert [b.name for b in s.bars] == ["邵阳县", "新邵县", "邵东市", "隆回县"]
    assert s.line and "取最大" in s.consolidated_text


def test_comparison_not_summable_and_empty() -> None:
    item = _Item("x", "参保率", "%", Rule.NOT_SUMMABLE, None, "不可汇总", REGIONS)
    s = comparison_series(item, 2023, region_name="邵阳市")
    assert s.consolidated is None and not s.line and "不可汇总" in s.consolidated_text
    empty = comparison_series(replace(item, regions=()), 2023)
    assert empty.bars == () and empty.message.startswith("无数据")


SHARE = ind("x-06", "某比重", "%", Target("30%左右", Comparator.APPROX, D("30"), approximate=True), base="28",
            kind=Kind.BAND)


def test_band_draws_its_interval_and_marks_years_outside_it() -> None:
    # 30 ± 5 % of 30 = 28.5～31.5 (the progress module's default tolerance)
    s = series(SHARE, acts("x-06", "28", "29.5", "31.5"))
    assert s.band == (D("28.5"), D("31.5"))
    assert s.target_label == "目标 30%左右（28.5～31.5）"
    assert [p.over for p in s.values] == [True, False, False]  # 31.5: the upper end is inside
    assert "超出目标区间" in s.values[0].text and "超出" not in s.values[2].text
    assert s.schedule == ()
    interval = replace(SHARE, target=Target("29~32", Comparator.RANGE, D("29"), upper=D("32")))
    assert series(interval, acts("x-06", "28")).band == (D("29"), D("32"))
    assert series(UNEMPLOYMENT, acts("sy-zl2-02", "5.2")).band is None
