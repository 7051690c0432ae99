"""Validation of values and plans: problems are returned as values, never raised.

``check_value`` is what every way in (CLI ``set``, a grid cell, a paste, an import) calls
before a value is stored: an ERROR refuses the value, a WARNING keeps it and flags it.
``validate`` lists every problem of a whole workspace for the 审核 view and ``check``.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from .errors import Problem, Severity
from .model import Actual, Indicator, Kind, Plan

COUNT_UNITS = ("人", "万人", "人次", "万人次", "个", "所", "家", "件", "张", "万张", "名", "户", "项")
"""Units of things counted: a negative value is impossible."""

SHARE_WORDS = ("率", "比例", "比重", "占")
"""Name words of a share (a part of a whole in %): over 100 % is flagged, not refused,
because coverage rates over 100 % do occur (户籍 vs 常住 denominators)."""


def is_count(indicator: Indicator) -> bool:
    return indicator.unit in COUNT_UNITS or indicator.unit.endswith(("人", "人次", "个"))


def is_share(indicator: Indicator) -> bool:
    return (
        indicator.unit in ("%", "％")
        and indicator.kind is not Kind.GROWTH_RATE
        and "增长" not in indicator.name
        and any(w in indicator.name for w in SHARE_WORDS)
    )


def label(indicator: Indicator, year: int | None = None) -> str:
    """How a message names a cell: "2023年 城镇新增就业人数"."""
    return f"{year}年 {indicator.name}" if year is not None else indicator.name


def check_year(plan: Plan, year: int, indicator: Indicator | None = None) -> list[Problem]:
    if plan.start_year <= year <= plan.end_year:
        return []
    where = f"“{indicator.name}”" if indicator else ""
    return [
        Problem(
            Severity.ERROR,
            f"年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内{('：' + where) if where else ''}",
            indicator.code if indicator else None,
            year,
            "year",
        )
    ]


def check_value(plan: Plan, indicator: Indicator, year: int, value: Decimal | None) -> list[Problem]:
    """Problems of storing ``value`` for ``indicator`` in ``year`` (None = clearing the cell)."""
    problems = check_year(plan, year, indicator)
    if value is None:
        return problems
    if not value.is_finite():
        problems.append(Problem(Severity.ERROR, f"{label(indicator, year)}：数值必须是有限的数字", indicator.code, year, "value"))
        return problems
    if 0 <= value <= 100:  # the usual case: nothing to say (审核 checks every value on each edit)
        return problems
    where = label(indicator, year)
    if value < 0 and is_count(indicator):
        problems.append(
            Problem(
                Severity.ERROR,
                f"{where}：单位为“{indicator.unit}”的数量不能为负数（输入 {value}）",
                indicator.code,
                year,
                "value",
            )
        )
    if is_share(indicator):
        if value > 100:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"{where}：比率 {value}% 超过 100%，请核实口径并填写说明",
                    indicator.code,
                    year,
                    "value",
                )
            )
        if value < 0:
            problems.append(
                Problem(Severity.ERROR, f"{where}：比率不能为负数（输入 {value}%）", indicator.code, year, "value")
            )
    return problems


def _indicator_problems(plan: Plan, ind: Indicator, per: Mapping[int, Actual]) -> list[Problem]:
    problems: list[Problem] = []
    if not ind.name.strip():
        problems.append(Problem(Severity.ERROR, f"指标“{ind.code}”没有名称", ind.code, None, "name"))
    if ind.parent is not None and plan.indicator(ind.parent) is None:
        problems.append(
            Problem(Severity.ERROR, f"“{ind.name}”的上级指标“{ind.parent}”不存在", ind.code, None, "parent")
        )
    if ind.target.is_none and ind.kind is not Kind.QUALITATIVE:
        problems.append(Problem(Severity.WARNING, f"“{ind.name}”没有目标值", ind.code, None, "target"))
    for year, actual in sorted(per.items()):
        if ind.kind is Kind.QUALITATIVE and actual.value is None and actual.status:
            continue
        found = check_value(plan, ind, year, actual.value)
        if actual.note:
            # a flagged value that carries its 说明 is accepted; errors stay
            found = [p for p in found if p.severity is Severity.ERROR]
        problems.extend(found)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


_NO_VALUES: Mapping[int, Actual] = MappingProxyType({})
"""An indicator without values: one shared object, so a memo entry for it is reused."""

ValidationMemo = dict[str, tuple[Plan, Indicator, Mapping[int, Actual], list[Problem]]]
"""code → (plan, indicator, its values, their problems): lets the editor re-check only what an
edit touched (entries are reused only for the very same objects)."""


def validate(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], *,
             memo: ValidationMemo | None = None) -> list[Problem]:
    """Every problem of a workspace: definitions and stored values. Never raises."""
    problems: list[Problem] = []
    codes: set[str] = set()
    for ind in plan.indicators:
        if ind.code in codes:
            problems.append(Problem(Severity.ERROR, f"指标代码“{ind.code}”重复", ind.code, None, "code"))
        codes.add(ind.code)
        per = actuals.get(ind.code, _NO_VALUES)
        kept = memo.get(ind.code) if memo is not None else None
        if kept is not None and kept[0] is plan and kept[1] is ind and kept[2] is per:
            problems.extend(kept[3])
            continue
        found = _indicator_problems(plan, ind, per)
        if memo is not None:
            memo[ind.code] = (plan, ind, per, found)
        problems.extend(found)
    for code in actuals:
        if code not in codes:
            problems.append(Problem(Severity.ERROR, f"数值属于未知指标“{code}”", code, None, "code"))
    return problems
