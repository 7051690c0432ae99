"""Worked examples of the progress arithmetic (DESIGN §5) on 邵阳 专栏2 rows (2021–2025, base 2020).

Expected figures are computed by hand from whole values and compared exactly (Fraction) or to
30 digits where the quotient does not terminate, so a rounding slip cannot hide.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from desktop.domain.errors import ValueRefused
from desktop.domain.model import (
    Actual,
    Attribute,
    Comparator,
    Direction,
    Indicator,
    IndicatorCode,
    Kind,
    Nature,
    Plan,
    Target,
)
from desktop.domain.progress import (
    Settings,
    Status,
    assess,
    assess_plan,
    fraction,
    number_text,
    percent_text,
    time_progress,
)

B, E = 2020, 2025


def close(d: D | None, expected: F | int | str) -> bool:
    assert d is not None
    return abs(F(d) - F(expected)) < F(1, 10**30)


def ind(code: str, name: str, unit: str, target: Target, *, base: str | None = None,
        kind: Kind = Kind.LEVEL, attribute: Attribute = Attribute.EXPECTED,
        direction: Direction = Direction.HIGHER, **kw: object) -> Indicator:
    return Indicator(code=IndicatorCode(code), box="专栏2", name=name, unit=unit, target=target,
                     base=None if base is None else D(base), base_text=base or "-",
                     attribute=attribute, kind=kind, direction=direction, **kw)  # type: ignore[arg-type]


def acts(code: str, **values: str) -> dict[int, Actual]:
    """acts("x", y2021="4.8") → {2021: Actual(...)}."""
    return {int(k[1:]): Actual(IndicatorCode(code), int(k[1:]), D(v)) for k, v in values.items()}


def run(indicator: Indicator, actuals: dict[int, Actual], year: int, **kw: object):
    return assess(indicator, actuals, year, base_year=B, end_year=E, **kw)  # type: ignore[arg-type]


# 邵阳 专栏2 rows as Target(...) (notation.py is being written separately)
EMPLOYMENT = ind("sy-zl2-01", "城镇新增就业人数", "万人",
                 Target("[>23.5]", Comparator.GT, D("23.5"), cumulative=True),
                 base="4.72", kind=Kind.CUMULATIVE_SUM)
SURVEYED_UNEMPLOYMENT = ind("sy-zl2-02", "城镇调查失业率", "%",
                            Target("<5.5", Comparator.LT, D("5.5")), base="5.4",
                            kind=Kind.CEILING, direction=Direction.LOWER)
MIGRANT_TRAINING = ind("sy-zl2-05", "农民工参加职业培训人次", "万人次",
                       Target("[6]", Comparator.EQ, D("6"), cumulative=True), base="4.96",
                       kind=Kind.CUMULATIVE_SUM, parent=IndicatorCode("sy-zl2-04"))
PENSION_RATE = ind("sy-zl2-06", "基本养老保险参保率", "%", Target("≥91", Comparator.GE, D("91")),
                   base="81.0")
UNEMPLOYMENT_INSURANCE = ind("sy-zl2-07", "失业保险参保人数", "万人", Target("34", Comparator.EQ, D("34")),
                            base="33.04", attribute=Attribute.BINDING)
ANNUITY_FUND = ind("sy-zl2-09", "补充养老保险基金规模", "亿元", Target(">81.34", Comparator.GT, D("81.34")))
HIGH_SKILL = ind("sy-rc-01", "高技能人才总量", "万人", Target("3", Comparator.EQ, D("3")), base="1.96")


# --- time progress -------------------------------------------------------------------------


@pytest.mark.parametrize("year, t", [(2021, "0.2"), (2022, "0.4"), (2023, "0.6"), (2025, "1")])
def test_time_progress(year: int, t: str) -> None:
    assert time_progress(year, B, E) == D(t)


def test_report_year_outside_the_plan_is_refused() -> None:
    with pytest.raises(ValueRefused):
        run(EMPLOYMENT, {}, 2020)
    with pytest.raises(ValueRefused):
        run(EMPLOYMENT, {}, 2026)


def test_assessment_carries_time_progress_of_the_report_year() -> None:
    a = run(EMPLOYMENT, acts("sy-zl2-01", y2021="4.8"), 2021)
    assert a.time_progress == D("0.2")
    assert run(EMPLOYMENT, acts("sy-zl2-01", y2021="4.8"), 2025).time_progress == 1


# --- cumulative sum: 城镇新增就业人数 [>23.5] ------------------------------------------------


def test_employment_cumulative_sum_2023() -> None:
    a = run(EMPLOYMENT, acts("sy-zl2-01", y2021="4.8", y2022="5.0", y2023="5.2"), 2023)
    assert a.current == 15 and a.current_year == 2023
    assert close(a.completion, F(15) / F("23.5"))  # 0.63829787…
    assert a.completion_ratio == a.completion
    assert a.time_progress == D("0.6")
    assert a.status is Status.ON_TRACK  # 0.638 within 0.6 ± 0.05
    assert a.met is False and not a.behind and not a.needs_reason
    assert a.basis == "2021—2023年累计完成 15 ÷ 目标 23.5 = 63.8%"
    p = a.projection
    # flows 4.8, 5.0, 5.2 → 5.4, 5.6 → 15 + 11 = 26.0 ≥ 23.5
    assert p.value_at_end == 26 and p.verdict == "预计可完成"
    assert p.pace_so_far == 5 and p.pace_needed == D("4.25")  # (23.5 − 15) / 2


def test_employment_ignores_base_year_and_later_years() -> None:
    values = acts("sy-zl2-01", y2020="4.72", y2021="4.8", y2022="5.0", y2023="5.2", y2024="9")
    a = run(EMPLOYMENT, values, 2023)
    assert a.current == 15


def test_employment_missing_year_is_not_a_zero_but_noted() -> None:
    a = run(EMPLOYMENT, acts("sy-zl2-01", y2021="4.8", y2023="5.2"), 2023)
    assert a.current == 10 and a.missing_years == (2022,)
    assert "缺2022年数据" in a.basis


def test_employment_at_end_gt_is_strict() -> None:
    five = dict(y2021="4.8", y2022="5.0", y2023="5.2", y2024="4.5")
    exactly = run(EMPLOYMENT, acts("sy-zl2-01", **five, y2025="4.0"), 2025)  # Σ = 23.5
    assert exactly.completion == 1 and exactly.met is False
    assert exactly.status is Status.UNFINISHED  # ">23.5" is not reached by 23.5
    more = run(EMPLOYMENT, acts("sy-zl2-01", **five, y2025="5.0"), 2025)  # Σ = 24.5
    assert more.status is Status.EXCEEDED
    assert more.projection.reason == "已到规划期末" and more.projection.verdict == ""


def test_migrant_training_cumulative_sum() -> None:
    a = run(MIGRANT_TRAINING, acts("sy-zl2-05", y2021="1.1", y2022="1.3"), 2022)
    assert close(a.completion, F("2.4") / 6)  # 0.4 = t
    assert a.status is Status.ON_TRACK
    # flows 1.1, 1.3 → 1.5, 1.7, 1.9 → 2.4 + 5.1 = 7.5
    assert a.projection.value_at_end == D("7.5") and a.projection.verdict == "预计可完成"
    assert a.projection.pace_needed == D("1.2")  # (6 − 2.4) / 3
    done = run(MIGRANT_TRAINING, acts("sy-zl2-05", y2021="1.1", y2022="1.3", y2023="1.2",
                                      y2024="1.2", y2025="1.2"), 2025)
    assert done.current == 6 and done.status is Status.COMPLETED  # "[6]" reached exactly


# --- ceiling: 城镇调查失业率 <5.5 ---------------------------------------------------------------


def test_unemployment_ceiling_met_every_year() -> None:
    a = run(SURVEYED_UNEMPLOYMENT, acts("sy-zl2-02", y2021="5.2", y2022="5.4", y2023="5.3"), 2023)
    assert a.status is Status.MET and a.met is True
    assert a.completion is None and a.completion_ratio is None  # no percentage invented
    assert a.current == D("5.3")
    # trend 5.2, 5.4, 5.3 → slope 0.05 → 5.45 in 2025, under 5.5
    assert a.projection.value_at_end == D("5.45") and a.projection.verdict == "预计可完成"


def test_unemployment_ceiling_one_year_over_fails() -> None:
    a = run(SURVEYED_UNEMPLOYMENT, acts("sy-zl2-02", y2021="5.2", y2022="5.6", y2023="5.3"), 2023)
    assert a.status is Status.NOT_MET and a.met is False and a.behind
    assert "2022年超出控制值 5.5" in a.basis
    assert a.projection.verdict == "预计难以完成"


def test_ceiling_is_inclusive_as_design_says() -> None:
    """DESIGN §5: a ceiling is met when actual ≤ target, whether written <5.5 or 5.5以内."""
    a = run(SURVEYED_UNEMPLOYMENT, acts("sy-zl2-02", y2021="5.5"), 2021)
    assert a.status is Status.MET and a.met is True


def test_ceiling_keeps_met_vocabulary_at_end() -> None:
    values = acts("sy-zl2-02", y2021="5.2", y2022="5.4", y2023="5.3", y2024="5.0", y2025="5.1")
    assert run(SURVEYED_UNEMPLOYMENT, values, 2025).status is Status.MET


# --- level: 失业保险参保人数 33.04 → 34 (约束性) ---------------------------------------------------


@pytest.mark.parametrize("value, completion, status", [
    ("33.5", F("0.46") / F("0.96"), Status.LAGGING),  # 0.4791666…
    ("33.65", F("0.61") / F("0.96"), Status.ON_TRACK),  # 0.6354166…
    ("34.1", F("1.06") / F("0.96"), Status.AHEAD),
])
def test_unemployment_insurance_2023(value: str, completion: F, status: Status) -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2023=value), 2023)
    assert close(a.completion, completion)
    assert close(a.completion_ratio, F(value) / 34)
    assert a.status is status
    assert a.needs_reason is (status is Status.LAGGING)
    assert a.behind is (status is Status.LAGGING)


def test_unemployment_insurance_lagging_asks_for_reason() -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2023="33.5"), 2023)
    assert a.status is Status.LAGGING and a.behind and a.needs_reason
    assert a.basis == "(2023年 33.5 − 基期 33.04) ÷ (目标 34 − 基期 33.04) = 47.9%"


@pytest.mark.parametrize("value, status", [
    ("34.0", Status.COMPLETED), ("34.2", Status.EXCEEDED), ("33.9", Status.UNFINISHED),
])
def test_unemployment_insurance_at_end(value: str, status: Status) -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2025=value), 2025)
    assert a.status is status
    assert a.needs_reason is (status is Status.UNFINISHED)


def test_unemployment_insurance_projection_short() -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2021="33.2", y2022="33.3", y2023="33.4"), 2023)
    p = a.projection
    assert p.value_at_end == D("33.6") and p.verdict == "预计难以完成"
    assert p.pace_needed == D("0.3")  # (34 − 33.4) / 2
    assert p.pace_so_far == D("0.12")  # (33.4 − 33.04) / 3


def test_one_year_is_not_projected() -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2021="33.2"), 2021)
    assert a.projection.verdict == "" and a.projection.reason == "仅有一年数据，不作预测"
    assert a.projection.pace_needed == D("0.2")  # (34 − 33.2) / 4, still useful


def test_latest_value_used_when_report_year_missing() -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2022="33.8"), 2023)
    assert a.current_year == 2022 and a.current == D("33.8")
    assert "2023年无数据，采用2022年数值" in a.notes


def test_high_skill_level() -> None:
    a = run(HIGH_SKILL, acts("sy-rc-01", y2023="2.6"), 2023)
    assert close(a.completion, F("0.64") / F("1.04"))  # 0.615384…
    assert close(a.completion_ratio, F("2.6") / 3)
    assert a.status is Status.ON_TRACK


def test_pension_rate_ge() -> None:
    a = run(PENSION_RATE, acts("sy-zl2-06", y2023="87"), 2023)
    assert a.completion == D("0.6") and a.status is Status.ON_TRACK  # (87 − 81) / (91 − 81)
    assert a.met is False
    assert run(PENSION_RATE, acts("sy-zl2-06", y2025="91"), 2025).status is Status.COMPLETED
    assert run(PENSION_RATE, acts("sy-zl2-06", y2025="91.5"), 2025).status is Status.EXCEEDED
    assert run(PENSION_RATE, acts("sy-zl2-06", y2024="91"), 2024).status is Status.AHEAD


def test_annuity_fund_without_base_uses_ratio() -> None:
    a = run(ANNUITY_FUND, acts("sy-zl2-09", y2023="60"), 2023)
    assert close(a.completion, F(60) / F("81.34"))  # 0.7376…
    assert a.completion == a.completion_ratio
    assert a.status is Status.FASTER  # > 0.65
    assert a.basis == "2023年 60 ÷ 目标 81.34 = 73.8%"


def test_falling_level() -> None:
    rate = ind("x-01", "某比率", "%", Target("4.5", Comparator.EQ, D("4.5")), base="5.4",
               direction=Direction.LOWER)
    a = run(rate, acts("x-01", y2023="5.0"), 2023)
    assert close(a.completion, F("0.4") / F("0.9"))  # (5.4 − 5.0) / (5.4 − 4.5) = 0.444…
    assert close(a.completion_ratio, F("5.0") / F("4.5"))
    assert a.status is Status.LAGGING
    assert run(rate, acts("x-01", y2023="4.4"), 2023).status is Status.AHEAD
    assert run(rate, acts("x-01", y2025="4.5"), 2025).status is Status.COMPLETED


def test_lower_level_without_base_is_a_ceiling() -> None:
    rate = ind("x-02", "某比率", "%", Target("≤4.5", Comparator.LE, D("4.5")),
               direction=Direction.LOWER)
    assert run(rate, acts("x-02", y2023="4.5"), 2023).status is Status.MET
    assert run(rate, acts("x-02", y2023="4.6"), 2023).status is Status.NOT_MET


# --- band boundaries and the band setting ------------------------------------------------------


@pytest.mark.parametrize("value, status", [
    ("15.5", Status.ON_TRACK),  # exactly t − band = 0.55: inclusive
    ("15.4", Status.LAGGING),
    ("16.5", Status.ON_TRACK),  # exactly t + band = 0.65: inclusive
    ("16.6", Status.FASTER),
])
def test_band_boundaries_are_inclusive(value: str, status: Status) -> None:
    x = ind("x-03", "某指标", "个", Target("20", Comparator.EQ, D("20")), base="10")
    assert run(x, acts("x-03", y2023=value), 2023).status is status


def test_band_setting_changes_lagging_to_on_track() -> None:
    values = acts("sy-zl2-07", y2023="33.55")  # (33.55 − 33.04) / 0.96 = 0.53125
    assert run(UNEMPLOYMENT_INSURANCE, values, 2023).status is Status.LAGGING
    wide = run(UNEMPLOYMENT_INSURANCE, values, 2023, settings=Settings(band=D("0.10")))
    assert wide.status is Status.ON_TRACK and not wide.needs_reason


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueRefused):
        Settings(band=D("-0.1"))
    assert Settings(band="0.1").band == D("0.1")  # type: ignore[arg-type]


def test_binding_is_never_softer_than_expected() -> None:
    severity = {Status.LAGGING: 0, Status.UNFINISHED: 0, Status.NOT_MET: 0, Status.ON_TRACK: 1,
                Status.MET: 1, Status.COMPLETED: 2, Status.FASTER: 2, Status.AHEAD: 3,
                Status.EXCEEDED: 3}
    expected = replace(UNEMPLOYMENT_INSURANCE, attribute=Attribute.EXPECTED)
    for year in range(2021, 2026):
        for value in ("32.9", "33.04", "33.3", "33.5", "33.55", "33.65", "33.9", "34", "34.3"):
            values = acts("sy-zl2-07", **{f"y{year}": value})
            for settings in (Settings(), Settings(band=D("0.1"))):
                hard = run(UNEMPLOYMENT_INSURANCE, values, year, settings=settings)
                soft = run(expected, values, year, settings=settings)
                assert severity[hard.status] <= severity[soft.status]
                assert hard.status is soft.status and hard.basis == soft.basis
                assert hard.needs_reason is hard.behind
                assert soft.needs_reason is False


# --- cumulative change, band, growth, qualitative, no data ---------------------------------------


def test_cumulative_change_life_expectancy() -> None:
    life = ind("x-04", "人均预期寿命", "岁", Target("[1]", Comparator.EQ, D("1"), cumulative=True),
               base="77.5", kind=Kind.CUMULATIVE_CHANGE)
    a = run(life, acts("x-04", y2021="77.7", y2023="78.1"), 2023)
    assert a.completion == D("0.6") and a.status is Status.ON_TRACK  # (78.1 − 77.5) / 1
    falling = ind("x-05", "某能耗", "吨", Target("[2]", Comparator.EQ, D("2"), cumulative=True),
                  base="10", kind=Kind.CUMULATIVE_CHANGE, direction=Direction.LOWER)
    b = run(falling, acts("x-05", y2023="9"), 2023)
    assert b.completion == D("0.5") and b.status is Status.LAGGING  # (10 − 9) / 2


@pytest.mark.parametrize("value, status", [("31", Status.MET), ("31.5", Status.MET),
                                           ("32", Status.NOT_MET), ("28", Status.NOT_MET)])
def test_band_30_around(value: str, status: Status) -> None:
    band = ind("x-06", "某比重", "%", Target("30%左右", Comparator.APPROX, D("30"), approximate=True),
               kind=Kind.BAND)
    a = run(band, acts("x-06", y2023=value), 2023)  # 30 ± 1.5
    assert a.status is status and a.completion is None


def test_band_own_tolerance_and_interval() -> None:
    band = ind("x-07", "某比重", "%", Target("30左右", Comparator.APPROX, D("30")), kind=Kind.BAND,
               tolerance=D("0.1"))
    assert run(band, acts("x-07", y2023="32"), 2023).status is Status.MET  # 30 ± 3
    interval = ind("x-08", "某增速", "%", Target("4-6", Comparator.RANGE, D("4"), upper=D("6")),
                   kind=Kind.BAND)
    assert run(interval, acts("x-08", y2023="6"), 2023).status is Status.MET
    assert run(interval, acts("x-08", y2023="6.1"), 2023).status is Status.NOT_MET


GROWTH = ind("x-09", "某收入年均增长", "%", Target("6以上", Comparator.GE, D("6")), kind=Kind.GROWTH_RATE)
GROWTH_RATIO = F(D("0.063498942171547249160578638970304848431")) / F("0.06")  # √(1.065·1.062) − 1


def test_growth_from_yearly_rates() -> None:
    a = run(GROWTH, acts("x-09", y2021="6.5", y2022="6.2"), 2022)
    assert abs(F(a.rate) - F("0.063498942171547249160578638970304848431")) < F(1, 10**35)
    assert abs(F(a.completion) - GROWTH_RATIO) < F(1, 10**30)  # 1.0583…
    assert a.status is Status.FASTER  # > 1 + 0.05, never 提前实现 before the end
    assert a.basis == "2021—2022年年均增长 6.35% ÷ 目标 6% = 105.8%"
    slow = run(GROWTH, acts("x-09", y2021="5.5", y2022="5.6"), 2022)
    assert slow.status is Status.LAGGING  # ≈ 0.925
    near = run(GROWTH, acts("x-09", y2021="6.1", y2022="6.2"), 2022)
    assert near.status is Status.ON_TRACK  # ≈ 1.025


def test_growth_from_levels_matches_rates() -> None:
    levels = replace(GROWTH, unit="亿元", base=D("100"))
    a = run(levels, acts("x-09", y2021="106.5", y2022="113.103"), 2022)  # 100·1.065·1.062
    assert abs(F(a.completion) - GROWTH_RATIO) < F(1, 10**30)
    assert a.status is Status.FASTER
    p = a.projection
    # log-linear trend: ×1.062 a year → 113.103 · 1.062³ = 135.4714174077840 in 2025,
    # (1.354714…)^(1/5) − 1 = 6.26% ≥ 6%
    assert abs(F(p.value_at_end) - F("113.103") * F("1.062") ** 3) < F(1, 10**30)
    assert p.verdict == "预计可完成"
    # pace needed: (100 · 1.06⁵ / 113.103)^(1/3) − 1 = (133.82255776 / 113.103)^(1/3) − 1 ≈ 0.05767
    assert abs(F(p.pace_needed) - F("0.05767")) < F(1, 10**5)
    assert p.pace_so_far == a.rate


def test_growth_at_end() -> None:
    a = run(GROWTH, acts("x-09", y2021="6", y2022="6", y2023="6", y2024="6", y2025="6"), 2025)
    assert a.status is Status.COMPLETED
    b = run(GROWTH, acts("x-09", y2021="6", y2022="6", y2023="6", y2024="6", y2025="5"), 2025)
    assert b.status is Status.UNFINISHED


def test_qualitative_hand_set_status() -> None:
    q = ind("x-10", "社保卡覆盖", "", Target("基本覆盖", qualitative=True), kind=Kind.QUALITATIVE)
    set_ = {2023: Actual(IndicatorCode("x-10"), 2023, None, status="基本符合")}
    a = run(q, set_, 2023)
    assert a.status is Status.ON_TRACK and a.projection.reason == "定性指标不作预测"
    odd = {2023: Actual(IndicatorCode("x-10"), 2023, None, status="差不多")}
    assert run(q, odd, 2023).status is Status.PENDING
    assert run(q, {}, 2023).status is Status.NO_DATA
    lag = {2022: Actual(IndicatorCode("x-10"), 2022, None, status="滞后")}
    assert run(replace(q, attribute=Attribute.BINDING), lag, 2023).needs_reason


def test_no_actuals_is_no_data_not_zero() -> None:
    for indicator in (EMPLOYMENT, SURVEYED_UNEMPLOYMENT, UNEMPLOYMENT_INSURANCE, GROWTH):
        a = run(indicator, {}, 2023)
        assert a.status is Status.NO_DATA
        assert a.completion is None and a.current is None and a.met is None
        assert not a.behind and not a.needs_reason


def test_target_without_number_is_pending() -> None:
    training = ind("sy-zl2-04", "开展各类职业培训人次", "万人次", Target("—"), base="7.8")
    assert run(training, acts("sy-zl2-04", y2023="8"), 2023).status is Status.PENDING


def test_estimate_base_and_quick_figures_are_noted() -> None:
    x = replace(UNEMPLOYMENT_INSURANCE, base_label="2020年预计")
    values = {2023: Actual(IndicatorCode("sy-zl2-07"), 2023, D("33.65"), nature=Nature.QUICK)}
    a = run(x, values, 2023)
    assert a.nature_used is Nature.QUICK
    assert "2023年数值为快报数" in a.notes and "基期值为2020年预计数，可能修订" in a.notes


# --- plan-level and presentation ----------------------------------------------------------------


def test_assess_plan_in_printed_order() -> None:
    plan = Plan(title="邵阳", region_code="430500", region_name="邵阳市",
                indicators=(EMPLOYMENT, SURVEYED_UNEMPLOYMENT, UNEMPLOYMENT_INSURANCE))
    result = assess_plan(plan, {"sy-zl2-01": acts("sy-zl2-01", y2021="4.8")}, 2021)
    assert list(result) == ["sy-zl2-01", "sy-zl2-02", "sy-zl2-07"]
    assert result["sy-zl2-01"].status is Status.ON_TRACK  # 4.8 / 23.5 = 0.204… vs t = 0.2
    assert result["sy-zl2-07"].status is Status.NO_DATA


def test_presentation_helpers() -> None:
    assert percent_text(D(15) / D("23.5")) == "63.8%"
    assert percent_text(None) == "—"
    assert percent_text(D("0.0005")) == "0.1%"  # half-up
    assert fraction(D("0.63829787")) == 0.6383
    assert fraction(None) is None
    assert number_text(D("15.0")) == "15" and number_text(D("33.04")) == "33.04"
    assert Status.LAGGING.behind and Status.NOT_MET.behind and Status.UNFINISHED.behind
    assert not Status.ON_TRACK.behind and not Status.NO_DATA.behind


def test_pace_needed_is_zero_once_reached_and_signed_for_falling_levels() -> None:
    a = run(UNEMPLOYMENT_INSURANCE, acts("sy-zl2-07", y2021="33.9", y2022="34.2"), 2022)
    assert a.status is Status.AHEAD and a.projection.pace_needed == 0
    rate = ind("x-11", "某比率", "%", Target("4.5", Comparator.EQ, D("4.5")), base="5.4",
               direction=Direction.LOWER)
    b = run(rate, acts("x-11", y2021="5.3", y2023="5.1"), 2023)
    assert b.projection.pace_so_far == D("-0.1")  # (5.1 − 5.4) / 3
    assert b.projection.pace_needed == D("-0.3")  # (4.5 − 5.1) / 2
    # trend −0.1 a year → 4.9 in 2025, above 4.5
    assert b.projection.value_at_end == D("4.9") and b.projection.verdict == "预计难以完成"


def test_figures_are_decimal_and_json_ready() -> None:
    import json

    a = run(EMPLOYMENT, acts("sy-zl2-01", y2021="4.8", y2022="5.0", y2023="5.2"), 2023)
    for value in (a.time_progress, a.current, a.completion, a.projection.value_at_end,
                  a.projection.pace_needed):
        assert isinstance(value, D)
    data = json.loads(json.dumps(a.as_dict(), ensure_ascii=False))
    assert data["completion"] == 0.6383 and data["status"] == "基本符合"
    assert data["projection"]["verdict"] == "预计可完成"


def test_a_running_total_is_never_projected_to_fall() -> None:
    """Yearly amounts 10, 4, 1 trend below 0 by 2024: the total of people trained can only
    stay, never shrink (a GUI review saw 预计2025年累计 -594.5 next to 提前实现)."""
    from decimal import Decimal

    from desktop.domain.projection import project_sum

    flows = [(2021, Decimal(10)), (2022, Decimal(4)), (2023, Decimal(1))]
    p = project_sum(flows, 2025, lambda total: total >= 15)
    assert p.value_at_end == Decimal(15)  # 10 + 4 + 1, and 0 for 2024 and 2025
    assert p.likely is True and p.method.endswith("（趋势降到 0 以下的年份按 0 计）")
    rising = project_sum([(2021, Decimal(1)), (2022, Decimal(2))], 2025, lambda total: total >= 15)
    assert rising.value_at_end == Decimal(15) and "按 0 计" not in rising.method  # 1 + 2, then 3 + 4 + 5
