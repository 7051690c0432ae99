"""Projection of an indicator to the plan's end year (DESIGN §5, "Projection").

Split from ``progress.py`` so that module keeps only the completion and status rules. This
module is trend arithmetic on ``(year, value)`` points in ``Decimal``. ``progress.py`` decides
*whether* a projection is made (at least two actual years, not yet at the end, a numeric
target) and what "reaching the target" means for the indicator's comparator; it passes that in
as a predicate, so the projection verdict can never disagree with the status rule.

Nothing here rounds: figures are rounded only when shown (``progress.percent_text`` /
``progress.fraction``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

DECIMAL_CONTEXT = Context(
    prec=40,  # 40 digits: far beyond any printed figure, so ratio boundaries decide exactly
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The one context every progress figure is computed in (never the thread's default)."""

WILL_MEET = "预计可完成"
WONT_MEET = "预计难以完成"

# Reasons for not projecting, shown as is in the UI and the reports.
AT_END = "已到规划期末"
ONE_YEAR = "仅有一年数据，不作预测"
NO_DATA = "无数据，不作预测"
QUALITATIVE = "定性指标不作预测"
NO_TARGET = "无目标值，不作预测"
NON_POSITIVE = "存在非正数值，不能按复合增速外推"

Point = tuple[int, Decimal]
Reaches = Callable[[Decimal], bool]


@dataclass(frozen=True)
class Projection:
    """Where the trend of the actuals leads by the plan's end year, and the pace it needs.

    ``value_at_end`` is in the indicator's own unit (for a growth rate given as yearly
    percentages: the projected average annual rate in percent). ``pace_so_far`` and
    ``pace_needed`` are annual figures: the average annual change of a level (signed), the
    average annual flow of a cumulative sum, or the annual growth rate as a fraction
    (0.0635) for a growth-rate indicator. They are filled even when no projection is made
    (one year of data), because "still needed per year" is useful on its own.
    ``verdict`` is 预计可完成 / 预计难以完成, or "" with ``reason`` saying why not projected;
    ``method`` says how the projection was made.
    """

    value_at_end: Decimal | None = None
    verdict: str = ""
    pace_so_far: Decimal | None = None
    pace_needed: Decimal | None = None
    reason: str = ""
    method: str = ""

    @property
    def is_projected(self) -> bool:
        return bool(self.verdict)

    @property
    def likely(self) -> bool | None:
        """True for 预计可完成, False for 预计难以完成, None when not projected."""
        return None if not self.verdict else self.verdict == WILL_MEET


def verdict(ok: bool) -> str:
    return WILL_MEET if ok else WONT_MEET


def years_text(first: int, last: int) -> str:
    """"2021年" or "2021—2023年", the way Chinese reports write a span of years."""
    return f"{first}年" if first == last else f"{first}—{last}年"


def linear_at(points: Sequence[Point], year: int) -> Decimal:
    """Least-squares line through the points, evaluated at ``year``.

    Written as ȳ + slope·(x − x̄) so an exact trend (4.8, 5.0, 5.2) extends exactly (5.4, 5.6).
    """
    return _fit(points)[1](year)


def slope(points: Sequence[Point]) -> Decimal:
    return _fit(points)[0]


def _fit(points: Sequence[Point]) -> tuple[Decimal, Callable[[int], Decimal]]:
    if len(points) < 2:
        raise ValueError("a trend needs at least two points")
    with localcontext(DECIMAL_CONTEXT):
        n = Decimal(len(points))
        x_mean = sum((Decimal(x) for x, _ in points), Decimal(0)) / n
        y_mean = sum((y for _, y in points), Decimal(0)) / n
        sxx = sum(((Decimal(x) - x_mean) ** 2 for x, _ in points), Decimal(0))
        sxy = sum(((Decimal(x) - x_mean) * (y - y_mean) for x, y in points), Decimal(0))
        b = sxy / sxx

    def at(year: int) -> Decimal:
        with localcontext(DECIMAL_CONTEXT):
            return y_mean + b * (Decimal(year) - x_mean)

    return b, at


def nth_root(x: Decimal, n: int | Decimal) -> Decimal:
    """x^(1/n) for x > 0 through ln/exp (Decimal has no fractional power of full precision)."""
    with localcontext(DECIMAL_CONTEXT):
        if x <= 0:
            raise ValueError("root of a non-positive number")
        if x == 1:
            return Decimal(1)
        return (x.ln() / Decimal(n)).exp()


def compound_rate(factors: Sequence[Decimal]) -> Decimal:
    """Average compound rate of yearly growth factors (1 + r): (Π f)^(1/n) − 1."""
    with localcontext(DECIMAL_CONTEXT):
        product = Decimal(1)
        for f in factors:
            product *= f
        return nth_root(product, len(factors)) - 1


def needed_rate(done: Decimal, years_done: int, years_left: int, target_rate: Decimal) -> Decimal | None:
    """Annual rate still needed in the remaining years so the whole span averages the target.

    ``done`` is the growth factor achieved in ``years_done`` years (Π(1 + r) or a_y / start):
    ((1 + target)^(done + left years) / done)^(1 / left) − 1.
    """
    if years_left <= 0 or done <= 0:
        return None
    with localcontext(DECIMAL_CONTEXT):
        goal = (1 + target_rate) ** (years_done + years_left)
        return nth_root(goal / done, years_left) - 1


def project_level(
    points: Sequence[Point],
    end_year: int,
    reaches: Reaches,
) -> Projection:
    """Linear trend of the actual levels, extended to the end year; ``reaches`` judges it."""
    value = linear_at(points, end_year)
    return Projection(
        value_at_end=value,
        verdict=verdict(reaches(value)),
        method=f"按{years_text(points[0][0], points[-1][0])}实际值线性趋势外推至{end_year}年",
    )


def project_sum(
    flows: Sequence[Point],
    end_year: int,
    reaches: Reaches,
) -> Projection:
    """Total at the end = sum so far + the linear trend of the yearly flows for later years.

    When every yearly amount so far is ≥ 0 (people trained, jobs created) a falling trend adds
    nothing below 0: a running total of such amounts never goes down."""
    last = flows[-1][0]
    floor = all(v >= 0 for _, v in flows)
    with localcontext(DECIMAL_CONTEXT):
        total = sum((v for _, v in flows), Decimal(0))
        later = [linear_at(flows, y) for y in range(last + 1, end_year + 1)]
        cut = floor and any(v < 0 for v in later)
        total += sum((max(v, Decimal(0)) if floor else v for v in later), Decimal(0))
    return Projection(
        value_at_end=total,
        verdict=verdict(reaches(total)),
        method=(
            f"按{years_text(flows[0][0], last)}各年数线性趋势外推"
            f"{years_text(last + 1, end_year)}，累计至{end_year}年" + ("（趋势降到 0 以下的年份按 0 计）" if cut else "")
        ),
    )


def project_compound_levels(
    points: Sequence[Point],
    end_year: int,
    reaches_rate: Reaches,
    start: Point,
) -> Projection:
    """Log-linear (constant growth) trend of levels; the verdict is on the average annual
    rate from ``start`` (the base year, or the first actual) to the end year."""
    if start[1] <= 0 or any(v <= 0 for _, v in points):
        return Projection(reason=NON_POSITIVE)
    with localcontext(DECIMAL_CONTEXT):
        logs = [(y, v.ln()) for y, v in points]
        value = linear_at(logs, end_year).exp()
        rate = nth_root(value / start[1], end_year - start[0]) - 1
    return Projection(
        value_at_end=value,
        verdict=verdict(reaches_rate(rate)),
        method=(
            f"按{years_text(points[0][0], points[-1][0])}实际值复合增长趋势外推至{end_year}年，"
            f"{start[0]}—{end_year}年年均增长{rate_text(rate)}"
        ),
    )


def project_rates(
    rates: Sequence[Point],
    end_year: int,
    reaches_rate: Reaches,
) -> Projection:
    """Yearly growth rates (fractions): linear trend of the rates for the later years, then
    compounded with the actual ones. ``value_at_end`` is that average annual rate in percent."""
    last = rates[-1][0]
    with localcontext(DECIMAL_CONTEXT):
        future = [linear_at(rates, y) for y in range(last + 1, end_year + 1)]
        factors = [1 + r for _, r in rates] + [1 + r for r in future]
        if any(f <= 0 for f in factors):
            return Projection(reason=NON_POSITIVE)
        rate = compound_rate(factors)
        value = rate * 100
    return Projection(
        value_at_end=value,
        verdict=verdict(reaches_rate(rate)),
        method=(
            f"按{years_text(rates[0][0], last)}增速线性趋势外推{years_text(last + 1, end_year)}，"
            f"期内年均增长{rate_text(rate)}"
        ),
    )


def rate_text(d: Decimal) -> str:
    """A rate fraction as a percent with two places: 0.0634989… → "6.35%"."""
    with localcontext(DECIMAL_CONTEXT):
        q = (d * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{abs(q) if q == 0 else q}%"
