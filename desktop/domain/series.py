"""What the charts draw, as data: one function per chart, pure and testable without Qt.

The screen (pyqtgraph, ``desktop.ui.charts``), the PDF (reportlab, ``desktop.reports.charts``)
and the CLI export all draw these records, so a chart can never disagree with the table. Every
figure comes from the progress module (``assess``, ``time_progress``, ``Projection``); this
module only arranges them as points. Values stay ``Decimal``; a renderer turns them into floats
at the drawing edge.

The "on schedule" path is the value at which the indicator's own completion formula equals the
time progress t of each year: start + (target − start) × t, where start is what the formula
measures from (the base for an incremental level or a falling level, 0 for a plain ratio
actual ÷ target and for a five-year sum, the base for a cumulative change).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Protocol

from .model import Actual, Attribute, Direction, Indicator, Kind, Plan, Rule
from .progress import (Assessment, Settings, Status, assess, band_limits, number_text, percent_text,
                       time_progress)
from .progress_table import progress_table
from .projection import DECIMAL_CONTEXT

__all__ = ["ComparisonBar", "ComparisonSeries", "IndicatorSeries", "OverviewBar", "OverviewSeries",
           "Point", "TONES", "comparison_series", "indicator_series", "overview_series", "tone"]

Pair = tuple[int, Decimal]

# Status → tone → colour: one palette for the screen and the paper.
_TONE_OF = {
    Status.AHEAD: "good", Status.FASTER: "good", Status.MET: "good", Status.COMPLETED: "good",
    Status.EXCEEDED: "good", Status.ON_TRACK: "on_track", Status.LAGGING: "behind",
    Status.NOT_MET: "behind", Status.UNFINISHED: "behind", Status.NO_DATA: "none",
    Status.PENDING: "none",
}
TONES = {"good": "#2e7d32", "on_track": "#1f5fa8", "behind": "#c62828", "none": "#9e9e9e"}
"""Colours of the statuses (hex): green ahead/met, blue on track, red behind, grey no data."""


def tone(status: Status) -> str:
    """"good" · "on_track" · "behind" · "none" (a key of ``TONES``)."""
    return _TONE_OF[status]


@dataclass(frozen=True)
class Point:
    """A drawn point: ``value`` in the indicator's unit; ``text`` is the hover / label text;
    ``over`` marks a value above a ceiling (drawn red)."""

    year: int
    value: Decimal
    text: str = ""
    status: str = ""
    over: bool = False


@dataclass(frozen=True)
class IndicatorSeries:
    """The indicator chart of one indicator for one report year.

    ``values``: the actuals of plan years ≤ year (for a five-year sum: the yearly flows, drawn as
    bars); ``running``: the running totals of a five-year sum (empty otherwise); ``schedule``:
    the on-schedule path base → target (empty where the kind has none: ceilings, bands, rates);
    ``target`` is the target line (for a cumulative change: base ± target, the level to reach);
    ``ceiling``: the target is a ceiling (values above it are ``over``); ``band``: the interval
    a 区间值 (左右, a~b) must stay in (values outside it are ``over``); ``projection``: the
    dashed trend from the last actual to the end year (empty when not projected; then
    ``projection_text`` says why). ``numeric`` is False for qualitative indicators (only the
    status is shown); ``message`` is what an empty or partial chart says (无数据 …).
    """

    code: str
    name: str
    unit: str
    kind: Kind
    attribute: Attribute
    year: int
    base_year: int
    end_year: int
    status: Status
    basis: str
    numeric: bool = True
    base: Decimal | None = None
    target: Decimal | None = None
    target_label: str = ""
    ceiling: bool = False
    band: tuple[Decimal, Decimal] | None = None
    values: tuple[Point, ...] = ()
    running: tuple[Point, ...] = ()
    schedule: tuple[Pair, ...] = ()
    projection: tuple[Pair, ...] = ()
    projection_text: str = ""
    message: str = ""

    @property
    def title(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    @property
    def value_axis(self) -> str:
        """The value axis title, with the unit: "累计 / 当年（万人）", "数值（%）"."""
        what = "累计 / 当年" if self.running else "数值"
        return f"{what}（{self.unit}）" if self.unit else what

    @property
    def status_text(self) -> str:
        text = f"{self.year}年评估结论：{self.status.value}"
        if self.attribute is Attribute.BINDING:  # never softened: said, and asks for a reason
            text += "（约束性指标，须说明原因）" if self.status.behind else "（约束性指标）"
        return text

    @property
    def empty(self) -> bool:
        return not self.values


def _schedule_start(ind: Indicator, target: Decimal) -> Decimal | None:
    """Where the completion formula measures from (see the module doc); None: no path."""
    base = ind.base
    if ind.kind is Kind.CUMULATIVE_SUM:
        return Decimal(0)
    if ind.kind is Kind.CUMULATIVE_CHANGE:
        return base
    if ind.kind is Kind.LEVEL:
        if ind.direction is Direction.LOWER:
            return base if base is not None and target < base else None  # else judged as a ceiling
        return base if base is not None and target > base else Decimal(0)
    return None


def _path_end(ind: Indicator, target: Decimal) -> Decimal:
    """The value the path ends at: the target, or base ± target for a cumulative change."""
    if ind.kind is Kind.CUMULATIVE_CHANGE and ind.base is not None:
        return ind.base - target if ind.direction is Direction.LOWER else ind.base + target
    return target


def _schedule(ind: Indicator, plan_years: tuple[int, int]) -> tuple[Pair, ...]:
    b, e = plan_years
    target = ind.target.value
    if target is None:
        return ()
    start = _schedule_start(ind, target)
    if start is None:
        return ()
    end = _path_end(ind, target)
    with localcontext(DECIMAL_CONTEXT):
        return tuple((y, start + (end - start) * time_progress(y, b, e)) for y in range(b, e + 1))


def _is_ceiling(ind: Indicator) -> bool:
    """Drawn as a ceiling line: the CEILING kind, and a 逆向 level with nothing to fall from."""
    if ind.kind is Kind.CEILING:
        return True
    t = ind.target.value
    return (ind.kind is Kind.LEVEL and ind.direction is Direction.LOWER and t is not None
            and (ind.base is None or t >= ind.base))


def _unit(value: Decimal, unit: str) -> str:
    return f"{number_text(value)}{unit}"


def indicator_series(ind: Indicator, actuals: Mapping[int, Actual], year: int, *, base_year: int,
                     end_year: int, settings: Settings = Settings()) -> IndicatorSeries:
    """The indicator chart's data for report year ``year`` (see ``IndicatorSeries``)."""
    a = assess(ind, actuals, year, base_year=base_year, end_year=end_year, settings=settings)
    target = ind.target.value
    common = dict(code=ind.code, name=ind.name, unit=ind.unit, kind=ind.kind,
                  attribute=ind.attribute, year=year, base_year=base_year, end_year=end_year,
                  status=a.status, basis=a.basis, base=ind.base)
    if ind.kind is Kind.QUALITATIVE or ind.target.qualitative:
        return IndicatorSeries(**common, numeric=False,  # type: ignore[arg-type]
                               message=f"定性指标，不绘制数值图；{year}年评估结论：{a.status.value}")
    ceiling = _is_ceiling(ind)
    band = band_limits(ind, settings)
    statuses = _year_statuses(ind, actuals, year, base_year, end_year, settings)
    values: list[Point] = []
    running: list[Point] = []
    total = Decimal(0)
    kept = sorted((y, act.value) for y, act in actuals.items()
                  if base_year < y <= year and act.value is not None)
    with localcontext(DECIMAL_CONTEXT):
        for y, v in kept:
            assert v is not None
            over = ceiling and target is not None and v > target  # ceilings are inclusive (§5)
            status = statuses[y]
            if ind.kind is Kind.CUMULATIVE_SUM:
                total += v
                values.append(Point(y, v, f"{y}年：当年 {_unit(v, ind.unit)}", status))
                running.append(Point(y, total, f"{y}年：累计 {_unit(total, ind.unit)}"
                                     f"（当年 {_unit(v, ind.unit)}）· {status}", status))
            else:
                outside = band is not None and not band[0] <= v <= band[1]
                text = (f"{y}年：{_unit(v, ind.unit)} · {status}" + ("（超出控制值）" if over else "")
                        + ("（超出目标区间）" if outside else ""))
                values.append(Point(y, v, text, status, over or outside))
    label = ""
    line = None
    if target is not None:
        line = _path_end(ind, target)
        label = (f"目标 {ind.target.text}" if ind.kind is not Kind.CUMULATIVE_CHANGE
                 else f"目标 {number_text(line)}（{ind.target.text}）")
        if ceiling:
            label = f"控制值 {number_text(target)}"
        if band is not None:
            label = f"目标 {ind.target.text}（{number_text(band[0])}～{number_text(band[1])}）"
        if ind.kind is Kind.GROWTH_RATE and ind.unit.strip() not in ("%", "％"):
            line, label = None, ""  # a rate target cannot be drawn on a level axis
    projection, projection_text = _projection(ind, a, values, running, end_year)
    message = "无数据" if not values else ""
    if len(values) == 1 and not projection:
        message = projection_text  # 仅有一年数据，不作预测
    return IndicatorSeries(**common, target=line, target_label=label,  # type: ignore[arg-type]
                           ceiling=ceiling, band=band, values=tuple(values), running=tuple(running),
                           schedule=_schedule(ind, (base_year, end_year)),
                           projection=projection, projection_text=projection_text, message=message)


def _year_statuses(ind: Indicator, actuals: Mapping[int, Actual], year: int, base_year: int,
                   end_year: int, settings: Settings) -> dict[int, str]:
    """The status each year had when it was the report year (for the hover text)."""
    return {y: assess(ind, actuals, y, base_year=base_year, end_year=end_year,
                      settings=settings).status.value
            for y in range(base_year + 1, year + 1)}


def _projection(ind: Indicator, a: Assessment, values: Sequence[Point], running: Sequence[Point],
                end_year: int) -> tuple[tuple[Pair, ...], str]:
    """The dashed segment from the last actual (or running total) to the projected end value,
    and the verdict or the reason for not projecting."""
    p = a.projection
    if not p.is_projected:
        return (), p.reason
    if p.value_at_end is None:  # e.g. a ceiling already exceeded: the verdict needs no trend
        return (), f"{p.verdict}（{p.method}）"
    if ind.kind is Kind.GROWTH_RATE and ind.unit.strip() in ("%", "％"):
        # value_at_end is the projected average annual rate, not a point on the yearly axis
        return (), f"{p.verdict}：预计期内年均增长 {number_text(p.value_at_end)}%"
    last = (running or values)[-1]
    text = f"{p.verdict}：预计{end_year}年{'累计' if running else ''} {_unit(p.value_at_end, ind.unit)}"
    return ((last.year, last.value), (end_year, p.value_at_end)), text


# ---------------------------------------------------------------------------------------------
# Overview: one bar per indicator


@dataclass(frozen=True)
class OverviewBar:
    """One indicator in the overview. ``completion`` is None for the indicators judged by their
    status only (ceilings, bands, qualitative, no data): they are drawn as a status mark."""

    code: str
    label: str
    status: Status
    completion: Decimal | None
    completion_text: str
    binding: bool
    text: str  # hover text: the basis of the figure

    @property
    def tone(self) -> str:
        return tone(self.status)


OVERVIEW_AXIS = (-50.0, 200.0)
"""The overview's completion axis (%), on screen and in the PDF: a bar beyond it is drawn to the
edge and its label gives the figure, so one indicator at 1,436 % (a city's sum against a
county-sized target) or −9,328 % does not squash every other bar to a sliver."""


def on_overview_axis(percent: float) -> float:
    lo, hi = OVERVIEW_AXIS
    return min(max(percent, lo), hi)


@dataclass(frozen=True)
class OverviewSeries:
    year: int
    time_progress: Decimal
    bars: tuple[OverviewBar, ...]
    title: str

    @property
    def time_progress_text(self) -> str:
        return f"序时进度 {percent_text(self.time_progress)}"


def overview_series(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], year: int,
                    settings: Settings = Settings()) -> OverviewSeries:
    """Every indicator of the plan in printed order, with its completion and status."""
    table = progress_table(plan, actuals, year, settings)
    bars: list[OverviewBar] = []
    for row in table.rows:
        if row.kind != "indicator" or row.assessment is None or row.code is None:
            continue
        a = row.assessment
        binding = a.attribute is Attribute.BINDING
        label = (f"{row.seq}. " if row.seq else "") + ("其中：" if row.indent else "") + row.name
        mark = "（约束性）" if binding else ""
        text = f"{label}{mark}\n{row.status}：{a.basis}"
        bars.append(OverviewBar(row.code, label, a.status, a.completion, row.completion, binding, text))
    title = f"{plan.region_name}{year}年各指标完成进度（序时进度 {table.time_progress_text}）"
    return OverviewSeries(year, table.time_progress, tuple(bars), title)


# ---------------------------------------------------------------------------------------------
# Region comparison: one indicator across the regions that submitted


class RegionFigure(Protocol):
    """What a region contributes (``desktop.exchange.combine.RegionValue`` has these)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> Decimal | None: ...


class ConsolidatedFigure(Protocol):
    """One indicator's consolidation (``desktop.exchange.consolidate.IndicatorConsolidation``)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def rule(self) -> Rule: ...
    @property
    def status(self) -> str: ...
    @property
    def regions(self) -> Sequence[RegionFigure]: ...


@dataclass(frozen=True)
class ComparisonBar:
    code: str
    name: str
    value: Decimal | None  # None: the region submitted no number for this year

    @property
    def text(self) -> str:
        return f"{self.name}：{number_text(self.value) if self.value is not None else '未报'}"


@dataclass(frozen=True)
class ComparisonSeries:
    """One indicator for one year across regions, best first (highest first; lowest first for a
    逆向 indicator); regions without a number come last. ``consolidated`` is the upper level's
    figure (None when not summable: ``consolidated_text`` then says so)."""

    code: str
    name: str
    unit: str
    year: int
    region_name: str
    bars: tuple[ComparisonBar, ...]
    consolidated: Decimal | None
    consolidated_text: str
    missing: tuple[str, ...] = ()
    line: bool = False  # draw the consolidated value as a line (min/max); a sum is far off scale

    @property
    def title(self) -> str:
        unit = f"（{self.unit}）" if self.unit else ""
        return f"{self.name}{unit} {self.year}年分地区对比"

    @property
    def value_axis(self) -> str:
        return f"{self.year}年数值（{self.unit}）" if self.unit else f"{self.year}年数值"

    @property
    def message(self) -> str:
        if not self.bars:
            return "无数据：尚未收到下级地区的报送"
        if all(b.value is None for b in self.bars):
            return "无数据：下级地区均未报该年数值"
        return ""


def comparison_series(item: ConsolidatedFigure, year: int, *, region_name: str = "",
                      direction: Direction = Direction.HIGHER,
                      missing: Iterable[str] = ()) -> ComparisonSeries:
    """The comparison of ``item`` (an ``IndicatorConsolidation``) across its regions."""
    numbered = [r for r in item.regions if r.value is not None]
    blank = [r for r in item.regions if r.value is None]
    sign = -1 if direction is Direction.HIGHER else 1
    numbered.sort(key=lambda r: (sign * r.value, r.code))  # type: ignore[operator]
    bars = tuple(ComparisonBar(r.code, r.name, r.value) for r in [*numbered, *sorted(blank, key=lambda r: r.code)])
    who = region_name or "本级"
    if item.value is None:
        why = item.status or "不可汇总"
        text = f"{who}：{why}{'' if why == item.rule.label else f'（{item.rule.label}）'}，分地区列示"
    elif item.rule is Rule.SUM:
        text = f"{who}合计 {number_text(item.value)}{item.unit}（{len(numbered)} 个地区之和）"
    else:
        text = f"{who}汇总 {number_text(item.value)}{item.unit}（{item.rule.label}）"
    return ComparisonSeries(item.code, item.name, item.unit, year, region_name, bars, item.value,
                            text, tuple(missing), line=item.value is not None and item.rule is not Rule.SUM)
