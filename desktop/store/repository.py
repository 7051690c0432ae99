"""Rows ⇄ domain records: the only module that knows the table layout of ``db/``.

Functions take an open ``sqlite3.Connection`` and never commit: the caller owns the
transaction (one per user action).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.domain.errors import PlanLedgerError
from desktop.domain.model import (
    Actual,
    Attribute,
    Box,
    Column,
    Direction,
    Indicator,
    IndicatorCode,
    Kind,
    Nature,
    Plan,
    Rule,
    Section,
    Target,
    TaskItem,
)
from desktop.domain.notation import format_decimal, parse_target


def decimal_text(value: Decimal | None) -> str | None:
    """How a Decimal is stored: its canonical string ("23.50" → "23.5"), None stays NULL."""
    return None if value is None else format_decimal(value)


def text_decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _members(enum: type) -> dict[str, Any]:
    """value → member, to look stored words up without Enum's slower call (an unknown word still
    goes through the Enum and fails there, as before)."""
    return {m.value: m for m in enum}  # type: ignore[attr-defined]


_ATTRIBUTES, _KINDS, _DIRECTIONS, _RULES, _NATURES = map(_members, (Attribute, Kind, Direction, Rule, Nature))


def target_of(text: str, unit: str) -> Target:
    """Rebuild a Target from its stored text; a text the parser no longer accepts stays text."""
    try:
        return parse_target(text, unit)
    except PlanLedgerError:
        return Target(text=text, qualitative=bool(text.strip()))


# ---------------------------------------------------------------------------------- plan


def write_plan(conn: sqlite3.Connection, plan: Plan) -> None:
    """Insert the whole plan definition into an empty workspace."""
    conn.execute(
        "INSERT INTO plan (id, title, region_code, region_name, start_year, end_year, base_year,"
        " wenhao, issuer, template_id, catalogue_version, sample_note)"
        " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            plan.title,
            plan.region_code,
            plan.region_name,
            plan.start_year,
            plan.end_year,
            plan.base_year,
            plan.wenhao,
            plan.issuer,
            plan.template_id,
            plan.catalogue_version,
            plan.sample_note,
        ),
    )
    conn.executemany(
        "INSERT INTO plan_property (key, value, position) VALUES (?, ?, ?)",
        [(k, v, n) for n, (k, v) in enumerate(plan.properties)],
    )
    for position, box in enumerate(plan.boxes):
        conn.execute(
            "INSERT INTO box (label, position, title, kind, name_style, section_style,"
            " unit_in_name, columns, footnotes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                box.label,
                position,
                box.title,
                box.kind,
                box.name_style,
                box.section_style,
                int(box.unit_in_name),
                _json([{"key": c.key, "header": c.header, "role": c.role} for c in box.columns]),
                _json(list(box.footnotes)),
            ),
        )
        conn.executemany(
            "INSERT INTO section (box, key, position, title) VALUES (?, ?, ?, ?)",
            [(box.label, s.key, n, s.title) for n, s in enumerate(box.sections)],
        )
        conn.executemany(
            "INSERT INTO task_item (box, number, text) VALUES (?, ?, ?)",
            [(box.label, item.number, item.text) for item in box.items],
        )
    conn.executemany(
        "INSERT INTO indicator (code, box, section, position, seq, name, unit, base, base_text,"
        " base_label, target_text, attribute, kind, direction, parent, rule, responsible,"
        " tolerance, task_item, note, extra)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                i.code,
                i.box,
                i.section,
                position,
                i.seq,
                i.name,
                i.unit,
                decimal_text(i.base),
                i.base_text,
                i.base_label,
                i.target.text,
                i.attribute.value,
                i.kind.value,
                i.direction.value,
                i.parent,
                i.rule.value,
                i.responsible,
                decimal_text(i.tolerance),
                i.task_item,
                i.note,
                _json([list(pair) for pair in i.extra]),
            )
            for position, i in enumerate(plan.indicators)
        ],
    )


def read_plan(conn: sqlite3.Connection) -> Plan:
    row = conn.execute(
        "SELECT title, region_code, region_name, start_year, end_year, base_year, wenhao, issuer,"
        " template_id, catalogue_version, sample_note FROM plan WHERE id = 1"
    ).fetchone()
    if row is None:
        raise sqlite3.DatabaseError("workspace has no plan row")
    properties = tuple(
        (k, v) for k, v in conn.execute("SELECT key, value FROM plan_property ORDER BY position, rowid")
    )
    sections: dict[str, list[Section]] = {}
    for box, key, title in conn.execute("SELECT box, key, title FROM section ORDER BY box, position"):
        sections.setdefault(box, []).append(Section(key=key, box=box, title=title))
    items: dict[str, list[TaskItem]] = {}
    for box, number, text in conn.execute("SELECT box, number, text FROM task_item ORDER BY box, number"):
        items.setdefault(box, []).append(TaskItem(number=number, text=text))
    boxes = tuple(
        Box(
            label=label,
            title=title,
            kind=kind,
            columns=tuple(Column(c["key"], c["header"], c["role"]) for c in json.loads(columns)),
            footnotes=tuple(json.loads(footnotes)),
            sections=tuple(sections.get(label, ())),
            items=tuple(items.get(label, ())),
            name_style=name_style,
            section_style=section_style,
            unit_in_name=bool(unit_in_name),
        )
        for label, title, kind, name_style, section_style, unit_in_name, columns, footnotes in conn.execute(
            "SELECT label, title, kind, name_style, section_style, unit_in_name, columns, footnotes"
            " FROM box ORDER BY position"
        )
    )
    indicators = tuple(
        _indicator(r)
        for r in conn.execute(
            "SELECT code, box, section, seq, name, unit, base, base_text, base_label, target_text,"
            " attribute, kind, direction, parent, rule, responsible, tolerance, task_item, note,"
            " extra FROM indicator ORDER BY position"
        )
    )
    return Plan(
        title=row[0],
        region_code=row[1],
        region_name=row[2],
        start_year=row[3],
        end_year=row[4],
        base_year=row[5],
        wenhao=row[6],
        issuer=row[7],
        template_id=row[8],
        catalogue_version=row[9],
        sample_note=row[10],
        boxes=boxes,
        indicators=indicators,
        properties=properties,
    )


def _indicator(r: tuple) -> Indicator:
    (code, box, section, seq, name, unit, base, base_text, base_label, target_text, attribute,
     kind, direction, parent, rule, responsible, tolerance, task_item, note, extra) = r
    return Indicator(
        code=IndicatorCode(code),
        box=box,
        name=name,
        unit=unit,
        target=target_of(target_text, unit),
        seq=seq,
        section=section,
        base=text_decimal(base),
        base_text=base_text,
        base_label=base_label,
        attribute=_ATTRIBUTES.get(attribute) or Attribute(attribute),
        kind=_KINDS.get(kind) or Kind(kind),
        direction=_DIRECTIONS.get(direction) or Direction(direction),
        parent=IndicatorCode(parent) if parent is not None else None,
        rule=_RULES.get(rule) or Rule(rule),
        responsible=responsible,
        tolerance=text_decimal(tolerance),
        task_item=task_item,
        note=note,
        extra=tuple((k, v) for k, v in json.loads(extra)) if extra != "[]" else (),  # (most have none)
    )


def set_property(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Set (or with an empty value remove) a plan property, keeping its place in the order."""
    if value == "":
        conn.execute("DELETE FROM plan_property WHERE key = ?", (key,))
        return
    conn.execute(
        "INSERT INTO plan_property (key, value, position)"
        " VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM plan_property))"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# ------------------------------------------------------------------------------- actuals

_ACTUAL_COLUMNS = "code, year, value, nature, source, note, status, updated_by, updated_at"


def _actual(r: tuple) -> Actual:
    code, year, value, nature, source, note, status, updated_by, updated_at = r
    return Actual(
        code=IndicatorCode(code),
        year=year,
        value=text_decimal(value),
        nature=_NATURES.get(nature) or Nature(nature),
        source=source,
        note=note,
        status=status,
        updated_by=updated_by,
        updated_at=updated_at,
    )


def read_actuals(conn: sqlite3.Connection, codes: Iterable[str] | None = None) -> dict[str, dict[int, Actual]]:
    """Every stored value, or only those of ``codes`` (an edit re-reads just its rows)."""
    result: dict[str, dict[int, Actual]] = {}
    if codes is None:
        rows = conn.execute(f"SELECT {_ACTUAL_COLUMNS} FROM actual ORDER BY code, year")
    else:
        wanted = sorted(set(codes))
        rows = conn.execute(
            f"SELECT {_ACTUAL_COLUMNS} FROM actual WHERE code IN (SELECT value FROM json_each(?)) ORDER BY code, year",
            (json.dumps(wanted),),
        )
    for r in rows:
        actual = _actual(r)
        result.setdefault(actual.code, {})[actual.year] = actual
    return result


def read_actual(conn: sqlite3.Connection, code: str, year: int) -> Actual | None:
    r = conn.execute(f"SELECT {_ACTUAL_COLUMNS} FROM actual WHERE code = ? AND year = ?", (code, year)).fetchone()
    return _actual(r) if r else None


def write_actual(conn: sqlite3.Connection, actual: Actual) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO actual ({_ACTUAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            actual.code,
            actual.year,
            decimal_text(actual.value),
            actual.nature.value,
            actual.source,
            actual.note,
            actual.status,
            actual.updated_by,
            actual.updated_at,
        ),
    )


def put_actual(conn: sqlite3.Connection, code: str, year: int, actual: Actual | None) -> None:
    """Make the cell hold exactly ``actual`` (None = empty)."""
    if actual is None:
        conn.execute("DELETE FROM actual WHERE code = ? AND year = ?", (code, year))
    else:
        write_actual(conn, actual)


def write_actuals(conn: sqlite3.Connection, actuals: Iterable[Actual]) -> int:
    count = 0
    for actual in actuals:
        write_actual(conn, actual)
        count += 1
    return count


# --------------------------------------------------------------------------------- audit


AUDIT_ACTIONS = {"set": "填写", "paste": "粘贴", "undo": "撤销", "redo": "重做", "lock": "标记上报",
                 "unlock": "撤回上报", "import": "导入", "create": "新建", "migrate": "升级", "define": "修改定义",
                 "property": "修改规划属性", "export": "导出报送", "setting": "修改设置", "consolidate": "汇总"}
AUDIT_FIELDS = {"value": "数值", "nature": "数据性质", "source": "来源", "note": "说明", "status": "状态",
                "year_lock": "上报", "indicator": "指标定义", "target": "目标值",
                "band": "基本符合幅度（百分点）"}
"""How the audit log's actions and fields are named to a user (修改记录 panel, ``history``)."""


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log: who changed what, when, from which old to which new text."""

    id: int
    at: str
    who: str
    action: str
    code: str | None
    year: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    detail: str


def add_audit(
    conn: sqlite3.Connection,
    *,
    at: str,
    who: str,
    action: str,
    code: str | None = None,
    year: int | None = None,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
    detail: str = "",
) -> None:
    conn.execute(
        "INSERT INTO audit (at, who, action, code, year, field, old_value, new_value, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, who, action, code, year, field, old_value, new_value, detail),
    )


def read_audit(conn: sqlite3.Connection, code: str | None = None, year: int | None = None) -> list[AuditEntry]:
    where, params = [], []
    if code is not None:
        where.append("code = ?")
        params.append(code)
    if year is not None:
        where.append("year = ?")
        params.append(year)
    sql = "SELECT id, at, who, action, code, year, field, old_value, new_value, detail FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [AuditEntry(*r) for r in conn.execute(sql + " ORDER BY id", params)]


# --------------------------------------------------------------------- locks and settings


def latest_year(conn: sqlite3.Connection, start: int, end: int) -> int | None:
    """The latest year in ``start``–``end`` holding any stored value (``default_year`` without
    reading every value)."""
    row = conn.execute("SELECT MAX(year) FROM actual WHERE year BETWEEN ? AND ?", (start, end)).fetchone()
    return None if row is None else row[0]


def locked_years(conn: sqlite3.Connection) -> set[int]:
    return {y for (y,) in conn.execute("SELECT year FROM year_lock")}


def get_setting(conn: sqlite3.Connection, key: str):
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def put_setting(conn: sqlite3.Connection, key: str, value) -> None:
    conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, _json(value)))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
