"""Writing an accepted import into a workspace: one transaction, one ``Change``, one undo step.

``import_table`` adds the table as a new box, or — when the workspace already has a box with
that label — updates it: rows are matched by name (full-width, spaces and the printed unit
ignored) and keep their codes, so their values stay attached; new rows get new codes; rows of
the workspace that the table no longer lists are kept and reported. Importing the same table
twice changes nothing the second time.

``import_actuals`` stores an indicator × year table through ``paste_block`` (all or nothing).
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace

from desktop.domain.changes import Change, DefinitionChange
from desktop.domain.errors import Problem, Severity, ValueRefused
from desktop.domain.model import IndicatorCode, Nature, Plan, Section
from desktop.store.actions import paste_block
from desktop.store.definitions import _catalogue_change, _commit, _next_code
from desktop.store.workspace import Workspace

from .table import ImportedTable, fold

__all__ = ["import_table", "table_plan_changes", "period_mismatch", "import_actuals", "name_key", "apply_collected"]


def name_key(name: str) -> str:
    return fold(name).casefold()


def period_mismatch(plan: Plan, table: ImportedTable) -> str:
    """Why a completion table (values for years, 浙江 表1) does not belong to this workspace's
    plan period, or "": its base and end year must be the plan's."""
    if not table.values or not table.end_year:
        return ""
    if table.end_year == plan.end_year and table.base_year in (None, plan.base_year):
        return ""
    base = table.base_year if table.base_year is not None else table.end_year - 5
    years = "、".join(str(y) for y in sorted({v.year for v in table.values}))
    return (f"{table.box.label}是 {base + 1}—{table.end_year} 年规划期的完成情况表（基期 {base} 年，"
            f"含 {years} 年的完成值），而工作区的规划期为 {plan.start_year}—{plan.end_year} 年（基期 {plan.base_year} 年）："
            f"规划期不一致，不能导入。请导入到 {base + 1}—{table.end_year} 年规划的工作区（新建时选择相应的规划期或模板）")


def table_plan_changes(plan: Plan, table: ImportedTable) -> tuple[list[str], list[str]]:
    """What accepting ``table`` would do, in words: (changes, notes) for the preview."""
    mismatch = period_mismatch(plan, table)
    if mismatch:
        return [], [mismatch]
    old_box = plan.box(table.box.label)
    if old_box is None:
        return [f"新增{table.box.label}（{len(table.indicators)} 个指标）"], []
    if old_box.is_task_box:
        return [], [f"工作区中的{table.box.label}是任务专栏，不能用指标表覆盖；请给导入的表另起一个标签"]
    existing = {name_key(i.name): i for i in plan.indicators_of(table.box.label)}
    incoming = {name_key(i.name) for i in table.indicators}
    added = [i.name for i in table.indicators if name_key(i.name) not in existing]
    kept = [i.name for k, i in existing.items() if k not in incoming]
    changes = [f"更新已有的{table.box.label}：{len(table.indicators) - len(added)} 个指标按名称对应"]
    if added:
        changes.append(f"新增指标：{'、'.join(added)}")
    notes = [f"工作区中{table.box.label}的指标“{n}”不在表中，保留不动" for n in kept]
    return changes, notes


def import_table(ws: Workspace, table: ImportedTable) -> Change:
    """Write ``table`` (refused whole while it has errors)."""
    if not table.ok:
        raise ValueRefused(
            f"导入未执行：{len(table.errors)} 处错误，没有写入任何内容。" + "；".join(p.message for p in table.errors),
            [p.as_problem() for p in table.errors],
        )
    plan = ws.plan()
    ws.require_writable()
    label = table.box.label
    old_box = plan.box(label)
    if period_mismatch(plan, table):
        raise ValueRefused(period_mismatch(plan, table))
    if old_box is not None and old_box.is_task_box:
        raise ValueRefused(f"工作区中的{label}是任务专栏（列举任务事项），不能用指标表覆盖；请用 --box 给导入的表另起一个标签")
    warnings: list[Problem] = []
    if table.base_year and table.base_year != plan.base_year:
        warnings.append(Problem(Severity.WARNING, f"表中基期为 {table.base_year} 年，工作区规划基期为 {plan.base_year} 年"))
    if table.end_year and table.end_year != plan.end_year:
        warnings.append(Problem(Severity.WARNING, f"表中目标年份为 {table.end_year} 年，工作区规划期末为 {plan.end_year} 年"))
    title = f"导入{label}（{table.file.name}）"

    def build(conn: sqlite3.Connection):  # type: ignore[no-untyped-def]
        defs: list[DefinitionChange] = []
        existing = {name_key(i.name): i for i in plan.indicators_of(label)} if old_box else {}
        codes: dict[str, str] = {}
        for ind in table.indicators:
            hit = existing.get(name_key(ind.name))
            codes[ind.code] = hit.code if hit is not None else _next_code(conn, plan)
        # sections: keep the keys of sections with the same title
        old_sections = {s.title: s.key for s in old_box.sections} if old_box else {}
        section_keys: dict[str, str] = {}
        taken = set(old_sections.values())
        new_sections: list[Section] = []
        n = 0
        for sec in table.box.sections:
            key = old_sections.get(sec.title)
            if key is None:
                while True:
                    n += 1
                    key = f"i{n}"
                    if key not in taken:
                        break
                taken.add(key)
            section_keys[sec.key] = key
            new_sections.append(Section(key, label, sec.title))
        kept = [i for i in plan.indicators_of(label) if codes and i.code not in codes.values()] if old_box else []
        for i in kept:  # rows the table no longer lists keep their section
            if i.section and i.section not in {s.key for s in new_sections}:
                old = next((s for s in old_box.sections if s.key == i.section), None)  # type: ignore[union-attr]
                if old is not None:
                    new_sections.append(old)
        box = replace(table.box, sections=tuple(new_sections))
        if old_box is None:
            defs.append(DefinitionChange("box", label, None, box))
        elif box != old_box:
            defs.append(DefinitionChange("box", label, old_box, box))
        position = len(plan.indicators)
        added = False
        for ind in table.indicators:
            code = IndicatorCode(codes[ind.code])
            new = replace(ind, code=code, section=section_keys.get(ind.section or "") if ind.section else None,
                          parent=IndicatorCode(codes[ind.parent]) if ind.parent else None)
            old = plan.indicator(code)
            if old is None:
                defs.append(DefinitionChange("indicator", code, None, new, position))
                position += 1
                added = True
            else:
                # what the table says wins; what it cannot say (kind, rule, 责任单位 …) is kept
                merged = replace(old, name=new.name, unit=new.unit, target=new.target, seq=new.seq,
                                 section=new.section, base=new.base, base_text=new.base_text,
                                 base_label=new.base_label, attribute=new.attribute, parent=new.parent,
                                 responsible=new.responsible or old.responsible,
                                 extra=tuple({**dict(old.extra), **dict(new.extra)}.items()))
                if new.target.text != old.target.text and new.kind != old.kind:
                    merged = replace(merged, kind=new.kind, direction=new.direction)
                if merged != old:
                    defs.append(DefinitionChange("indicator", code, old, merged, plan.indicators.index(old)))
        if old_box is not None:
            order = tuple(codes[i.code] for i in table.indicators) + tuple(i.code for i in kept)
            current = tuple(i.code for i in plan.indicators_of(label))
            if order != current:
                defs.append(DefinitionChange("order", label, current, order))
        if added:
            defs.append(_catalogue_change(conn, plan))
        return defs, []

    change = _commit(ws, title, build)
    if not change.definitions:
        return Change(title, warnings=tuple(warnings))
    return replace(change, warnings=tuple(warnings))


def import_actuals(ws: Workspace, cells, *, nature: Nature | None = None, label: str = "") -> Change:  # type: ignore[no-untyped-def]
    """Store matched values ``[(code, year, value)]`` as one paste (all or nothing)."""
    change = paste_block(ws, cells, nature=nature)
    return replace(change, label=label or change.label.replace("粘贴", "导入"))


def apply_collected(ws: Workspace, summary, *, label: str = "") -> Change:  # type: ignore[no-untyped-def]
    """Write the values of returned fill-in workbooks (``collect_summary``): one transaction,
    one undo step; each value keeps its nature and 说明 and records the unit as its source."""
    from desktop.domain.changes import CellChange
    from desktop.domain.model import Actual
    from desktop.store.actions import apply_change
    from desktop.store.workspace import now_text

    if not summary.ok:
        errors = [p for p in summary.problems if p.is_error]
        raise ValueRefused(f"收回未执行：{len(errors) + len(summary.between_files)} 处错误，没有写入任何数值。",
                           [p.as_problem() for p in errors])
    unit_of = {v.code: f.unit for f in summary.files for v in f.values}
    at = now_text()
    cells = []
    for v in summary.cells:
        old = ws.actual(v.code, v.year)
        new = Actual(IndicatorCode(v.code), v.year, v.value,
                     nature=v.nature or (old.nature if old is not None else Nature.ANNUAL),
                     source=f"{unit_of.get(v.code, '')}填报", note=v.note or (old.note if old is not None else ""),
                     status=old.status if old is not None else "", updated_by=ws.user, updated_at=at)
        if old is not None and (old.value, old.nature, old.note, old.source) == (new.value, new.nature, new.note, new.source):
            continue
        cells.append(CellChange(IndicatorCode(v.code), v.year, old, new))
    units = "、".join(f.unit for f in summary.files)
    title = label or f"收回科室填报表（{units}）"
    if not cells:
        return Change(title)
    return apply_change(ws, Change(title, tuple(cells)), action="collect")


