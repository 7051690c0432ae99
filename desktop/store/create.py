"""New workspaces: from a bundled template, and the demo county workspace.

The CLI's ``new`` and the GUI's 新建 both call ``new_workspace``; ``python -m desktop``
without an argument opens ``demo_workspace()``.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import resources
from desktop.domain.errors import PlanLedgerError, Severity, ValueRefused
from desktop.domain.model import Actual, Kind, Nature, Plan
from desktop.domain.region import parse_region_code
from desktop.domain.template_format import plan_from_template

from .workspace import Workspace

DEMO_TEMPLATE = "county-hrss"
DEMO_REGION = ("430522", "新邵县")
DEMO_YEARS = (2021, 2022, 2023)


def plan_for(template: str, region_code: str, region_name: str) -> tuple[Plan, list[Actual]]:
    """The plan a template defines, for a region. Refuses a bad code or a broken template."""
    code = parse_region_code(region_code)
    name = region_name.strip()
    if not name:
        raise ValueRefused("行政区划名称不能为空")
    if template.lower().endswith(".json") and Path(template).is_file():  # a shared template file (docs/intake.md)
        from desktop.intake.templates import read_template_file

        data = read_template_file(Path(template))
    else:
        data = resources.read_template(template)
    plan, actuals, problems = plan_from_template(data, region_code=code, region_name=name)
    bad = [p for p in problems if p.severity is Severity.ERROR]
    if bad:
        raise PlanLedgerError(f"模板“{template}”有 {len(bad)} 处错误：" + "；".join(p.message for p in bad[:5]))
    return plan, actuals


def new_workspace(
    path: str | Path, *, template: str, region_code: str, region_name: str, user: str | None = None
) -> Workspace:
    """Create a workspace file from a bundled template (never overwrites a file)."""
    if not str(path).strip():
        raise ValueRefused("新工作簿的文件名为空")
    target = Path(path)
    if target.exists():
        raise ValueRefused(f"文件“{target}”已存在，不会覆盖；请换一个文件名")
    if not target.parent.exists():
        raise ValueRefused(f"文件夹“{target.parent}”不存在")
    plan, actuals = plan_for(template, region_code, region_name)
    return Workspace.create(target, plan, actuals, user=user)


def demo_actuals(plan: Plan, years: tuple[int, ...] = DEMO_YEARS) -> list[Actual]:
    """Plausible sample values so a new user sees every kind of progress, marked 示例数据."""
    out: list[Actual] = []
    span = Decimal(plan.end_year - plan.base_year)
    for n, ind in enumerate(plan.indicators):
        target = ind.target.value
        if target is None or ind.kind is Kind.QUALITATIVE:
            continue
        wobble = Decimal(80 + (n * 37) % 40) / 100  # 0.80 … 1.19, fixed per indicator: every status shows
        for k, year in enumerate(years):
            t = Decimal(year - plan.base_year) / span
            growth = 1 + Decimal("0.03") * k  # flows and levels move a little each year
            if ind.kind is Kind.CUMULATIVE_SUM:
                value = target / span * wobble * growth
            elif ind.kind in (Kind.CEILING, Kind.BAND):
                value = target * (Decimal("0.92") if ind.kind is Kind.CEILING else wobble)
            elif ind.kind is Kind.GROWTH_RATE:
                value = target * wobble
            elif ind.base is not None:
                value = ind.base + (target - ind.base) * t * wobble
            else:
                value = target * t * wobble
            places = Decimal("0.01") if abs(value) >= 1 else Decimal("0.001")
            out.append(
                Actual(ind.code, year, value.quantize(places), Nature.ANNUAL, source="示例数据", note="示例数据")
            )
    return out


def demo_workspace(folder: Path) -> Path:
    """The demo county workspace in ``folder`` (created on first use)."""
    path = folder / "示例-新邵县.sqlite"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    plan, template_actuals = plan_for(DEMO_TEMPLATE, *DEMO_REGION)
    Workspace.create(path, plan, [*template_actuals, *demo_actuals(plan)]).close()
    return path
