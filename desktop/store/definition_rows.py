"""Definition records ⇄ rows: read, write and audit one ``DefinitionChange``.

Both the definition actions (``desktop.store.definitions``) and ``apply_change`` (undo and
redo) write through ``put_definition``, so replaying a change writes exactly what the action
wrote. Functions take an open connection inside the caller's transaction and never commit.
"""
from __future__ import annotations

import json
import sqlite3

from desktop.domain.changes import DefinitionChange, PlanHeader
from desktop.domain.errors import NotFound
from desktop.domain.model import Box, Indicator, Plan

from . import repository as repo

__all__ = ["put_definition", "audit_definition", "definition_texts", "check_foreign_keys"]

_INDICATOR_COLUMNS = (
    "code", "box", "section", "seq", "name", "unit", "base", "base_text", "base_label", "target_text",
    "attribute", "kind", "direction", "parent", "rule", "responsible", "tolerance", "task_item", "note", "extra",
)


def put_definition(conn: sqlite3.Connection, change: DefinitionChange) -> DefinitionChange:
    """Make the definition hold ``change.new``; return what was replaced (old = current).

    Foreign keys are deferred to the end of the transaction, so an indicator and its values,
    or a 其中 row and its parent, may be written in any order; ``check_foreign_keys`` before
    committing refuses a change that would leave a dangling reference.
    """
    conn.execute("PRAGMA defer_foreign_keys = ON")
    plan = repo.read_plan(conn)
    entity, key, new = change.entity, change.key, change.new
    if entity == "plan":
        old: object | None = PlanHeader.of(plan)
        _put_plan(conn, _typed(new, PlanHeader, change))
        return DefinitionChange(entity, key, old, new)
    if entity == "catalogue":
        conn.execute("UPDATE plan SET catalogue_version = ? WHERE id = 1", (str(new),))
        return DefinitionChange(entity, key, plan.catalogue_version, new)
    if entity == "property":
        return _put_property(conn, plan, change)
    if entity == "box":
        box = plan.box(key)
        if box is None and change.old is None and new is not None:  # an added box (a table import)
            conn.execute("INSERT INTO box (label, position) VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM box))",
                         (key,))
        elif box is None:
            raise NotFound(f"没有专栏“{key}”")
        elif new is None:  # the inverse of an added box: its indicators are removed before it
            conn.execute("DELETE FROM section WHERE box = ?", (key,))
            conn.execute("DELETE FROM task_item WHERE box = ?", (key,))
            conn.execute("DELETE FROM box WHERE label = ?", (key,))
            return DefinitionChange(entity, key, box, None)
        _put_box(conn, _typed(new, Box, change))
        return DefinitionChange(entity, key, box, new)
    if entity == "indicator":
        return _put_indicator(conn, plan, change)
    if entity == "order":
        old_order = tuple(i.code for i in plan.indicators_of(key))
        _put_order(conn, key, tuple(new or ()))  # type: ignore[arg-type]
        return DefinitionChange(entity, key, old_order, new)
    raise ValueError(f"unknown definition entity {entity!r}")  # pragma: no cover - checked by the record


def check_foreign_keys(conn: sqlite3.Connection) -> None:
    """Raise before commit when a definition write left a dangling reference."""
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        table, _, parent, _ = bad[0]
        raise NotFound(f"定义修改会留下无效引用（{table} → {parent}），未执行")


# ---------------------------------------------------------------------------- writers


def _typed(value: object, kind: type, change: DefinitionChange):
    if not isinstance(value, kind):
        raise ValueError(f"{change.entity} {change.key!r}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _put_plan(conn: sqlite3.Connection, h: PlanHeader) -> None:
    conn.execute(
        "UPDATE plan SET title = ?, region_code = ?, region_name = ?, start_year = ?, end_year = ?,"
        " base_year = ?, wenhao = ?, issuer = ? WHERE id = 1",
        (h.title, h.region_code, h.region_name, h.start_year, h.end_year, h.base_year, h.wenhao, h.issuer),
    )


def _put_property(conn: sqlite3.Connection, plan: Plan, change: DefinitionChange) -> DefinitionChange:
    keys = [k for k, _ in plan.properties]
    values = dict(plan.properties)
    key = change.key
    old, at = values.get(key), (keys.index(key) if key in keys else None)
    if change.new is None:
        if key in keys:
            keys.remove(key)
            conn.execute("DELETE FROM plan_property WHERE key = ?", (key,))
        position = at
    elif key in values:
        conn.execute("UPDATE plan_property SET value = ? WHERE key = ?", (str(change.new), key))
        position = at
    else:
        position = len(keys) if change.position is None else max(0, min(change.position, len(keys)))
        keys.insert(position, key)
        conn.execute("INSERT INTO plan_property (key, value, position) VALUES (?, ?, ?)", (key, str(change.new), -1))
    conn.executemany("UPDATE plan_property SET position = ? WHERE key = ?", [(n, k) for n, k in enumerate(keys)])
    return DefinitionChange("property", key, old, change.new, position)


def _put_box(conn: sqlite3.Connection, box: Box) -> None:
    conn.execute(
        "UPDATE box SET title = ?, kind = ?, name_style = ?, section_style = ?, unit_in_name = ?,"
        " columns = ?, footnotes = ? WHERE label = ?",
        (
            box.title,
            box.kind,
            box.name_style,
            box.section_style,
            int(box.unit_in_name),
            repo._json([{"key": c.key, "header": c.header, "role": c.role} for c in box.columns]),
            repo._json(list(box.footnotes)),
            box.label,
        ),
    )
    conn.execute("DELETE FROM section WHERE box = ?", (box.label,))
    conn.executemany(
        "INSERT INTO section (box, key, position, title) VALUES (?, ?, ?, ?)",
        [(box.label, s.key, n, s.title) for n, s in enumerate(box.sections)],
    )
    conn.execute("DELETE FROM task_item WHERE box = ?", (box.label,))
    conn.executemany(
        "INSERT INTO task_item (box, number, text) VALUES (?, ?, ?)",
        [(box.label, item.number, item.text) for item in box.items],
    )


def _indicator_values(i: Indicator) -> tuple:
    return (
        i.code, i.box, i.section, i.seq, i.name, i.unit, repo.decimal_text(i.base), i.base_text, i.base_label,
        i.target.text, i.attribute.value, i.kind.value, i.direction.value, i.parent, i.rule.value, i.responsible,
        repo.decimal_text(i.tolerance), i.task_item, i.note, repo._json([list(pair) for pair in i.extra]),
    )


def _codes(conn: sqlite3.Connection) -> list[str]:
    return [c for (c,) in conn.execute("SELECT code FROM indicator ORDER BY position, rowid")]


def _renumber(conn: sqlite3.Connection, codes: list[str]) -> None:
    conn.executemany("UPDATE indicator SET position = ? WHERE code = ?", [(n, c) for n, c in enumerate(codes)])


def _put_indicator(conn: sqlite3.Connection, plan: Plan, change: DefinitionChange) -> DefinitionChange:
    code = change.key
    codes = [i.code for i in plan.indicators]
    old = plan.indicator(code)
    at = codes.index(code) if old is not None else None
    new = change.new
    if new is None:
        if old is not None:
            conn.execute("DELETE FROM indicator WHERE code = ?", (code,))
            codes.remove(code)
            _renumber(conn, codes)
        return DefinitionChange("indicator", code, old, None, at)
    new = _typed(new, Indicator, change)
    if new.code != code:
        raise ValueError(f"indicator {code!r}: record has code {new.code!r}")
    values = _indicator_values(new)
    if old is not None:
        assignments = ", ".join(f"{c} = ?" for c in _INDICATOR_COLUMNS[1:])
        conn.execute(f"UPDATE indicator SET {assignments} WHERE code = ?", (*values[1:], code))
        return DefinitionChange("indicator", code, old, new, at)
    columns = ", ".join(_INDICATOR_COLUMNS)
    marks = ", ".join("?" for _ in _INDICATOR_COLUMNS)
    conn.execute(f"INSERT INTO indicator ({columns}, position) VALUES ({marks}, -1)", values)
    position = len(codes) if change.position is None else max(0, min(change.position, len(codes)))
    codes.insert(position, code)
    _renumber(conn, codes)
    return DefinitionChange("indicator", code, None, new, position)


def _put_order(conn: sqlite3.Connection, box: str, order: tuple[str, ...]) -> None:
    """Put the box's rows in ``order`` within the places the box's rows occupy now; rows
    the order does not name keep their relative order after the named ones."""
    codes = _codes(conn)
    members = {c for (c,) in conn.execute("SELECT code FROM indicator WHERE box = ?", (box,))}
    slots = [n for n, c in enumerate(codes) if c in members]
    wanted = [c for c in order if c in members]
    wanted += [c for c in codes if c in members and c not in wanted]
    for slot, code in zip(slots, wanted):
        codes[slot] = code
    _renumber(conn, codes)


# ------------------------------------------------------------------------------ audit


def definition_texts(entity: str, key: str, value: object | None) -> dict[str, str | None]:
    """The audited texts of one definition record, by audit field name ("" counts as absent)."""
    if value is None:
        return {}
    if entity == "indicator" and isinstance(value, Indicator):
        names = _INDICATOR_COLUMNS[1:]
        row = dict(zip(names, _indicator_values(value)[1:]))
        row["target"] = row.pop("target_text")
        texts = {k: (None if v is None else str(v)) for k, v in row.items()}
    elif entity == "plan" and isinstance(value, PlanHeader):
        texts = {f"plan.{k}": str(v) for k, v in vars(value).items()}
    elif entity == "catalogue":
        texts = {"plan.catalogue_version": str(value)}
    elif entity == "property":
        texts = {key: str(value)}
    elif entity == "box" and isinstance(value, Box):
        texts = {
            f"{key}.title": value.title,
            f"{key}.footnotes": repo._json(list(value.footnotes)),
            f"{key}.kind": value.kind,
            f"{key}.columns": repo._json([[c.key, c.header, c.role] for c in value.columns]),
            f"{key}.sections": repo._json([[s.key, s.title] for s in value.sections]),
            f"{key}.items": repo._json([[t.number, t.text] for t in value.items]),
            f"{key}.style": f"{value.name_style}/{value.section_style}/{int(value.unit_in_name)}",
        }
    elif entity == "order":
        texts = {f"{key}.order": ",".join(value)}  # type: ignore[arg-type]
    else:
        texts = {entity: str(value)}
    return {k: (v if v not in ("", "[]") else None) for k, v in texts.items()}


def audit_definition(
    conn: sqlite3.Connection, *, who: str, at: str, action: str, change: DefinitionChange, detail: str
) -> None:
    """One audit row per changed field; an added or removed indicator is one row whose
    old or new text is the whole record as JSON."""
    code = change.key if change.entity == "indicator" else None
    if change.entity == "indicator" and (change.old is None) != (change.new is None):
        record = change.old if change.new is None else change.new
        whole = json.dumps(definition_texts("indicator", change.key, record), ensure_ascii=False, sort_keys=True)
        repo.add_audit(conn, at=at, who=who, action=action, code=code, field="indicator",
                       old_value=whole if change.new is None else None,
                       new_value=whole if change.old is None else None, detail=detail)
        return
    before = definition_texts(change.entity, change.key, change.old)
    after = definition_texts(change.entity, change.key, change.new)
    for field in dict.fromkeys([*before, *after]):
        if before.get(field) != after.get(field):
            repo.add_audit(conn, at=at, who=who, action=action, code=code, field=field,
                           old_value=before.get(field), new_value=after.get(field), detail=detail)
