"""Progress arithmetic (DESIGN §5): the one place every 完成度, 序时进度, status and projection
shown in the UI, the PDF and the Excel file is computed.

Why one module: a county's report, its submission file and the city's consolidated table must
print the same figure for the same numbers; formulas copied into widgets or renderers drift.
Everything is ``Decimal`` in one local context (``projection.DECIMAL_CONTEXT``, 40 digits), never
``float``; nothing is rounded until it is shown through ``percent_text`` / ``fraction``
(``figures``, re-exported here).

Rules that are deliberate, not accidental:

* No actual at or before the report year → 无数据, never a zero.
* Completion is a fraction (0.638, not 63.8); the incremental figure drives the status, the
  plain ratio actual ÷ target is kept beside it.
* Status ignores the attribute: a 约束性 indicator gets exactly the status its numbers give,
  never a softer one, and when behind it asks for a 原因说明 (``needs_reason``).
* Ceilings and bands are 达标 / 未达标; no percentage is invented for them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from enum import Enum
from math import prod

from . import projection as proj
from .errors import ValueRefused
from .figures import fraction, number_text, percent_text
from .model import (Actual, Attribute, Comparator, Direction, Indicator, IndicatorCode, Kind,
                    Nature, Plan)
from .projection import DECIMAL_CONTEXT, Projection, years_text

__all__ = ["Assessment", "Projection", "Settings", "Status", "assess", "assess_plan", "band_limits", "fraction",
           "number_text", "percent_text", "time_progress"]

ONE = Decimal(1)
HUNDRED = Decimal(100)


class Status(str, Enum):
    """评估结论, in the national mid-term evaluation vocabulary (DESIGN §5)."""

    AHEAD = "提前实现"  # target already reached before the end year
    FASTER = "快于序时"  # completion > time progress + band
    ON_TRACK = "基本符合"  # within ± band of time progress (boundaries included)
    LAGGING = "滞后"  # completion < time progress − band
    MET = "达标"  # ceilings and bands
    NOT_MET = "未达标"
    COMPLETED = "完成"  # end year: exactly reached
    EXCEEDED = "超额完成"  # end year: beyond the target
    UNFINISHED = "未完成"  # end year: short of the target
    NO_DATA = "无数据"  # no actual at or before the report year
    PENDING = "待评估"  # qualitative without a hand-set status; no numeric target

    @property
    def behind(self) -> bool:
        """True for the statuses that must be flagged (and, if binding, explained)."""
        return self in _BEHIND

    @classmethod
    def parse(cls, text: str | None) -> Status | None:
        """A hand-set status string → Status, or None if it is not one of ours."""
        try:
            return cls((text or "").strip())
        except ValueError:
            return None


_BEHIND = frozenset({Status.LAGGING, Status.NOT_MET, Status.UNFINISHED})


@dataclass(frozen=True)
class Settings:
    """User settings that change judgements (stored with the workspace).

    ``band``: half-width of the 基本符合 band around time progress, as a fraction (0.05 = 5
    percentage points). ``default_tolerance``: half-width of a 左右 band as a fraction of the
    target, for indicators that do not define their own ``tolerance``.
    """

    band: Decimal = Decimal("0.05")
    default_tolerance: Decimal = Decimal("0.05")

    def __post_init__(self) -> None:
        for name in ("band", "default_tolerance"):
            value = getattr(self, name)
            if not isinstance(value, Decimal):  # accept "0.1" or 0 from a settings file
                value = Decimal(str(value))
                object.__setattr__(self, name, value)
            if not value.is_finite() or not 0 <= value < 1:
                raise ValueRefused(f"设置 {name}={value} 无效：应为 0 到 1 之间的小数（如 0.05）")


def time_progress(year: int, base_year: int, end_year: int) -> Decimal:
    """序时进度 t = (y − b) / (e − b): 2021 → 0.2, 2023 → 0.6, 2025 → 1 for 2020–2025."""
    if end_year <= base_year:
        raise ValueRefused(f"规划期末年 {end_year} 须晚于基期年 {base_year}")
    with localcontext(DECIMAL_CONTEXT):
        return Decimal(year - base_year) / Decimal(end_year - base_year)


@dataclass(frozen=True)
class Assessment:
    """The progress of one indicator in one report year, with the reason for every figure.

    ``current`` is the value the completion used (the latest actual ≤ year for levels, the
    running sum for cumulative sums); ``completion`` is the figure that drives the status;
    ``completion_ratio`` is actual ÷ target kept beside it; ``met`` says whether the target
    (ceiling, band, comparator) is reached now; ``rate`` is the achieved average annual rate
    (fraction) of a growth-rate indicator. ``basis`` is a one-line Chinese explanation with the
    numbers; ``notes`` are caveats (estimate base, quick figures, missing years).
    ``behind`` and ``needs_reason`` are derived from status and attribute, never set by hand.
    """

    code: IndicatorCode
    year: int
    time_progress: Decimal
    status: Status
    basis: str
    kind: Kind = Kind.LEVEL
    attribute: Attribute = Attribute.EXPECTED
    current: Decimal | None = None
    current_year: int | None = None
    completion: Decimal | None = None
    completion_ratio: Decimal | None = None
    met: bool | None = None
    rate: Decimal | None = None
    projection: Projection = Projection()
    nature_used: Nature | None = None
    notes: tuple[str, ...] = ()
    missing_years: tuple[int, ...] = ()
    behind: bool = field(init=False, default=False)
    needs_reason: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        behind = self.status.behind
        object.__setattr__(self, "behind", behind)
        object.__setattr__(self, "needs_reason", behind and self.attribute is Attribute.BINDING)

    @property
    def completion_text(self) -> str:
        return percent_text(self.completion)

    @property
    def time_progress_text(self) -> str:
        return percent_text(self.time_progress)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form; fractions rounded by ``fraction`` like everywhere else."""
        p = self.projection
        return {
            "indicator": self.code,
            "year": self.year,
            "kind": self.kind.value,
            "time_progress": fraction(self.time_progress),
            "current": number_text(self.current) if self.current is not None else None,
            "current_year": self.current_year,
            "completion": fraction(self.completion),
            "completion_ratio": fraction(self.completion_ratio),
            "met": self.met,
            "rate": fraction(self.rate, 6),
            "status": self.status.value,
            "behind": self.behind,
            "needs_reason": self.needs_reason,
            "basis": self.basis,
            "notes": list(self.notes),
            "nature": self.nature_used.value if self.nature_used else None,
            "projection": {
                "value_at_end": number_text(p.value_at_end) if p.value_at_end is not None else None,
                "verdict": p.verdict,
                "pace_so_far": fraction(p.pace_so_far, 6),
                "pace_needed": fraction(p.pace_needed, 6),
                "reason": p.reason,
                "method": p.method,
            },
        }


# ---------------------------------------------------------------------------------------------
# Assessment


def assess(
    indicator: Indicator,
    actuals: Mapping[int, Actual],
    year: int,
    *,
    base_year: int,
    end_year: int,
    settings: Settings = Settings(),
) -> Assessment:
    """Assess one indicator for report year ``year`` (DESIGN §5).

    Only actuals of plan years (base_year < year' ≤ year) count: a 2020 entry is the base,
    not progress, and a later year must not leak into an earlier report.
    """
    if not base_year < year <= end_year:
        raise ValueRefused(f"报告年度 {year} 不在规划期 {base_year + 1}—{end_year} 年内")
    with localcontext(DECIMAL_CONTEXT):
        case = _Case.make(indicator, actuals, year, base_year, end_year, settings)
        if indicator.kind is Kind.QUALITATIVE or indicator.target.qualitative:
            return _qualitative(case)
        if not case.points:  # never a zero: no data is said as such
            return case.result(Status.NO_DATA, f"{year}年及以前无实际值",
                               projection=Projection(reason=proj.NO_DATA))
        target = indicator.target
        if target.value is None or (target.comparator is Comparator.RANGE and target.upper is None):
            return case.result(Status.PENDING, "无目标值，不作评估",
                               projection=Projection(reason=proj.NO_TARGET), **case.latest_fields())
        return _HANDLERS[indicator.kind](case)


def assess_plan(
    plan: Plan,
    actuals: Mapping[str, Mapping[int, Actual]],
    year: int,
    settings: Settings = Settings(),
) -> dict[IndicatorCode, Assessment]:
    """Every indicator of the plan, in printed order, keyed by code."""
    return {ind.code: assess(ind, actuals.get(ind.code, {}), year, base_year=plan.base_year,
                             end_year=plan.end_year, settings=settings)
            for ind in plan.indicators}


@dataclass(frozen=True)
class _Case:
    """One indicator, one report year, the actuals that count: shared by every formula."""

    ind: Indicator
    year: int
    base_year: int
    end_year: int
    t: Decimal
    settings: Settings
    actuals: tuple[Actual, ...]  # plan years ≤ year, in year order
    points: tuple[tuple[int, Decimal], ...]  # the numeric ones

    @classmethod
    def make(cls, ind: Indicator, actuals: Mapping[int, Actual], year: int, base_year: int,
             end_year: int, settings: Settings) -> _Case:
        kept = tuple(actuals[y] if actuals[y].year == y else replace(actuals[y], year=y)
                     for y in sorted(actuals) if base_year < y <= year)
        points = tuple((a.year, a.value) for a in kept if a.value is not None)
        return cls(ind, year, base_year, end_year, time_progress(year, base_year, end_year),
                   settings, kept, points)

    @property
    def at_end(self) -> bool:
        return self.year >= self.end_year

    @property
    def target(self) -> Decimal:
        assert self.ind.target.value is not None
        return self.ind.target.value

    @property
    def latest(self) -> tuple[int, Decimal]:
        return self.points[-1]

    def latest_fields(self) -> dict[str, object]:
        y, v = self.latest
        return {"current": v, "current_year": y}

    def missing(self) -> tuple[int, ...]:
        have = {a.year for a in self.actuals if a.value is not None or a.status.strip()}
        return tuple(y for y in range(self.base_year + 1, self.year + 1) if y not in have)

    def result(self, status: Status, basis: str, *, used_base: bool = False,
               stale_ok: bool = False, **kw: object) -> Assessment:
        """Build the Assessment, adding the caveats a reader must see beside the figure."""
        notes: list[str] = []
        current_year = kw.get("current_year")
        nature = None
        if current_year is not None:
            actual = next(a for a in self.actuals if a.year == current_year)
            nature = actual.nature
            if nature is not Nature.ANNUAL:
                notes.append(f"{current_year}年数值为{nature.value}数")
            if current_year < self.year and not stale_ok:
                notes.append(f"{self.year}年无数据，采用{current_year}年数值")
        if used_base and "预计" in self.ind.base_label:
            notes.append(f"基期值为{self.ind.base_label}数，可能修订")
        return Assessment(
            code=self.ind.code,
            year=self.year,
            time_progress=self.t,
            status=status,
            basis=basis,
            kind=self.ind.kind,
            attribute=self.ind.attribute,
            nature_used=nature,
            notes=tuple(notes),
            missing_years=self.missing(),
            **kw,  # type: ignore[arg-type]
        )

    def reaches(self, value: Decimal, direction: Direction = Direction.HIGHER, *,
                target: Decimal | None = None) -> bool:
        """Whether ``value`` satisfies the target as written (see ``_reaches``)."""
        return _reaches(value, self.target if target is None else target,
                        self.ind.target.comparator, direction)

    def pace_needed(self, remaining: Decimal, direction: Direction | None = Direction.HIGHER
                    ) -> Decimal | None:
        """What is still to go, per remaining year after the latest actual (signed like the
        pace so far; 0 once the target is reached, never a "need" in the wrong direction;
        ``direction=None`` for a band, which may need to move either way)."""
        years_left = self.end_year - self.latest[0]
        if years_left <= 0:
            return None
        needed = remaining / years_left
        if direction is None:
            return needed
        return max(needed, Decimal(0)) if direction is Direction.HIGHER else min(needed, Decimal(0))


def _reaches(value: Decimal, target: Decimal, comparator: Comparator | None,
             direction: Direction) -> bool:
    """Whether ``value`` satisfies the target as written: ``>`` strictly, ``≥`` inclusive;
    a plain number (or 左右/interval here) counts as reached in the good direction."""
    if comparator is Comparator.GT:
        return value > target
    if comparator is Comparator.GE:
        return value >= target
    if comparator is Comparator.LT:
        return value < target
    if comparator is Comparator.LE:
        return value <= target
    return value >= target if direction is Direction.HIGHER else value <= target


def _status(case: _Case, completion: Decimal, met: bool, *, reference: Decimal | None = None,
            early: bool = True) -> Status:
    """Status from a completion fraction.

    Before the end: reached → 提前实现 (unless ``early`` is False, for rates); then against the
    reference (time progress, or 1 for growth rates): > ref + band → 快于序时,
    ≥ ref − band → 基本符合, else 滞后. The band boundaries are inclusive on the 基本符合 side
    (exactly t + band or t − band is 基本符合); comparisons are exact Decimal ones.
    At the end: not reached → 未完成, beyond → 超额完成, exactly → 完成.
    """
    if case.at_end:
        if not met:
            return Status.UNFINISHED
        return Status.EXCEEDED if completion > ONE else Status.COMPLETED
    if early and met and completion >= ONE:
        return Status.AHEAD
    ref = case.t if reference is None else reference
    band = case.settings.band
    if completion > ref + band:
        return Status.FASTER
    if completion >= ref - band:
        return Status.ON_TRACK
    return Status.LAGGING


_n = number_text  # numbers inside ``basis`` texts


# ---------------------------------------------------------------------------------------------
# The kinds


def _level(case: _Case) -> Assessment:
    """水平值. Rising: (a − base)/(target − base), or a/target without a usable base.
    Falling (逆向, target below base): (base − a)/(base − target). 逆向 without a base to fall
    from is judged like a ceiling on the latest value."""
    ind, T, base = case.ind, case.target, case.ind.base
    cy, a = case.latest
    if ind.direction is Direction.LOWER:
        if base is None or T >= base:
            return _ceiling(case, every_year=False)
        completion = (base - a) / (base - T)
        formula = f"(基期 {_n(base)} − {cy}年 {_n(a)}) ÷ (基期 {_n(base)} − 目标 {_n(T)})"
    elif base is not None and T > base:
        completion = (a - base) / (T - base)
        formula = f"({cy}年 {_n(a)} − 基期 {_n(base)}) ÷ (目标 {_n(T)} − 基期 {_n(base)})"
    elif T == 0:
        return case.result(Status.PENDING, "目标值为0，不能计算完成度", **case.latest_fields())
    else:  # no base, or a base already at/above the target: the plain ratio
        completion, formula, base = a / T, f"{cy}年 {_n(a)} ÷ 目标 {_n(T)}", None
    ratio = a / T if T != 0 else None
    met = case.reaches(a, ind.direction)
    so_far = (a - base) / (cy - case.base_year) if base is not None else _slope_or_none(case)
    projection = _project(case, so_far, case.pace_needed(T - a, ind.direction),
                          lambda: proj.project_level(case.points, case.end_year,
                                                     lambda v: case.reaches(v, ind.direction)))
    return case.result(_status(case, completion, met), f"{formula} = {percent_text(completion)}",
                       used_base=base is not None, completion=completion, completion_ratio=ratio,
                       met=met, projection=projection, **case.latest_fields())


def _cumulative_sum(case: _Case) -> Assessment:
    """累计值 [..] of a yearly flow: Σ actuals of plan years ≤ y ÷ target. A missing year is
    left out (and said so), never counted as zero."""
    T = case.target
    if T == 0:
        return case.result(Status.PENDING, "目标值为0，不能计算完成度", **case.latest_fields())
    total = sum((v for _, v in case.points), Decimal(0))
    completion = total / T
    first, last = case.points[0][0], case.latest[0]
    basis = (f"{years_text(first, last)}累计完成 {_n(total)} ÷ 目标 {_n(T)}"
             f" = {percent_text(completion)}")
    if missing := case.missing():
        basis += f"（缺{'、'.join(str(y) for y in missing)}年数据，未计入）"
    met = case.reaches(total)
    so_far = total / len(case.points)
    projection = _project(case, so_far, case.pace_needed(T - total), lambda: proj.project_sum(
        case.points, case.end_year, case.reaches))
    return case.result(_status(case, completion, met), basis, stale_ok=True,
                       completion=completion, completion_ratio=completion, met=met,
                       projection=projection, current=total, current_year=last)


def _cumulative_change(case: _Case) -> Assessment:
    """累计变化 [..] of a level: (a − base)/target, or (base − a)/target for 逆向."""
    ind, T, base = case.ind, case.target, case.ind.base
    if base is None or T == 0:
        why = "缺基期值" if base is None else "目标值为0"
        return case.result(Status.PENDING, f"{why}，无法计算累计变化", **case.latest_fields())
    cy, a = case.latest
    lower = ind.direction is Direction.LOWER
    change = base - a if lower else a - base
    completion = change / T
    formula = (f"(基期 {_n(base)} − {cy}年 {_n(a)})" if lower
               else f"({cy}年 {_n(a)} − 基期 {_n(base)})")
    met = case.reaches(change)
    so_far = change / (cy - case.base_year)
    projection = _project(case, so_far, case.pace_needed(T - change), lambda: proj.project_level(
        case.points, case.end_year, lambda v: case.reaches(base - v if lower else v - base)))
    return case.result(_status(case, completion, met),
                       f"{formula} ÷ 目标 {_n(T)} = {percent_text(completion)}", used_base=True,
                       completion=completion, completion_ratio=completion, met=met,
                       projection=projection, **case.latest_fields())


def _ceiling(case: _Case, every_year: bool = True) -> Assessment:
    """控制值: met while at or under the target — ``<``, ``≤``, 以内 and 不超过 alike, as DESIGN §5
    says (the plans write 控制在5.5%以内 as ``<5.5``). For the CEILING kind
    every year so far must be within it; a 逆向 level is judged on its latest value."""
    T = case.target
    word = "不超过"
    checked = case.points if every_year else case.points[-1:]
    over = [y for y, v in checked if v > T]
    met = not over
    highest = max(v for _, v in checked)
    span = years_text(checked[0][0], checked[-1][0])
    if met and len(checked) > 1:
        basis = f"{span}各年均{word}控制值 {_n(T)}（最高 {_n(highest)}）"
    elif met:
        basis = f"{span} {_n(checked[0][1])}，{word}控制值 {_n(T)}"
    else:
        basis = f"{'、'.join(map(str, over))}年超出控制值 {_n(T)}（最高 {_n(highest)}）"
    so_far = _slope_or_none(case)
    if not met and every_year and not case.at_end:
        # a year over the ceiling already fails the period, whatever the trend does next
        projection = Projection(verdict=proj.WONT_MEET, pace_so_far=so_far,
                                method="已有年份超出控制值，规划期考核不能达标")
    else:
        projection = _project(case, so_far, None, lambda: proj.project_level(
            case.points, case.end_year, lambda v: v <= T))
    return case.result(Status.MET if met else Status.NOT_MET, basis, met=met,
                       projection=projection, **case.latest_fields())


def band_limits(ind: Indicator, settings: Settings = Settings()) -> tuple[Decimal, Decimal] | None:
    """The interval a 区间值 (``Kind.BAND``) indicator must stay in: 左右 → target ± tolerance ×
    |target| (the indicator's tolerance, else the setting's); ``a~b`` → [a, b]. None when the
    indicator is not a band or has no numeric target. The charts draw this very interval."""
    target = ind.target
    if ind.kind is not Kind.BAND or target.value is None:
        return None
    if target.comparator is Comparator.RANGE and target.upper is not None:
        return target.value, target.upper
    tol = ind.tolerance
    half = abs(target.value) * (settings.default_tolerance if tol is None else tol)
    return target.value - half, target.value + half


def _band(case: _Case) -> Assessment:
    """区间值: 左右 → target ± tolerance × |target|; an interval ``a~b`` → [a, b]."""
    target, T = case.ind.target, case.target
    limits = band_limits(case.ind, case.settings)
    assert limits is not None  # dispatched by Kind.BAND, with a numeric target
    low, high = limits
    if target.comparator is Comparator.RANGE and target.upper is not None:
        shown = f"区间 {_n(low)}～{_n(high)}"
    else:
        shown = f"{_n(T)} ± {_n(high - T)}（{_n(low)}～{_n(high)}）"
    cy, a = case.latest
    met = low <= a <= high
    basis = f"{cy}年 {_n(a)} {'在' if met else '超出'} {shown}{'内' if met else ''}"
    projection = _project(case, _slope_or_none(case), case.pace_needed(T - a, None),
                          lambda: proj.project_level(case.points, case.end_year,
                                                     lambda v: low <= v <= high))
    return case.result(Status.MET if met else Status.NOT_MET, basis, met=met,
                       projection=projection, **case.latest_fields())


def _growth(case: _Case) -> Assessment:
    """年均增速. Unit "%": actuals are yearly rates → (Π(1 + r/100))^(1/n) − 1. Otherwise
    actuals are levels → (a_y / base)^(1/(y − b)) − 1 (from the first actual without a base).
    Completion = achieved ÷ target rate, judged against 1 ± band; never 提前实现 early."""
    ind, T = case.ind, case.target
    target_rate = T / HUNDRED
    cy, a = case.latest
    e = case.end_year

    def reaches(r: Decimal) -> bool:
        return case.reaches(r, ind.direction, target=target_rate)

    if ind.unit.strip() in ("%", "％"):
        factors = [ONE + v / HUNDRED for _, v in case.points]
        if any(f <= 0 for f in factors):
            return case.result(Status.PENDING, "增速低于−100%，无法计算年均增速", **case.latest_fields())
        rate = proj.compound_rate(factors)
        head = f"{years_text(case.points[0][0], cy)}年均增长 {proj.rate_text(rate)}"
        needed = proj.needed_rate(prod(factors, start=ONE), len(factors), e - cy, target_rate)
        rates = tuple((y, v / HUNDRED) for y, v in case.points)
        make = lambda: proj.project_rates(rates, e, reaches)  # noqa: E731
        used_base = False
    else:
        base = ind.base
        if base is not None and base > 0:
            start = (case.base_year, base)
        elif len(case.points) >= 2 and case.points[0][1] > 0:
            start = case.points[0]
        else:
            return case.result(Status.PENDING, "缺基期值，无法计算年均增速", **case.latest_fields())
        if a <= 0:
            return case.result(Status.PENDING, "实际值非正，无法计算年均增速", **case.latest_fields())
        rate = proj.nth_root(a / start[1], cy - start[0]) - 1
        label = "基期" if start[0] == case.base_year else f"{start[0]}年"
        head = (f"({cy}年 {_n(a)} ÷ {label} {_n(start[1])})^(1/{cy - start[0]}) − 1"
                f" = {proj.rate_text(rate)}")
        needed = proj.needed_rate(a / start[1], cy - start[0], e - cy, target_rate)
        make = lambda: proj.project_compound_levels(case.points, e, reaches, start)  # noqa: E731
        used_base = start[0] == case.base_year
    met = reaches(rate)
    kw: dict[str, object] = dict(met=met, rate=rate, **case.latest_fields(),
                                 projection=_project(case, rate, needed, make))
    if ind.direction is Direction.LOWER or target_rate == 0:
        # a cap on growth (or a zero target): judged like a ceiling, no percentage invented
        basis = f"{head}，{'未超过' if met else '超过'}目标 {_n(T)}%"
        return case.result(Status.MET if met else Status.NOT_MET, basis, used_base=used_base, **kw)
    completion = rate / target_rate
    basis = f"{head} ÷ 目标 {_n(T)}% = {percent_text(completion)}"
    status = _status(case, completion, met, reference=ONE, early=False)
    return case.result(status, basis, used_base=used_base, completion=completion,
                       completion_ratio=completion, **kw)


def _qualitative(case: _Case) -> Assessment:
    """定性: the latest hand-set status counts; anything else is 待评估, nothing is computed."""
    no_projection = Projection(reason=proj.QUALITATIVE)
    if not case.actuals:
        return case.result(Status.NO_DATA, f"{case.year}年及以前无填报", projection=no_projection)
    latest = case.actuals[-1]
    status = Status.parse(latest.status)
    kw: dict[str, object] = {"current_year": latest.year, "current": latest.value,
                             "projection": no_projection}
    if status is None:
        return case.result(Status.PENDING, f"定性指标，{latest.year}年未填报评估结论", **kw)
    return case.result(status, f"定性指标，按{latest.year}年填报结论“{status.value}”", **kw)


def _slope_or_none(case: _Case) -> Decimal | None:
    return proj.slope(case.points) if len(case.points) >= 2 else None


def _project(case: _Case, so_far: Decimal | None, needed: Decimal | None,
             trend: Callable[[], Projection]) -> Projection:
    """Project only with ≥ 2 actual years and before the end (else say why); the paces are
    kept either way, because "still needed per year" is useful with one year of data."""
    if case.at_end:
        return Projection(pace_so_far=so_far, reason=proj.AT_END)
    if len(case.points) < 2:
        return Projection(pace_so_far=so_far, pace_needed=needed, reason=proj.ONE_YEAR)
    return replace(trend(), pace_so_far=so_far, pace_needed=needed)


_HANDLERS: dict[Kind, Callable[[_Case], Assessment]] = {
    Kind.LEVEL: _level,
    Kind.CUMULATIVE_SUM: _cumulative_sum,
    Kind.CUMULATIVE_CHANGE: _cumulative_change,
    Kind.CEILING: _ceiling,
    Kind.BAND: _band,
    Kind.GROWTH_RATE: _growth,
}
