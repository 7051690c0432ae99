"""Target decomposition (目标分解): a city or province assigns each subordinate region its target
for an indicator, checks the sum against its own target (additive indicators only) and hands
each county a workspace pre-filled with the county's targets.

The assignments live in the workspace's ``setting`` table under ``intake.target_split`` as
``{indicator code: {region code: {"name": region name, "target": target text}}}``; each change
is one transaction with an audit row (action ``split``).

The county workspace (``split_export``) keeps the plan's boxes, sections and indicator codes
(so the city consolidates it row by row), takes the region's code and name, and:

* an indicator with an assigned target gets it (as written, parsed with the indicator's unit);
* an additive indicator (汇总规则 求和) without one gets no target (“—”) and is listed;
* a non-additive indicator (rates, ceilings such as 城镇调查失业率 <5.5) keeps the city's
  target — the same standard applies in every county;
* base values are cleared (the county enters its own), no values are copied.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from desktop.domain.errors import NotationError, NotFound, Problem, Severity, ValueRefused
from desktop.domain.model import Plan, Rule, Target
from desktop.domain.notation import format_decimal, parse_target
from desktop.domain.region import is_under, parse_region_code
from desktop.store import repository as repo
from desktop.store.workspace import Workspace, now_text

__all__ = ["known_regions", "SPLIT_KEY", "split_targets", "set_split_target", "set_split_targets", "check_split", "split_export", "SplitRow", "split_rows"]

SPLIT_KEY = "intake.target_split"


def split_targets(ws: Workspace) -> dict[str, dict[str, dict[str, str]]]:
    value = repo.get_setting(ws.connection, SPLIT_KEY)
    return value if isinstance(value, dict) else {}


def _checked(plan: Plan, code: str, region_code: str, region_name: str, target_text: str | None
             ) -> tuple[str, str, str, str]:
    """(indicator code, region code, name, target text) once the assignment is valid."""
    ind = plan.indicator(code)
    if ind is None:
        raise NotFound(f"没有代码为“{code}”的指标")
    region = _subordinate(plan, region_code)
    text = (target_text or "").strip()
    if text:
        try:
            parse_target(text, ind.unit)
        except NotationError as exc:
            raise NotationError(f"{region_name or region}“{ind.name}”的分解目标：{exc.message}") from None
    return ind.code, region, (region_name or "").strip(), text


def _subordinate(plan: Plan, region_code: str) -> str:
    """The region code, checked to lie under the plan's own region (targets go down, never
    sideways to another city or up to the province)."""
    region = parse_region_code(region_code)
    if region == plan.region_code:
        raise ValueRefused(f"{region} 是本级（{plan.region_name}）的区划代码；分解目标应分给下级地区")
    if not is_under(region, plan.region_code):
        raise ValueRefused(f"{region} 不是本级 {plan.region_name}（{plan.region_code}）的下级地区；分解目标只能分给下级地区")
    return region


def _put(data: dict, code: str, region: str, name: str, text: str) -> str | None:
    """Set (or, with an empty text, remove) one assignment in ``data``; returns the old target."""
    entry = data.setdefault(code, {})
    old = entry.get(region, {}).get("target")
    if text:
        name = name or entry.get(region, {}).get("name") or ""
        if not name:
            raise ValueRefused(f"请给出地区 {region} 的名称")
        entry[region] = {"name": name, "target": text}
    else:
        entry.pop(region, None)
        if not entry:
            data.pop(code, None)
    return old


def set_split_target(ws: Workspace, code: str, region_code: str, region_name: str, target_text: str | None) -> None:
    """Assign (or, with an empty target, remove) one region's target for one indicator."""
    code, region, name, text = _checked(ws.plan(), code, region_code, region_name, target_text)
    ws.require_writable()
    with ws.transaction() as conn:
        data = repo.get_setting(conn, SPLIT_KEY) or {}
        old = _put(data, code, region, name, text)
        repo.put_setting(conn, SPLIT_KEY, data)
        repo.add_audit(conn, at=now_text(), who=ws.user, action="split", code=code, field=f"split.{region}",
                       old_value=old, new_value=text or None, detail=f"分解目标 {name or region}")


def set_split_targets(ws: Workspace, rows: list[tuple[str, str, str, str]], *, source: str = "") -> int:
    """Assign many (indicator code, region code, region name, target text) at once — all or
    nothing, in one transaction with one audit row; returns how many were assigned."""
    plan = ws.plan()
    checked = [_checked(plan, *row) for row in rows]
    ws.require_writable()
    with ws.transaction() as conn:
        data = repo.get_setting(conn, SPLIT_KEY) or {}
        for code, region, name, text in checked:
            _put(data, code, region, name, text)
        repo.put_setting(conn, SPLIT_KEY, data)
        repo.add_audit(conn, at=now_text(), who=ws.user, action="split", field="split.import",
                       new_value=str(len(checked)),
                       detail=f"批量分解目标 {len(checked)} 项" + (f"（{source}）" if source else ""))
    return len(checked)


@dataclass(frozen=True)
class SplitRow:
    """One indicator's decomposition: the city's target, the regions' targets, their sum."""

    code: str
    name: str
    unit: str
    target: Target
    regions: tuple[tuple[str, str, str], ...]  # (code, name, target text)
    total: Decimal | None  # sum of the regions' numbers (additive indicators only)
    problems: tuple[Problem, ...]


def split_rows(plan: Plan, splits: dict[str, dict[str, dict[str, str]]]) -> list[SplitRow]:
    rows = []
    for ind in plan.indicators:
        assigned = splits.get(ind.code)
        if not assigned:
            continue
        regions = tuple((rc, e.get("name", ""), e.get("target", "")) for rc, e in sorted(assigned.items()))
        problems: list[Problem] = []
        total: Decimal | None = None
        if ind.rule is Rule.SUM and ind.target.value is not None:
            parsed = []
            for rc, name, text in regions:
                try:
                    parsed.append((name, parse_target(text, ind.unit)))
                except NotationError as exc:
                    problems.append(Problem(Severity.ERROR, f"{name}：{exc.message}", ind.code, field="split"))
            numbers = [t.value for _, t in parsed if t.value is not None]
            if numbers:
                total = sum(numbers, Decimal(0))
                want = ind.target.value
                if total != want:
                    diff = total - want
                    shown = ind.target.text if ind.target.text.strip() == format_decimal(want) else \
                        f"{ind.target.text}（{format_decimal(want)}）"
                    problems.append(Problem(
                        Severity.WARNING,
                        f"“{ind.name}”各地区分解目标合计 {format_decimal(total)}{ind.unit}，比本级目标 {shown}"
                        f"{'多' if diff > 0 else '少'} {format_decimal(abs(diff))}{ind.unit}",
                        ind.code, field="split"))
            odd = [name for name, t in parsed if t.cumulative != ind.target.cumulative]
            if odd:
                what = "五年累计数（写在[]内）" if ind.target.cumulative else "期末水平值（不带[]）"
                problems.append(Problem(Severity.WARNING, f"“{ind.name}”本级目标是{what}，{'、'.join(odd)}的分解目标写法不一致",
                                        ind.code, field="split"))
        rows.append(SplitRow(ind.code, ind.name, ind.unit, ind.target, regions, total, tuple(problems)))
    return rows


def check_split(plan: Plan, splits: dict[str, dict[str, dict[str, str]]]) -> list[Problem]:
    return [p for row in split_rows(plan, splits) for p in row.problems]


def county_plan(plan: Plan, splits: dict[str, dict[str, dict[str, str]]], region_code: str,
                region_name: str | None = None) -> tuple[Plan, list[str]]:
    """The county's plan and the notes about it (indicators left without a target)."""
    region = _subordinate(plan, region_code)
    names = {e.get("name", "") for by_region in splits.values() for rc, e in by_region.items() if rc == region}
    name = (region_name or next((n for n in names if n), "")).strip()
    if not name:
        raise ValueRefused(f"没有给地区 {region} 分解过目标，也没有给出地区名称（--region-name）")
    notes: list[str] = []
    indicators = []
    blank: list[str] = []
    for ind in plan.indicators:
        assigned = splits.get(ind.code, {}).get(region)
        if assigned:
            target = parse_target(assigned["target"], ind.unit)
        elif ind.rule is Rule.SUM and ind.target.value is not None:
            target = Target("—")
            blank.append(ind.name)
        else:
            target = ind.target
        extra = tuple((k, v) for k, v in ind.extra if k != "@sample")  # the city's sample marks do not apply
        indicators.append(replace(ind, target=target, base=None, base_text="—" if ind.base_text else "", extra=extra))
    if blank:
        notes.append(f"以下可相加的指标没有分解目标，目标值留空（—）：{'、'.join(blank)}")
    title = plan.title.replace(plan.region_name, name, 1) if plan.region_name in plan.title else f"{name}{plan.title}"
    county = replace(plan, title=title, region_code=region, region_name=name, indicators=tuple(indicators),
                     properties=(), sample_note="")
    return county, notes


def split_export(ws: Workspace, region_code: str, out: Path | str, *, region_name: str | None = None
                 ) -> tuple[Path, list[str]]:
    """Write the county workspace ``out`` (never overwrites); returns the path and the notes."""
    target = Path(out)
    if target.exists():
        raise ValueRefused(f"文件“{target}”已存在，不会覆盖；请换一个文件名")
    if not target.parent.exists():
        raise ValueRefused(f"文件夹“{target.parent}”不存在")
    county, notes = county_plan(ws.plan(), split_targets(ws), region_code, region_name)
    Workspace.create(target, county, [], user=ws.user).close()
    return target, notes


def known_regions(ws: Workspace) -> list[tuple[str, str]]:
    """Subordinate regions the workspace knows: those targets were split to, and those in
    the 报送 region list (imported submissions), by code."""
    found: dict[str, str] = {}
    for by_region in split_targets(ws).values():
        for code, entry in by_region.items():
            found.setdefault(code, entry.get("name", ""))
    own = ws.plan().region_code
    try:
        rows = ws.connection.execute("SELECT code, name, valid_to FROM region ORDER BY code, id").fetchall()
    except Exception:  # an older file without the region table
        rows = []
    for code, name, valid_to in rows:
        if valid_to is None and code != own:
            found.setdefault(code, name)
    return sorted(found.items())
