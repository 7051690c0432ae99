"""Shared pieces of the benchmarks: timing, result lines, synthetic plans from real rows."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from desktop.domain.model import Actual, IndicatorCode, Kind, Nature, Plan


@dataclass(frozen=True)
class Result:
    name: str
    figure: float  # seconds (or the measured quantity)
    baseline: float
    goal: str  # e.g. "≥ 10×" or "≤ 1.5×"
    ratio: float
    passed: bool
    unit: str = "s"

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"{verdict}  {self.name}: {self.figure:.3f} {self.unit} vs baseline {self.baseline:.3f} {self.unit}"
            f" → ratio {self.ratio:.2f} (goal {self.goal})"
        )


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_plan(template: str, n: int, years: range = range(2021, 2024)) -> tuple[Plan, dict[str, dict[int, Actual]]]:
    """A plan of ``n`` indicators made by repeating a template's real rows, with values."""
    from desktop.store.create import demo_actuals, plan_for

    base, _ = plan_for(template, "430522", "新邵县")
    rows = [i for i in base.indicators if i.parent is None]
    inds = []
    for k in range(n):
        src = rows[k % len(rows)]
        inds.append(replace(src, code=IndicatorCode(f"bench-{k + 1:05d}"), seq=str(k + 1), name=f"{src.name}（{k // len(rows) + 1}）"))
    # keep each section's rows together, as a real plan prints them (one heading per section)
    order = {s.key: n for b in base.boxes for n, s in enumerate(b.sections)}
    inds.sort(key=lambda i: order.get(i.section or "", 0))
    plan = replace(base, indicators=tuple(inds))
    actuals: dict[str, dict[int, Actual]] = {}
    for a in demo_actuals(plan, tuple(years)):
        actuals.setdefault(a.code, {})[a.year] = a
    # keep at least one qualitative/ceiling figure honest: values exist for every numeric row
    assert all(i.kind is Kind.QUALITATIVE or i.code in actuals or i.target.value is None for i in plan.indicators)
    return plan, actuals


__all__ = ["Result", "median_time", "synthetic_plan", "Decimal", "Nature"]
