"""User actions on a workspace: one small function each, one transaction each (Anki style).

Every action validates first and writes nothing when it refuses; it then writes the new
values, one audit row per changed field of a value (old, new, when, who) and returns a
``Change`` holding the old and new ``Actual`` of every cell it touched. Undo is
``apply_change(ws, change.inverse())``, redo ``apply_change(ws, change)``; that holds for the
definition edits of ``desktop.store.definitions`` too, whose changes carry ``definitions``.

Metadata arguments (``nature``, ``source``, ``note``, ``status``) left as None keep what the
cell already holds, so typing a new number never erases the cell's 说明; a new cell gets
年报 and empty texts. A cell that ends with neither a value nor a status is removed.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from desktop.domain.changes import CellChange, Change, DefinitionChange
from desktop.domain.errors import NotationError, NotFound, Problem, Severity, ValueRefused
from desktop.domain.model import Actual, Indicator, IndicatorCode, Nature, Plan
from desktop.domain.notation import parse_value
from desktop.domain.validation import check_value, label

from . import repository as repo
from .definition_rows import audit_definition, check_foreign_keys, put_definition
from .workspace import Workspace, now_text

__all__ = [
    "set_actual",
    "paste_block",
    "apply_change",
    "lock_year",
    "unlock_year",
    "set_plan_property",
    "set_band",
]

_AUDITED_FIELDS = ("value", "nature", "source", "note", "status")


def set_actual(
    ws: Workspace,
    code: str,
    year: int,
    value: Decimal | None,
    *,
    nature: Nature | None = None,
    source: str | None = None,
    note: str | None = None,
    status: str | None = None,
) -> Change:
    """Set (``value`` None: clear) one cell. ERROR problems refuse it; WARNINGs come back."""
    plan = ws.plan()
    indicator = _indicator(plan, code)
    ws.require_writable()
    problems = check_value(plan, indicator, year, value)
    refused = [p for p in problems if p.severity is Severity.ERROR]
    if refused:
        raise ValueRefused("；".join(p.message for p in refused), refused)
    title = f"修改 {label(indicator, year)}"
    at = now_text()
    with ws.transaction() as conn:
        _refuse_locked(conn, [year])
        old = repo.read_actual(conn, indicator.code, year)
        new = _merged(old, indicator.code, year, value, nature, source, note, status, ws.user, at)
        if _same(old, new):
            return Change(title)
        repo.put_actual(conn, indicator.code, year, new)
        _audit_cell(conn, ws.user, at, "set", indicator.code, year, old, new, title)
    warnings = tuple(p for p in problems if p.severity is not Severity.ERROR)
    return Change(title, (CellChange(indicator.code, year, old, new),), warnings=warnings)


def paste_block(
    ws: Workspace,
    cells: Sequence[tuple[str, int, Decimal | None]],
    *,
    nature: Nature | None = None,
) -> Change:
    """Store a pasted block all or nothing: any ERROR refuses the whole paste, naming every
    bad cell (``ValueRefused.problems`` lists them); otherwise one transaction, one Change."""
    plan = ws.plan()
    ws.require_writable()
    wanted: dict[tuple[str, int], Decimal | None] = {}
    problems: list[Problem] = []
    indicators: dict[str, Indicator] = {}
    locked = ws.locked_years()
    for code, year, value in cells:
        indicator = plan.indicator(code)
        if indicator is None:
            problems.append(Problem(Severity.ERROR, f"没有代码为“{code}”的指标", code, year, "code"))
            continue
        indicators[code] = indicator
        if year in locked:
            problems.append(Problem(Severity.ERROR, _locked_message(year), code, year, "year"))
            continue
        problems.extend(check_value(plan, indicator, year, value))
        wanted[(code, year)] = value
    refused = [p for p in problems if p.severity is Severity.ERROR]
    if refused:
        raise ValueRefused(
            f"粘贴未执行：{len(refused)} 个单元格有错误，没有写入任何数值。" + "；".join(p.message for p in refused),
            refused,
        )
    title = f"粘贴 {len(cells)} 个单元格"
    at = now_text()
    changed: list[CellChange] = []
    with ws.transaction() as conn:
        _refuse_locked(conn, [year for _, year in wanted])
        for (code, year), value in wanted.items():
            old = repo.read_actual(conn, code, year)
            new = _merged(old, IndicatorCode(code), year, value, nature, None, None, None, ws.user, at)
            if _same(old, new):
                continue
            repo.put_actual(conn, code, year, new)
            _audit_cell(conn, ws.user, at, "paste", code, year, old, new, title)
            changed.append(CellChange(IndicatorCode(code), year, old, new))
    warnings = tuple(p for p in problems if p.severity is not Severity.ERROR)
    return Change(title, tuple(changed), warnings=warnings)


def apply_change(ws: Workspace, change: Change, *, action: str | None = None) -> Change:
    """Make every cell and definition of ``change`` hold exactly its ``new`` side (undo with
    the inverse, redo with the original), all in one transaction. Audited as ``action``:
    "undo" for an inverse, else "redo".

    Definitions are written first (an indicator is back before its values return) with
    foreign keys deferred to the end of the transaction. The returned Change records what
    each cell and definition held just before, so it inverts exactly.
    """
    action = action or ("undo" if change.label.startswith("撤销") else "redo")
    plan = ws.plan()
    codes = {i.code for i in plan.indicators}
    for d in change.definitions:
        if d.entity == "indicator":
            (codes.discard if d.new is None else codes.add)(d.key)
    for cell in change.cells:
        if cell.code not in codes and (cell.new is not None or plan.indicator(cell.code) is None):
            raise NotFound(f"没有代码为“{cell.code}”的指标")
    ws.require_writable()
    at = now_text()
    applied: list[CellChange] = []
    defined: list[DefinitionChange] = []
    with ws.transaction() as conn:
        _refuse_locked(conn, [cell.year for cell in change.cells])
        for d in change.definitions:
            done = put_definition(conn, d)
            audit_definition(conn, who=ws.user, at=at, action=action, change=done, detail=change.label)
            defined.append(done)
        for cell in change.cells:
            current = repo.read_actual(conn, cell.code, cell.year)
            new = cell.new
            if new is not None and (new.code != cell.code or new.year != cell.year):
                new = replace(new, code=cell.code, year=cell.year)
            repo.put_actual(conn, cell.code, cell.year, new)
            if not _same(current, new):
                _audit_cell(conn, ws.user, at, action, cell.code, cell.year, current, new, change.label)
            applied.append(CellChange(cell.code, cell.year, current, new))
        if defined:
            check_foreign_keys(conn)
    if defined or change.definition_changed:
        ws.invalidate_plan()
    return Change(change.label, tuple(applied), definition_changed=change.definition_changed,
                  definitions=tuple(defined))


def lock_year(ws: Workspace, year: int, *, note: str = "") -> Change:
    """Mark ``year`` 已上报: its values can no longer change until ``unlock_year``."""
    plan = ws.plan()
    _refuse_outside(plan, year)
    ws.require_writable()
    title = f"标记 {year}年 为已上报"
    at = now_text()
    with ws.transaction() as conn:
        if year in repo.locked_years(conn):
            return Change(title)
        conn.execute(
            "INSERT INTO year_lock (year, locked_at, locked_by, note) VALUES (?, ?, ?, ?)",
            (year, at, ws.user, note),
        )
        repo.add_audit(conn, at=at, who=ws.user, action="lock", year=year, field="year_lock",
                       new_value="已上报", detail=note)
    return Change(title, lock_changed=True)


def unlock_year(ws: Workspace, year: int, *, reason: str) -> Change:
    """撤回: unlock a reported year; who, when and why are kept in the audit log."""
    if not reason.strip():
        raise ValueRefused(f"撤回 {year}年 的上报须说明原因")
    ws.require_writable()
    title = f"撤回 {year}年 的上报"
    at = now_text()
    with ws.transaction() as conn:
        row = conn.execute("SELECT locked_at, locked_by FROM year_lock WHERE year = ?", (year,)).fetchone()
        if row is None:
            raise ValueRefused(f"{year}年未标记为已上报，无需撤回")
        conn.execute("DELETE FROM year_lock WHERE year = ?", (year,))
        repo.add_audit(conn, at=at, who=ws.user, action="unlock", year=year, field="year_lock",
                       old_value=f"已上报（{row[1]}，{row[0]}）", new_value=None, detail=reason.strip())
    return Change(title, lock_changed=True)


def set_plan_property(ws: Workspace, key: str, value: str) -> Change:
    """Set a cover-block property (填报单位, 负责人 …); an empty value removes it.

    Undoable: the Change carries a "property" definition (old and new value, its place)."""
    key = key.strip()
    if not key:
        raise ValueRefused("属性名称不能为空")
    ws.require_writable()
    title = f"修改 {key}"
    with ws.transaction() as conn:
        row = conn.execute("SELECT value FROM plan_property WHERE key = ?", (key,)).fetchone()
        old = row[0] if row else ""
        if old == value:
            return Change(title)
        done = put_definition(conn, DefinitionChange("property", key, old or None, value or None))
        audit_definition(conn, who=ws.user, at=now_text(), action="property", change=done, detail=title)
    ws.invalidate_plan()
    return Change(title, definitions=(done,))


BAND_LIMITS = (Decimal("0.5"), Decimal("20"))
"""Percentage points a 基本符合 band may have (DESIGN §5: 5 by default)."""


def set_band(ws: Workspace, points: str | Decimal) -> Decimal:
    """Set the ± band of 基本符合 around 序时进度, in percentage points ("3", "3.5", "3%");
    stored as a fraction in the file, audited (who, when, old and new). Returns the points."""
    text = str(points).strip().rstrip("%％").strip()
    try:
        value = parse_value(text) if not isinstance(points, Decimal) else points
    except NotationError:
        value = None
    if value is None or not value.is_finite():
        raise ValueRefused(f"“{points}”不是数字：请输入百分点数，如 5 表示序时进度 ±5 个百分点")
    low, high = BAND_LIMITS
    if not low <= value <= high:
        raise ValueRefused(f"“{points}”超出范围：基本符合的幅度应在 {low}—{high} 个百分点之间（默认 5）")
    ws.require_writable()
    old = ws.progress_settings().band * 100
    fraction = (value / 100).normalize()
    with ws.transaction() as conn:
        repo.put_setting(conn, "band", format(fraction, "f"))
        repo.add_audit(conn, at=now_text(), who=ws.user, action="setting", field="band",
                       old_value=format(old.normalize(), "f"), new_value=format(value.normalize(), "f"),
                       detail=f"基本符合的幅度：序时进度 ±{format(old.normalize(), 'f')} → ±{format(value.normalize(), 'f')} 个百分点")
    return value


# ---------------------------------------------------------------------------- helpers


def _indicator(plan: Plan, code: str) -> Indicator:
    indicator = plan.indicator(code)
    if indicator is None:
        raise NotFound(f"没有代码为“{code}”的指标")
    return indicator


def _locked_message(year: int) -> str:
    return f"{year}年已标记为已上报，数值不可修改"


def _refuse_locked(conn: sqlite3.Connection, years: Sequence[int]) -> None:
    locked = sorted(repo.locked_years(conn).intersection(years))
    if locked:
        raise ValueRefused("；".join(_locked_message(y) for y in locked))


def _refuse_outside(plan: Plan, year: int) -> None:
    if not plan.start_year <= year <= plan.end_year:
        raise ValueRefused(f"年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")


def _merged(
    old: Actual | None,
    code: IndicatorCode,
    year: int,
    value: Decimal | None,
    nature: Nature | None,
    source: str | None,
    note: str | None,
    status: str | None,
    who: str,
    at: str,
) -> Actual | None:
    """What the cell holds after the edit; None when it keeps neither a value nor a status."""
    base = old or Actual(code, year, None)
    new = Actual(
        code=code,
        year=year,
        value=value,
        nature=nature if nature is not None else base.nature,
        source=source if source is not None else base.source,
        note=note if note is not None else base.note,
        status=status if status is not None else base.status,
        updated_by=who,
        updated_at=at,
    )
    if new.value is None and not new.status:
        return None
    return new


def _fields(actual: Actual | None) -> dict[str, str | None]:
    """The audited texts of a cell; an empty text counts as absent."""
    if actual is None:
        return dict.fromkeys(_AUDITED_FIELDS)
    return {
        "value": repo.decimal_text(actual.value),
        "nature": actual.nature.value,
        "source": actual.source or None,
        "note": actual.note or None,
        "status": actual.status or None,
    }


def _same(old: Actual | None, new: Actual | None) -> bool:
    return (old is None) == (new is None) and _fields(old) == _fields(new)


def _audit_cell(
    conn: sqlite3.Connection,
    who: str,
    at: str,
    action: str,
    code: str,
    year: int,
    old: Actual | None,
    new: Actual | None,
    detail: str,
) -> None:
    before, after = _fields(old), _fields(new)
    for field in _AUDITED_FIELDS:
        if before[field] == after[field]:
            continue
        if field == "nature" and (old is None or new is None):
            continue  # a created or removed cell: its nature goes with the value row
        repo.add_audit(conn, at=at, who=who, action=action, code=code, year=year, field=field,
                       old_value=before[field], new_value=after[field], detail=detail)
