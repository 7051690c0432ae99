"""Combining regions' values into the values of the region above them (pure; no I/O).

Per indicator, by its rule (``Indicator.rule``):

- ``sum``: the sum of the regions' values, year by year (cumulative indicators too: each year
  is summed, then the progress module accumulates as for a county);
- ``min`` / ``max``: the smallest / largest region value (standards, 底线);
- ``ratio``: Σ numerator / Σ denominator (× 100 for %, × 1000 for ‰), the numerator and
  denominator being two summed indicators of the plan named in the ratio's definition
  (``Indicator.ratio_parts``). Without them a ratio keeps its rule but is **不可汇总**: listed
  per region, with a warning (rates are never averaged);
- ``weighted_mean``: no weights are defined either → 不可汇总, listed per region;
- ``not_summable``, qualitative indicators: listed per region.

A % (or ‰) indicator whose rule is the default ``sum`` is treated as not summable, with a
warning: summing rates is never right, so the rule is most likely missing.

``ConsolidatedValues`` holds code → year → Decimal and the per-region detail behind each
figure; ``actuals()`` turns it into the ``Actual`` mapping ``assess_plan`` reads, so the city's
progress comes from the same progress module as a county's.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from desktop.domain.model import Actual, Indicator, IndicatorCode, Kind, Nature, Plan, Rule

PERCENT_UNITS = ("%", "％", "‰", "百分点")
ADDITIVE = (Rule.SUM, Rule.MIN, Rule.MAX)
_WEAKEST = (Nature.ESTIMATE, Nature.QUICK, Nature.ANNUAL)


@dataclass(frozen=True)
class RegionValues:
    """One region's submitted values: code → year → (value, nature, status)."""

    code: str
    name: str
    values: Mapping[str, Mapping[int, tuple[Decimal | None, Nature, str]]]
    version: int = 1
    fingerprint: str = ""


class RegionValue(NamedTuple):
    """One region's figure for one indicator and year (a tuple: millions are made)."""

    code: str
    name: str
    value: Decimal | None
    nature: Nature | None = None
    status: str = ""


@dataclass
class ConsolidatedValues:
    """code → year → Decimal, with the regions behind every figure."""

    values: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    natures: dict[str, dict[int, Nature]] = field(default_factory=dict)
    regions: dict[str, dict[int, list[RegionValue]]] = field(default_factory=dict)
    counts: dict[str, dict[int, int]] = field(default_factory=dict)
    missing: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    """code → year → the regions that submitted but gave no number: the figure is partial."""

    def value(self, code: str, year: int) -> Decimal | None:
        return self.values.get(code, {}).get(year)

    def source(self, code: str, year: int) -> str:
        """How a figure was made, kept with it when written (a partial sum says so)."""
        lacking = self.missing.get(code, {}).get(year)
        text = f"汇总：{self.counts[code][year]} 个地区"
        if lacking:
            text += f"，缺 {'、'.join(lacking[:10])}{f'等 {len(lacking)} 个地区' if len(lacking) > 10 else ''}（不完整）"
        return text

    def actuals(self) -> dict[str, dict[int, Actual]]:
        return {
            code: {y: Actual(IndicatorCode(code), y, v, self.natures[code][y], source=self.source(code, y))
                   for y, v in per.items()}
            for code, per in self.values.items()
        }


def effective_rule(ind: Indicator) -> tuple[Rule, str | None]:
    """The rule used and, when it differs from the definition, why (a warning)."""
    if ind.kind is Kind.QUALITATIVE or ind.target.qualitative:
        return Rule.NOT_SUMMABLE, None
    if ind.rule is Rule.SUM and ind.unit.strip() in PERCENT_UNITS:
        return Rule.NOT_SUMMABLE, (
            f"“{ind.name}”单位为“{ind.unit}”，汇总规则为求和：百分比不能相加，已按不可汇总处理（分地区列示）；"
            "如是比率，请在编辑指标中把汇总规则设为比率并选择分子、分母指标"
        )
    if ind.rule is Rule.RATIO:
        if ind.ratio_parts is None:
            return Rule.RATIO, (
                f"“{ind.name}”的汇总规则是比率，但没有设定分子、分母指标：比率不能相加或平均，"
                "已按不可汇总处理（分地区列示）；请在编辑指标中选择分子、分母指标"
            )
        return Rule.RATIO, None
    return ind.rule, None


def ratio_scale(ind: Indicator) -> Decimal:
    unit = ind.unit.strip()
    return Decimal(1000) if unit == "‰" else Decimal(100) if unit in ("%", "％", "百分点") else Decimal(1)


@dataclass
class Cells:
    """What the regions reported for one indicator in one year."""

    numbers: list[Decimal]
    natures: set[Nature]
    missing: Callable[[], list[str]]  # names of regions without a number (computed only if needed)


CellKey = tuple[str, int]


def rules_of(plan: Plan) -> tuple[dict[str, Rule], list[str]]:
    rules: dict[str, Rule] = {}
    warnings: list[str] = []
    for ind in plan.indicators:
        rule, why = effective_rule(ind)
        rules[ind.code] = rule
        if why:
            warnings.append(why)
    return rules, warnings


def apply_rules(plan: Plan, cells: Mapping[CellKey, Cells], year: int, out: ConsolidatedValues) -> tuple[dict[str, Rule], list[str]]:
    """Fill ``out.values`` / ``natures`` / ``counts`` by each indicator's rule; rules and warnings."""
    rules, warnings = rules_of(plan)
    for ind in plan.indicators:
        rule = rules[ind.code]
        if rule not in ADDITIVE:
            continue
        for y in range(plan.start_year, year + 1):
            c = cells.get((ind.code, y))
            if c is None or not c.numbers:
                continue
            if rule is Rule.SUM:
                total = sum(c.numbers, Decimal(0))
            elif rule is Rule.MIN:
                total = min(c.numbers)
            else:
                total = max(c.numbers)
            out.values.setdefault(ind.code, {})[y] = total
            out.natures.setdefault(ind.code, {})[y] = next(n for n in _WEAKEST if n in c.natures or n is Nature.ANNUAL)
            out.counts.setdefault(ind.code, {})[y] = len(c.numbers)
            missing = c.missing()
            if missing:
                out.missing.setdefault(ind.code, {})[y] = missing
                shown = "、".join(missing[:10]) + (f"等 {len(missing)} 个地区" if len(missing) > 10 else "")
                warnings.append(f"“{ind.name}”{y} 年：{shown} 未报该年数值，汇总值只含 {len(c.numbers)} 个地区")
    for ind in plan.indicators:
        if rules[ind.code] is Rule.RATIO:
            _ratio(plan, ind, rules, year, out, warnings)
    return rules, warnings


def _ratio(plan: Plan, ind: Indicator, rules: Mapping[str, Rule], year: int, out: ConsolidatedValues,
           warnings: list[str]) -> None:
    """Σ numerator / Σ denominator from the two parts' consolidated sums, year by year."""
    if ind.ratio_parts is None:  # listed per region (effective_rule warned)
        return
    num, den = ind.ratio_parts
    parts = [plan.indicator(num), plan.indicator(den)]
    if any(p is None or rules.get(p.code) is not Rule.SUM for p in parts):
        named = "、".join(f"“{p.name}”" if p else f"“{c}”" for p, c in zip(parts, (num, den)))
        warnings.append(f"“{ind.name}”的分子、分母指标 {named} 须是本规划中按求和汇总的指标，比率未汇总")
        return
    for y in range(plan.start_year, year + 1):
        n, d = out.value(num, y), out.value(den, y)
        if n is None or d is None:
            continue
        if d == 0:
            warnings.append(f"“{ind.name}”{y} 年：分母“{parts[1].name}”的汇总值为 0，比率未汇总")  # type: ignore[union-attr]
            continue
        out.values.setdefault(ind.code, {})[y] = (n / d * ratio_scale(ind)).quantize(Decimal("0.0001"))
        out.natures.setdefault(ind.code, {})[y] = next(
            x for x in _WEAKEST if x in (out.natures[num][y], out.natures[den][y]) or x is Nature.ANNUAL)
        out.counts.setdefault(ind.code, {})[y] = min(out.counts[num][y], out.counts[den][y])
        lacking = list(dict.fromkeys(out.missing.get(num, {}).get(y, []) + out.missing.get(den, {}).get(y, [])))
        if lacking:
            out.missing.setdefault(ind.code, {})[y] = lacking


def combine(plan: Plan, regions: Sequence[RegionValues], year: int) -> tuple[ConsolidatedValues, dict[str, Rule], list[str]]:
    """Consolidate ``regions`` for years ``start_year … year``: values, the rule per code, warnings.

    Every year's per-region detail is kept in ``regions``. (``consolidate`` reads a workspace
    through SQL for speed and keeps the detail of the report year only; same rules.)
    """
    out = ConsolidatedValues()
    first = plan.start_year
    codes = {ind.code for ind in plan.indicators}
    buckets: dict[CellKey, list[int]] = {}
    for k, r in enumerate(regions):
        for code, per in r.values.items():
            if code in codes:
                for y in per:
                    if first <= y <= year:
                        buckets.setdefault((code, y), []).append(k)
    cells: dict[CellKey, Cells] = {}
    for (code, y), ks in buckets.items():
        out.regions.setdefault(code, {})[y] = [
            RegionValue(regions[k].code, regions[k].name, *regions[k].values[code][y]) for k in ks
        ]
        counted = [regions[k].values[code][y] for k in ks if regions[k].values[code][y][0] is not None]
        present = {k for k in ks if regions[k].values[code][y][0] is not None}
        cells[(code, y)] = Cells(
            [c[0] for c in counted], {c[1] for c in counted},
            lambda present=present: [r.name for k, r in enumerate(regions) if k not in present],
        )
    rules, warnings = apply_rules(plan, cells, year, out)
    return out, rules, warnings
