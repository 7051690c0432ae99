"""User actions: one transaction each, audited, returning exact Changes for undo and redo."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from desktop.domain.changes import CellChange
from desktop.domain.errors import NotFound, Severity, ValueRefused
from desktop.domain.model import Actual, Nature
from desktop.store import actions
from desktop.store.workspace import Workspace

from .conftest import COVERAGE, JOBS, PENSION, REEMPLOYED, TRAINING, UNEMPLOYMENT

ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def values(ws: Workspace) -> dict[tuple[str, int], str | None]:
    return {
        (code, year): (None if a.value is None else str(a.value))
        for code, years in ws.actuals().items()
        for year, a in years.items()
    }


# ---------------------------------------------------------------------- set_actual


def test_set_actual_returns_old_and_new_and_audits(ws):
    change = actions.set_actual(ws, JOBS, 2021, Decimal("5.0"), source="统计快报", nature=Nature.QUICK)
    assert change.label == "修改 2021年 城镇新增就业人数"
    (cell,) = change.cells
    assert cell.old == Actual(JOBS, 2021, Decimal("4.8"), Nature.ANNUAL, source="统计公报")
    assert cell.new.value == Decimal("5") and cell.new.nature is Nature.QUICK
    assert cell.new.source == "统计快报" and cell.new.updated_by == "李四"
    assert ISO_SECONDS.match(cell.new.updated_at)
    assert ws.actual(JOBS, 2021) == cell.new

    rows = [e for e in ws.audit(JOBS) if e.action == "set"]
    assert [(e.field, e.old_value, e.new_value) for e in rows] == [
        ("value", "4.8", "5"),
        ("nature", "年报", "快报"),
        ("source", "统计公报", "统计快报"),
    ]
    assert {e.who for e in rows} == {"李四"} and {e.year for e in rows} == {2021}
    assert all(ISO_SECONDS.match(e.at) for e in rows)
    assert rows[0].detail == change.label


def test_new_cell_is_one_audit_row(ws):
    actions.set_actual(ws, JOBS, 2022, Decimal("5.2"))
    (row,) = ws.audit(JOBS, year=2022)
    assert (row.action, row.field, row.old_value, row.new_value, row.who) == ("set", "value", None, "5.2", "李四")


def test_same_value_is_empty_change_without_audit(ws):
    before = ws.audit()
    change = actions.set_actual(ws, JOBS, 2021, Decimal("4.80"))
    assert change.is_empty and change.cells == ()
    assert ws.audit() == before
    assert ws.actual(JOBS, 2021).updated_by == ""  # untouched


def test_new_value_keeps_source_and_note(ws):
    actions.set_actual(ws, JOBS, 2021, Decimal("4.9"), note="据年报修正")
    kept = ws.actual(JOBS, 2021)
    assert (kept.source, kept.note, kept.nature) == ("统计公报", "据年报修正", Nature.ANNUAL)


def test_clear_removes_the_cell(ws):
    change = actions.set_actual(ws, JOBS, 2021, None)
    assert change.cells[0].new is None and ws.actual(JOBS, 2021) is None
    assert [(e.field, e.old_value, e.new_value) for e in ws.audit(JOBS, year=2021)] == [
        ("value", "4.8", None),
        ("source", "统计公报", None),
    ]
    assert actions.set_actual(ws, JOBS, 2021, None).is_empty


def test_qualitative_status_without_value(ws):
    actions.set_actual(ws, COVERAGE, 2022, None, status="基本符合", note="已覆盖 96%")
    assert ws.actual(COVERAGE, 2022).status == "基本符合"
    actions.set_actual(ws, COVERAGE, 2022, None, note="更新说明")  # keeps the status
    assert ws.actual(COVERAGE, 2022).status == "基本符合"
    actions.set_actual(ws, COVERAGE, 2022, None, status="")
    assert ws.actual(COVERAGE, 2022) is None


def test_negative_count_refused_and_nothing_stored(ws):
    before_values, before_audit = values(ws), ws.audit()
    with pytest.raises(ValueRefused, match="2022年 城镇新增就业人数：单位为“万人”的数量不能为负数") as refused:
        actions.set_actual(ws, JOBS, 2022, Decimal("-1"))
    assert refused.value.problems[0].severity is Severity.ERROR
    assert values(ws) == before_values and ws.audit() == before_audit


def test_year_outside_plan_refused(ws):
    with pytest.raises(ValueRefused, match="年份 2031 不在规划期"):
        actions.set_actual(ws, JOBS, 2031, Decimal("1"))
    assert ws.actual(JOBS, 2031) is None


def test_unknown_code_not_found(ws):
    with pytest.raises(NotFound, match="没有代码为“xyz”的指标"):
        actions.set_actual(ws, "xyz", 2022, Decimal("1"))


def test_warning_is_stored_and_returned(ws):
    change = actions.set_actual(ws, PENSION, 2022, Decimal("101.5"))
    assert ws.actual(PENSION, 2022).value == Decimal("101.5")
    (warning,) = change.warnings
    assert warning.severity is Severity.WARNING and "超过 100%" in warning.message
    assert (warning.code, warning.year) == (PENSION, 2022)


def test_each_action_is_committed_at_once(ws, ws_path):
    actions.set_actual(ws, JOBS, 2022, Decimal("5.2"))
    with Workspace.open(ws_path, read_only=True) as other:  # another connection sees it
        assert other.actual(JOBS, 2022).value == Decimal("5.2")


# --------------------------------------------------------------------- paste_block


def test_paste_writes_all_in_one_change(ws):
    cells = [(JOBS, 2022, Decimal("5.0")), (JOBS, 2023, Decimal("5.2")), (REEMPLOYED, 2022, Decimal("0.61")),
             (PENSION, 2022, Decimal("120")), (JOBS, 2021, Decimal("4.8"))]  # the last is unchanged
    change = actions.paste_block(ws, cells)
    assert change.label == "粘贴 5 个单元格"
    assert [(c.code, c.year) for c in change.cells] == [(JOBS, 2022), (JOBS, 2023), (REEMPLOYED, 2022), (PENSION, 2022)]
    assert [c.old for c in change.cells] == [None] * 4
    assert len(change.warnings) == 1 and change.warnings[0].code == PENSION
    assert values(ws)[(REEMPLOYED, 2022)] == "0.61"
    assert {e.action for e in ws.audit() if e.year == 2022} == {"paste"}
    assert len([e for e in ws.audit() if e.action == "paste"]) == 4


def test_paste_is_all_or_nothing(ws):
    before_values, before_audit = values(ws), ws.audit()
    cells = [(JOBS, 2022, Decimal("5.0")), (TRAINING, 2023, Decimal("-3")), (UNEMPLOYMENT, 2022, Decimal("4.9")),
             ("nope", 2022, Decimal("1")), (PENSION, 2030, Decimal("90"))]
    with pytest.raises(ValueRefused) as refused:
        actions.paste_block(ws, cells)
    message = refused.value.message
    assert message.startswith("粘贴未执行：3 个单元格有错误")
    assert "2023年 农民工参加职业培训人次" in message and "“nope”" in message and "2030" in message
    assert [(p.code, p.year) for p in refused.value.problems] == [(TRAINING, 2023), ("nope", 2022), (PENSION, 2030)]
    assert values(ws) == before_values and ws.audit() == before_audit


# ------------------------------------------------------------------- undo and redo


def test_undo_restores_exactly_and_redo_reapplies(ws):
    original = ws.actual(JOBS, 2021)
    change = actions.paste_block(ws, [(JOBS, 2021, Decimal("5.5")), (JOBS, 2022, Decimal("5.25"))])
    after = ws.actuals()

    undone = actions.apply_change(ws, change.inverse())
    assert ws.actual(JOBS, 2021) == original  # who and when of the old value too
    assert ws.actual(JOBS, 2022) is None
    assert undone.label == "撤销 粘贴 2 个单元格"
    assert undone.cells == tuple(CellChange(c.code, c.year, c.new, c.old) for c in reversed(change.cells))

    redone = actions.apply_change(ws, change)
    assert ws.actuals() == after
    assert [e.action for e in ws.audit(JOBS)][-4:] == ["undo", "undo", "redo", "redo"]
    undo_rows = [e for e in ws.audit(JOBS) if e.action == "undo"]
    assert {(e.year, e.old_value, e.new_value) for e in undo_rows} == {(2021, "5.5", "4.8"), (2022, "5.25", None)}
    assert redone.inverse().cells == undone.cells


def test_undo_into_a_locked_year_refused(ws):
    change = actions.set_actual(ws, JOBS, 2022, Decimal("5"))
    actions.lock_year(ws, 2022)
    with pytest.raises(ValueRefused, match="2022年已标记为已上报"):
        actions.apply_change(ws, change.inverse())
    assert ws.actual(JOBS, 2022).value == Decimal("5")


# ---------------------------------------------------------------------- year locks


def test_locked_year_refuses_edits(ws):
    actions.lock_year(ws, 2021, note="已报市局")
    assert ws.locked_years() == {2021}
    with pytest.raises(ValueRefused) as refused:
        actions.set_actual(ws, JOBS, 2021, Decimal("9"))
    assert refused.value.message == "2021年已标记为已上报，数值不可修改"
    with pytest.raises(ValueRefused, match="2021年已标记为已上报"):
        actions.paste_block(ws, [(JOBS, 2022, Decimal("1")), (JOBS, 2021, Decimal("9"))])
    assert ws.actual(JOBS, 2021).value == Decimal("4.8") and ws.actual(JOBS, 2022) is None
    assert actions.lock_year(ws, 2021).is_empty  # locking twice changes nothing
    lock = ws.audit()[-1]
    assert (lock.action, lock.year, lock.who, lock.detail) == ("lock", 2021, "李四", "已报市局")


def test_unlock_records_who_when_why(ws):
    actions.lock_year(ws, 2021)
    with pytest.raises(ValueRefused, match="须说明原因"):
        actions.unlock_year(ws, 2021, reason="  ")
    actions.unlock_year(ws, 2021, reason="市局退回：口径调整")
    assert ws.locked_years() == set()
    entry = ws.audit()[-1]
    assert (entry.action, entry.year, entry.who, entry.detail) == ("unlock", 2021, "李四", "市局退回：口径调整")
    assert ISO_SECONDS.match(entry.at) and entry.old_value.startswith("已上报（李四，")
    actions.set_actual(ws, JOBS, 2021, Decimal("4.9"))  # editable again
    with pytest.raises(ValueRefused, match="未标记为已上报"):
        actions.unlock_year(ws, 2021, reason="再次")


def test_lock_year_outside_plan_refused(ws):
    with pytest.raises(ValueRefused, match="年份 2019"):
        actions.lock_year(ws, 2019)


# ------------------------------------------------------------------ plan properties


def test_set_plan_property(ws, ws_path):
    change = actions.set_plan_property(ws, "负责人", "王五")
    assert change.definition_changed and change.label == "修改 负责人"
    actions.set_plan_property(ws, "联系电话", "0739-1234567")
    assert ws.plan().properties == (("填报单位", "新邵县人社局"), ("负责人", "王五"), ("联系电话", "0739-1234567"))
    assert actions.set_plan_property(ws, "负责人", "王五").is_empty
    entry = [e for e in ws.audit() if e.action == "property"][0]
    assert (entry.field, entry.old_value, entry.new_value) == ("负责人", "张三", "王五")
    actions.set_plan_property(ws, "负责人", "")
    assert ws.plan().property("负责人") == ""
