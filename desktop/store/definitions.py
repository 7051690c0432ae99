"""Editing the plan definition: one small function per user action (Editor, item 2).

Each action validates against the current plan and refuses with a typed error before
anything is written; it then runs one transaction that writes the new records through
``put_definition`` (the same writer undo and redo use), writes audit rows (action "define",
one per changed field), and returns a ``Change`` whose ``definitions`` hold the exact old and
new records. Undo is ``apply_change(ws, change.inverse())``, redo ``apply_change(ws, change)``.

Decisions:

* An added indicator gets the code ``<region code>-u<NNN>`` from a counter kept in the
  ``setting`` table; the counter never goes back (not even on undo), so a code is never reused.
* The catalogue version changes when indicators are added or deleted, or when what an
  indicator measures changes (unit, kind, direction, consolidation rule, 其中 parent): the
  template's version gets the suffix ``+local.N``, N from a counter that never goes back.
  Renaming, targets, base values and order do not change the catalogue.
* A 其中 row belongs right under its parent: giving a row a parent moves it to the end of
  the parent's rows; moving a row moves its 其中 rows with it; a 其中 row moves only among the
  其中 rows of its parent, a top-level row only among the top-level rows of its section.
* ``add_indicator(after=…)`` places the row after ``after`` and its 其中 rows (a 其中 row with
  the same parent goes right after its sibling); a ``parent`` wins over ``after``.
* Sequence numbers (序号) are not renumbered by a move or an insertion, and changing a row's
  section does not move it; they are what the user types.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from enum import Enum

from desktop.domain.changes import CellChange, Change, DefinitionChange, PlanHeader
from desktop.domain.errors import NotationError, NotFound, Problem, Severity, ValueRefused
from desktop.domain.model import (DENOMINATOR_KEY, NUMERATOR_KEY, Attribute, Direction, Indicator, IndicatorCode, Kind,
                                  Plan, Rule, Target)
from desktop.domain.notation import infer_kind, parse_target, parse_value
from desktop.domain.region import PROVINCES, parse_region_code

from . import repository as repo
from .actions import _audit_cell
from .definition_checks import no_negative_count, unique_name, unit_kept_under_values
from .definition_rows import audit_definition, check_foreign_keys, put_definition
from .workspace import Workspace, now_text

__all__ = [
    "update_indicator",
    "add_indicator",
    "delete_indicator",
    "move_indicator",
    "update_box",
    "update_plan",
    "set_plan_properties",
    "INDICATOR_FIELDS",
]

INDICATOR_FIELDS: dict[str, str] = {
    "name": "名称",
    "unit": "单位",
    "seq": "序号",
    "target_text": "目标值",
    "base_text": "基期值",
    "base_label": "基期说明",
    "attribute": "属性",
    "kind": "计算方式",
    "direction": "方向",
    "parent": "上级指标",
    "rule": "汇总规则",
    "responsible": "责任单位",
    "tolerance": "容差",
    "section": "分组",
    "task_item": "任务事项",
    "note": "备注",
    "numerator": "比率分子指标",
    "denominator": "比率分母指标",
}
"""Fields ``update_indicator`` accepts, with the Chinese names used in undo labels."""

PLAN_FIELDS: dict[str, str] = {
    "title": "标题",
    "start_year": "开始年份",
    "end_year": "结束年份",
    "base_year": "基期年份",
    "region_code": "行政区划代码",
    "region_name": "行政区划名称",
    "wenhao": "文号",
    "issuer": "印发单位",
}

MAX_PERIOD_YEARS = 10
CODE_COUNTER = "local_indicator_counter"
CATALOGUE_COUNTER = "local_catalogue_revision"
_CATALOGUE_FIELDS = ("unit", "kind", "direction", "rule", "parent")
_MODEL_FIELDS = {"target_text": ("target",), "base_text": ("base", "base_text"), "numerator": ("extra",),
                 "denominator": ("extra",)}

Build = Callable[[sqlite3.Connection], tuple[list[DefinitionChange], list[CellChange]]]


# ---------------------------------------------------------------------------- indicators


def update_indicator(ws: Workspace, code: str, **fields: object) -> Change:
    """Change fields of one indicator (see ``INDICATOR_FIELDS``); "修改指标 … 的目标值"."""
    unknown = sorted(set(fields) - set(INDICATOR_FIELDS))
    if unknown:
        raise TypeError(f"update_indicator() got unexpected fields: {', '.join(unknown)}")
    plan = ws.plan()
    old = _indicator(plan, code)
    ws.require_writable()
    new = _edited(plan, old, fields)
    unique_name(plan, new)
    no_negative_count(new)
    unit_kept_under_values(ws, old, new)
    changed = [f for f in fields if any(getattr(old, a) != getattr(new, a) for a in _MODEL_FIELDS.get(f, (f,)))]
    title = f"修改指标 {old.name}" + (" 的" + "、".join(INDICATOR_FIELDS[f] for f in changed) if changed else "")
    if new == old:
        return Change(title)
    position = plan.indicators.index(old)
    defs = [DefinitionChange("indicator", old.code, old, new, position)]
    if new.parent != old.parent:
        order = _order_with_parent(plan, old.code, new.parent, old.parent)
        if order != _box_order(plan, old.box):
            defs.append(DefinitionChange("order", old.box, _box_order(plan, old.box), order))
    bump = any(getattr(old, f) != getattr(new, f) for f in _CATALOGUE_FIELDS)

    def build(conn: sqlite3.Connection):
        return defs + ([_catalogue_change(conn, plan)] if bump else []), []

    return _commit(ws, title, build)


def add_indicator(
    ws: Workspace,
    box: str,
    *,
    after: str | None = None,
    name: str,
    unit: str = "",
    target_text: str = "",
    base_text: str = "",
    base_label: str = "",
    attribute: Attribute | str = Attribute.EXPECTED,
    kind: Kind | str | None = None,
    direction: Direction | str | None = None,
    parent: str | None = None,
    section: str | None = None,
    seq: str = "",
    rule: Rule | str | None = None,
    responsible: str = "",
    tolerance: Decimal | str | None = None,
    task_item: int | None = None,
    note: str = "",
) -> Change:
    """Add an indicator to ``box`` after the row ``after`` (and its 其中 rows) or, without
    ``after``, after its parent's rows or at the end of the box. ``kind`` and ``direction``
    default to ``infer_kind``; ``rule`` to 不可汇总 for % and ‰ units, else 求和."""
    plan = ws.plan()
    the_box = plan.box(box)
    if the_box is None:
        raise NotFound(f"没有专栏“{box}”")
    anchor = _indicator(plan, after) if after else None
    if anchor is not None and anchor.box != box:
        raise ValueRefused(f"指标“{anchor.name}”不在{box}中，不能在其后添加")
    ws.require_writable()
    if section is None:
        near = anchor or (plan.indicator(parent) if parent else None) or next(reversed(plan.indicators_of(box)), None)
        section = near.section if near is not None else (the_box.sections[0].key if the_box.sections else None)
    draft = Indicator(IndicatorCode(""), box, "", unit, Target(""), section=section)
    fields: dict[str, object] = dict(
        name=name, unit=unit, seq=seq, target_text=target_text, base_text=base_text, base_label=base_label,
        attribute=attribute, parent=parent, section=section, responsible=responsible, tolerance=tolerance,
        task_item=task_item, note=note,
    )
    draft = _edited(plan, draft, fields)
    guessed_kind, guessed_direction = infer_kind(draft.target, draft.name, draft.unit)
    draft = _edited(plan, draft, {
        "kind": guessed_kind if kind is None else kind,
        "direction": guessed_direction if direction is None else direction,
        "rule": (Rule.NOT_SUMMABLE if draft.unit in ("%", "％", "‰") else Rule.SUM) if rule is None else rule,
    })
    unique_name(plan, draft)
    no_negative_count(draft)
    if anchor is not None and draft.parent is not None and draft.parent == anchor.parent:
        position = plan.indicators.index(anchor) + 1  # a 其中 row right after its sibling
    elif draft.parent is not None or anchor is not None:
        block_of = draft.parent or anchor.parent or anchor.code  # type: ignore[union-attr]
        position = plan.indicators.index(_block(plan, block_of)[-1]) + 1
    else:
        position = _end_of_box(plan, box)
    title = f"添加指标 {draft.name}"

    def build(conn: sqlite3.Connection):
        code = _next_code(conn, plan)
        new = replace(draft, code=code)
        return [DefinitionChange("indicator", code, None, new, position), _catalogue_change(conn, plan)], []

    return _commit(ws, title, build)


def delete_indicator(ws: Workspace, code: str) -> Change:
    """Delete an indicator with its values (the Change keeps them, so undo restores them).

    Refused while it has 其中 rows or holds a value in a year marked 已上报."""
    plan = ws.plan()
    old = _indicator(plan, code)
    children = [i for i in plan.indicators if i.parent == old.code]
    if children:
        names = "、".join(f"“{c.name}”" for c in children)
        raise ValueRefused(f"指标“{old.name}”有其中项{names}，请先删除这些其中项或取消其上级指标")
    values = ws.actuals().get(old.code, {})
    locked = sorted(ws.locked_years().intersection(values))
    if locked:
        years = "、".join(f"{y}年" for y in locked)
        raise ValueRefused(f"指标“{old.name}”在已上报的 {years} 有数值，不能删除；请先撤回上报")
    ws.require_writable()
    position = plan.indicators.index(old)
    cells = [CellChange(old.code, year, actual, None) for year, actual in sorted(values.items())]

    def build(conn: sqlite3.Connection):
        return [DefinitionChange("indicator", old.code, old, None, position), _catalogue_change(conn, plan)], cells

    return _commit(ws, f"删除指标 {old.name}", build)


def move_indicator(ws: Workspace, code: str, *, up: bool | None = None, to_index: int | None = None) -> Change:
    """Move a row one place up or down (``up``) or to ``to_index`` among its siblings: the
    top-level rows of its box and section, or the 其中 rows of its parent. Its 其中 rows move
    with it. Moving past either end changes nothing (an empty Change)."""
    if (up is None) == (to_index is None):
        raise TypeError("move_indicator() needs exactly one of up= or to_index=")
    plan = ws.plan()
    ind = _indicator(plan, code)
    ws.require_writable()
    rows = plan.indicators_of(ind.box)
    if ind.parent is not None:
        siblings = [i.code for i in rows if i.parent == ind.parent]
    else:
        siblings = [i.code for i in rows if i.parent is None and i.section == ind.section]
    here = siblings.index(ind.code)
    if up is not None:
        title = f"{'上移' if up else '下移'} {ind.name}"
        target = here - 1 if up else here + 1
        if not 0 <= target < len(siblings):
            group = f"“{plan.indicator(ind.parent).name}”的其中项" if ind.parent else "本组"  # type: ignore[union-attr]
            end = "最上面" if up else "最下面"
            why = f"“{ind.name}”已在{group}的{end}，不能再{'上移' if up else '下移'}（行只在同组内移动，其中项随上级指标一起移动）"
            return Change(title, warnings=(Problem(Severity.WARNING, why, ind.code),))
    else:
        title = f"移动 {ind.name}"
        target = to_index  # type: ignore[assignment]
        if not 0 <= target < len(siblings):
            raise ValueRefused(f"位置 {to_index} 超出范围：“{ind.name}”可移到 0—{len(siblings) - 1}")
    if target == here:
        return Change(title)
    old_order = _box_order(plan, ind.box)
    moving = [i.code for i in _block(plan, ind.code)]
    order = [c for c in old_order if c not in moving]
    others = [c for c in siblings if c != ind.code]
    if target < len(others):
        at = order.index(others[target])
    else:
        at = order.index(_block(plan, others[-1])[-1].code) + 1
    order[at:at] = moving
    definition = DefinitionChange("order", ind.box, old_order, tuple(order))
    return _commit(ws, title, lambda conn: ([definition], []))


# -------------------------------------------------------------------------- box and plan


def update_box(ws: Workspace, label: str, *, title: str | None = None, footnotes: Sequence[str] | None = None) -> Change:
    """Change a box's title and its 注 lines (blank lines are dropped)."""
    plan = ws.plan()
    old = plan.box(label)
    if old is None:
        raise NotFound(f"没有专栏“{label}”")
    ws.require_writable()
    new = old
    if title is not None:
        new = replace(new, title=title.strip())
    if footnotes is not None:
        if isinstance(footnotes, str):
            footnotes = footnotes.splitlines()
        new = replace(new, footnotes=tuple(line.strip() for line in footnotes if line.strip()))
    what = [n for n, changed in (("标题", new.title != old.title), ("注", new.footnotes != old.footnotes)) if changed]
    text = f"修改 {label}" + (" 的" + "、".join(what) if what else "")
    if new == old:
        return Change(text)
    definition = DefinitionChange("box", label, old, new)
    return _commit(ws, text, lambda conn: ([definition], []))


def update_plan(
    ws: Workspace,
    *,
    title: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    base_year: int | None = None,
    region_code: str | None = None,
    region_name: str | None = None,
    wenhao: str | None = None,
    issuer: str | None = None,
) -> Change:
    """Change the plan's title, period, base year, region, 文号 or issuer (None keeps)."""
    plan = ws.plan()
    ws.require_writable()
    old = PlanHeader.of(plan)
    given = dict(title=title, start_year=start_year, end_year=end_year, base_year=base_year,
                 region_code=region_code, region_name=region_name, wenhao=wenhao, issuer=issuer)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in given.items() if v is not None}
    if "region_code" in values:
        values["region_code"] = parse_region_code(str(values["region_code"]))
    new = replace(old, **values)
    _check_header(new)
    if new.region_code[:2] != old.region_code[:2] and ws.actuals():
        raise ValueRefused(
            f"行政区划代码 {new.region_code} 属于{PROVINCES.get(new.region_code[:2], '另一省份')}，本台账的数值属于"
            f"{PROVINCES.get(old.region_code[:2], '原省份')}的{old.region_name}（{old.region_code}）；"
            "已有数值的台账不能改到另一个省份，请检查代码（同一省内可以修改）"
        )
    if (new.start_year, new.end_year) != (old.start_year, old.end_year):
        outside = sorted({y for years in ws.actuals().values() for y in years if not new.start_year <= y <= new.end_year})
        if outside:
            listed = "、".join(f"{y}年" for y in outside)
            raise ValueRefused(
                f"规划期改为 {new.start_year}—{new.end_year} 年后，{listed} 的数值将落在规划期外；请先清除这些年份的数值"
            )
    changed = [PLAN_FIELDS[k] for k in PLAN_FIELDS if getattr(old, k) != getattr(new, k)]
    text = "修改规划" + ("的" + "、".join(changed) if changed else "")
    if new == old:
        return Change(text)
    definition = DefinitionChange("plan", "", old, new)
    return _commit(ws, text, lambda conn: ([definition], []))


def set_plan_properties(ws: Workspace, values: Mapping[str, str]) -> Change:
    """Set several cover-block properties (填报单位, 负责人, 填报人, 联系电话 …) as one change;
    an empty value removes the property."""
    plan = ws.plan()
    ws.require_writable()
    current = dict(plan.properties)
    keys = [k for k, _ in plan.properties]
    defs: list[DefinitionChange] = []
    for raw_key, raw_value in values.items():
        key, value = str(raw_key).strip(), str(raw_value or "").strip()
        if not key:
            raise ValueRefused("属性名称不能为空")
        old = current.get(key)
        if (old or "") != value:
            defs.append(DefinitionChange("property", key, old, value or None, keys.index(key) if key in keys else None))
    text = "修改 " + "、".join(d.key for d in defs) if defs else "修改填报信息"
    if not defs:
        return Change(text)
    return _commit(ws, text, lambda conn: (defs, []))


# ------------------------------------------------------------------------------- helpers


def _commit(ws: Workspace, title: str, build: Build) -> Change:
    """Run ``build`` and write its records in one transaction; audit as "define"."""
    at = now_text()
    done: list[DefinitionChange] = []
    with ws.transaction() as conn:
        definitions, cells = build(conn)
        for d in definitions:
            applied = put_definition(conn, d)
            audit_definition(conn, who=ws.user, at=at, action="define", change=applied, detail=title)
            done.append(applied)
        for cell in cells:
            repo.put_actual(conn, cell.code, cell.year, cell.new)
            _audit_cell(conn, ws.user, at, "define", cell.code, cell.year, cell.old, cell.new, title)
        check_foreign_keys(conn)
    ws.invalidate_plan()
    return Change(title, tuple(cells), definitions=tuple(done))


def _indicator(plan: Plan, code: str) -> Indicator:
    indicator = plan.indicator(code)
    if indicator is None:
        raise NotFound(f"没有代码为“{code}”的指标")
    return indicator


def _choice(enum: type[Enum], value: object, what: str) -> Enum:
    """An enum member from itself, its value or its Chinese label."""
    if isinstance(value, enum):
        return value
    text = str(value).strip()
    for member in enum:  # type: ignore[var-annotated]
        label = str(getattr(member, "label", ""))
        if text in (member.value, member.name, label) or (label and text == re.split(r"[(（]", label)[0]):
            return member
    allowed = "、".join(str(getattr(m, "label", m.value)) for m in enum)  # type: ignore[attr-defined]
    raise ValueRefused(f"{what}“{value}”无效，可选：{allowed}")


def _edited(plan: Plan, ind: Indicator, fields: Mapping[str, object]) -> Indicator:
    """``ind`` with ``fields`` applied, every field checked; raises the typed error."""
    out: dict[str, object] = {}
    text = {k: ("" if v is None else str(v).strip()) for k, v in fields.items()
            if k in ("name", "unit", "seq", "target_text", "base_text", "base_label", "responsible", "note")}
    if "name" in text:
        if not text["name"]:
            raise ValueRefused("指标名称不能为空")
        out["name"] = text["name"]
    for key in ("seq", "base_label", "responsible", "note"):
        if key in text:
            out[key] = text[key]
    unit = text.get("unit", ind.unit)
    out["unit"] = unit
    if "target_text" in text or unit != ind.unit:
        written = text.get("target_text", ind.target.text)
        try:
            out["target"] = parse_target(written, unit)
        except NotationError as exc:
            prefix = "" if "target_text" in text else f"单位改为“{unit}”后，"
            raise NotationError(prefix + exc.message) from None
    if "base_text" in text:
        try:
            out["base"] = parse_value(text["base_text"], unit)
        except NotationError as exc:
            raise NotationError("基期" + exc.message) from None
        out["base_text"] = text["base_text"]
    if "attribute" in fields:
        out["attribute"] = _choice(Attribute, fields["attribute"], "属性")
    if "kind" in fields:
        out["kind"] = _choice(Kind, fields["kind"], "计算方式")
    if "direction" in fields:
        out["direction"] = _choice(Direction, fields["direction"], "方向")
    if "rule" in fields:
        out["rule"] = _choice(Rule, fields["rule"], "汇总规则")
    if "tolerance" in fields:
        out["tolerance"] = _tolerance(fields["tolerance"])
    if "task_item" in fields:
        out["task_item"] = _task_item(plan, ind.box, fields["task_item"])
    if "section" in fields:
        out["section"] = _section(plan, ind.box, fields["section"])
    if "parent" in fields:
        parent = fields["parent"]
        out["parent"] = _parent(plan, ind, str(parent).strip()) if parent not in (None, "") else None
    if "numerator" in fields or "denominator" in fields:
        out["extra"] = _ratio_parts(plan, ind, fields)
    return replace(ind, **out)


def _ratio_parts(plan: Plan, ind: Indicator, fields: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The 比率 numerator / denominator codes, kept in ``extra``: other indicators of the plan,
    not the ratio itself, not the same one twice (empty clears)."""
    extra = dict(ind.extra)
    chosen: dict[str, str] = {}
    for key, field, what in ((NUMERATOR_KEY, "numerator", "分子"), (DENOMINATOR_KEY, "denominator", "分母")):
        value = fields.get(field, extra.get(key, ""))
        code = "" if value is None else str(value).strip()
        if code:
            part = plan.indicator(code)
            if part is None:
                raise NotFound(f"比率的{what}指标“{code}”不存在")
            if part.code == ind.code:
                raise ValueRefused(f"指标“{ind.name}”不能是自己的{what}")
            if part.unit.strip() in ("%", "％", "‰"):
                raise ValueRefused(f"比率的{what}应是可相加的数量（如人数），“{part.name}”的单位是“{part.unit}”")
        chosen[key] = code
    if chosen[NUMERATOR_KEY] and chosen[NUMERATOR_KEY] == chosen[DENOMINATOR_KEY]:
        raise ValueRefused("比率的分子和分母不能是同一个指标")
    for key, code in chosen.items():
        if code:
            extra[key] = code
        else:
            extra.pop(key, None)
    return tuple(extra.items())


def _tolerance(value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = value if isinstance(value, Decimal) else parse_value(str(value))
    if number is None or not Decimal(0) < number < Decimal(1):
        raise ValueRefused(f"容差“{value}”应为 0 到 1 之间的小数（如 0.05 表示目标值的 ±5%）")
    return number


def _task_item(plan: Plan, box: str, value: object) -> int | None:
    if value in (None, ""):
        return None
    numbers = [t.number for t in plan.box(box).items]  # type: ignore[union-attr]
    if not isinstance(value, int) or value not in numbers:
        raise ValueRefused(f"{box}没有第 {value} 项任务")
    return value


def _section(plan: Plan, box: str, value: object) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    for s in plan.box(box).sections:  # type: ignore[union-attr]
        if text in (s.key, s.title):
            return s.key
    raise ValueRefused(f"{box}没有分组“{text}”")


def _parent(plan: Plan, ind: Indicator, code: str) -> IndicatorCode:
    """Check a 其中 parent: same box, not itself, no cycle, one level deep only."""
    if code == ind.code:
        raise ValueRefused(f"指标“{ind.name}”不能是自己的其中项")
    parent = plan.indicator(code)
    if parent is None:
        raise NotFound(f"没有代码为“{code}”的指标，不能作为上级指标")
    if parent.box != ind.box:
        raise ValueRefused(f"上级指标“{parent.name}”在{parent.box}，不在{ind.box}")
    walk: Indicator | None = parent
    while walk is not None and walk.parent is not None:
        if walk.parent == ind.code:
            raise ValueRefused(f"“{parent.name}”是“{ind.name}”的其中项，设为其上级会形成循环")
        walk = plan.indicator(walk.parent)
    if parent.parent is not None:
        grand = plan.indicator(parent.parent)
        raise ValueRefused(f"“{parent.name}”本身是“{grand.name if grand else parent.parent}”的其中项，不能再有其中项")
    children = [i.name for i in plan.indicators if i.parent == ind.code] if ind.code else []
    if children:
        raise ValueRefused(f"“{ind.name}”有其中项“{'”、“'.join(children)}”，不能再作为其中项")
    return parent.code


def _box_order(plan: Plan, box: str) -> tuple[str, ...]:
    return tuple(i.code for i in plan.indicators_of(box))


def _block(plan: Plan, code: str) -> list[Indicator]:
    """A row and its 其中 rows, in printed order."""
    return [i for i in plan.indicators if i.code == code or i.parent == code]


def _end_of_box(plan: Plan, box: str) -> int:
    """Index in ``plan.indicators`` just after the last row of ``box`` (or of earlier boxes)."""
    labels = [b.label for b in plan.boxes]
    upto = labels[: labels.index(box) + 1]
    last = [n for n, i in enumerate(plan.indicators) if i.box in upto]
    return last[-1] + 1 if last else 0


def _order_with_parent(plan: Plan, code: str, parent: str | None, former: str | None) -> tuple[str, ...]:
    """The box order after ``code`` becomes a 其中 of ``parent`` (at the end of its rows) or
    leaves ``former`` (placed after the former parent's rows)."""
    ind = _indicator(plan, code)
    order = [c for c in _box_order(plan, ind.box) if c != code]
    anchor = parent or former
    block = [i.code for i in _block(plan, anchor) if i.code != code]  # type: ignore[arg-type]
    order.insert(order.index(block[-1]) + 1, code)
    return tuple(order)


def _next_code(conn: sqlite3.Connection, plan: Plan) -> IndicatorCode:
    """``<region code>-uNNN`` from a counter that never goes back, skipping taken codes."""
    n = int(repo.get_setting(conn, CODE_COUNTER) or 0)
    taken = {c for (c,) in conn.execute("SELECT code FROM indicator")}
    while True:
        n += 1
        code = f"{plan.region_code}-u{n:03d}"
        if code not in taken:
            break
    repo.put_setting(conn, CODE_COUNTER, n)
    return IndicatorCode(code)


def _catalogue_change(conn: sqlite3.Connection, plan: Plan) -> DefinitionChange:
    """The next local catalogue version: ``<template version>+local.N``, N never reused."""
    n = int(repo.get_setting(conn, CATALOGUE_COUNTER) or 0) + 1
    repo.put_setting(conn, CATALOGUE_COUNTER, n)
    base = re.sub(r"\+local\.\d+$", "", plan.catalogue_version)
    version = f"{base}+local.{n}" if base else f"local.{n}"
    return DefinitionChange("catalogue", "", plan.catalogue_version, version)


def _check_header(h: PlanHeader) -> None:
    if not h.title:
        raise ValueRefused("规划标题不能为空")
    if not h.region_name:
        raise ValueRefused("行政区划名称不能为空")
    for what, year in (("开始", h.start_year), ("结束", h.end_year), ("基期", h.base_year)):
        if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100:
            raise ValueRefused(f"规划期{what}年份“{year}”不是合理的年份")
    if h.end_year < h.start_year:
        raise ValueRefused(f"规划期结束年份 {h.end_year} 早于开始年份 {h.start_year}")
    length = h.end_year - h.start_year + 1
    if length > MAX_PERIOD_YEARS:
        raise ValueRefused(
            f"规划期 {h.start_year}—{h.end_year} 年共 {length} 年，超过 {MAX_PERIOD_YEARS} 年"
        )
    if h.base_year >= h.start_year:
        raise ValueRefused(f"基期年份 {h.base_year} 应早于规划期开始年份 {h.start_year}")
