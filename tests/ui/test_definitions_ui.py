"""Definition dialogs: each OK is one undo step over desktop.store.definitions."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.store.workspace import Workspace  # noqa: E402

BINDING = "sy-zl2-07"


def type_chinese(widget, text: str) -> None:  # noqa: ANN001
    """Type as an input method does (keyClicks aborts on non-Latin-1 characters)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def acts(window):  # noqa: ANN001
    window.definition_actions.modal = False
    window.view.setCurrentIndex(window.model.index_of(BINDING, 2023))
    return window.definition_actions


def test_chinese_name_typed_with_an_input_method(qtbot, window, acts, ws_path: Path) -> None:  # noqa: ANN001
    dlg = acts.edit_indicator()
    dlg.name.selectAll()
    type_chinese(dlg.name, "失业保险参保人数（含灵活就业）")
    assert dlg.name.text() == "失业保险参保人数（含灵活就业）"
    dlg.accept()
    assert not dlg.isVisible()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.plan().indicator(BINDING).name == "失业保险参保人数（含灵活就业）"
    assert window.undo_action.text() == "撤销 修改指标 失业保险参保人数 的名称"
    row = window.model.row_of_code[BINDING]
    assert window.model.data(window.model.index(row, 1)) == "失业保险参保人数（含灵活就业）"
    window.stack.undo()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.plan().indicator(BINDING).name == "失业保险参保人数"


def test_target_text_is_parsed_live_and_bad_text_is_not_stored(qtbot, window, acts, ws_path: Path) -> None:  # noqa: ANN001
    dlg = acts.edit_indicator()
    dlg.target.setText("34万人以上x")
    assert "无法识别" in dlg.target_note.text() or "目标值" in dlg.target_note.text()
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    dlg.accept()
    assert dlg.isVisible()
    dlg.target.setText("[>35]")
    assert dlg.target_note.text().startswith("理解为")
    dlg.reject()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.plan().indicator(BINDING).target.text == "34"
    assert window.stack.count() == 0


def test_add_move_delete_rows_each_undoable(qtbot, window, acts, ws_path: Path) -> None:  # noqa: ANN001
    m = window.model
    n = len(m.plan.indicators)
    dlg = acts.add_indicator()
    type_chinese(dlg.name, "新增参保企业数")
    dlg.unit.setText("家")
    dlg.target.setText("[>500]")
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    assert len(m.plan.indicators) == n + 1
    added = m.rows[window.view.currentIndex().row()].code
    assert m.plan.indicator(added).name == "新增参保企业数"
    assert m.plan.indicators[m.plan.indicators.index(m.plan.indicator(BINDING)) + 1].code == added
    assert acts.move(up=True)
    assert m.plan.indicators[m.plan.indicators.index(m.plan.indicator(added)) + 1].code == BINDING
    assert acts.delete_indicator(confirm=False)
    assert m.plan.indicator(added) is None and len(m.plan.indicators) == n
    assert window.undo_action.text() == "撤销 删除指标 新增参保企业数"
    window.stack.undo()
    window.stack.undo()
    assert m.plan.indicator(added) is not None
    window.stack.undo()
    assert m.plan.indicator(added) is None
    with Workspace.open(ws_path, read_only=True) as ws:
        assert len(ws.plan().indicators) == n


def test_box_title_and_footnotes(qtbot, window, acts, ws_path: Path) -> None:  # noqa: ANN001
    dlg = acts.edit_box()
    dlg.footnotes.setPlainText("注：[]内为五年累计数。\n注2：城镇调查失业率由统计部门提供。")
    dlg.accept()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.plan().box("专栏2").footnotes == ("注：[]内为五年累计数。", "注2：城镇调查失业率由统计部门提供。")
    assert window.undo_action.text() == "撤销 修改 专栏2 的注"


def test_plan_properties_dialog(qtbot, window, acts, ws_path: Path) -> None:  # noqa: ANN001
    dlg = acts.edit_plan()
    dlg.end.setValue(2019)
    assert "早于" in dlg.period_error.text()
    dlg.accept()
    assert dlg.isVisible() and "早于" in dlg.error.text()
    dlg.end.setValue(2025)
    dlg.region_code.setText("990522")
    assert "省级前缀" in dlg.region_error.text()
    dlg.accept()
    assert dlg.isVisible()
    dlg.region_code.setText("430522")
    type_chinese(dlg.properties["填报单位"], "新邵县人力资源和社会保障局")
    dlg.properties["联系电话"].setText("0739-3621234")
    dlg.wenhao.setText("新政办发〔2021〕12号")
    dlg.accept()
    assert not dlg.isVisible()
    assert window.stack.count() == 1
    with Workspace.open(ws_path, read_only=True) as ws:
        plan = ws.plan()
        assert plan.property("填报单位") == "新邵县人力资源和社会保障局" and plan.wenhao == "新政办发〔2021〕12号"
    window.stack.undo()
    with Workspace.open(ws_path, read_only=True) as ws:
        plan = ws.plan()
        assert plan.property("填报单位") == "" and plan.wenhao == "邵市政办发〔2021〕33号"


def test_ratio_numerator_and_denominator_chosen_in_the_dialog(qtbot, window, acts, ws_path: Path) -> None:  # noqa: ANN001
    rate = "sy-zl2-06"  # 基本养老保险参保率, %
    window.view.setCurrentIndex(window.model.index_of(rate, 2023))
    dlg = acts.edit_indicator()
    dlg.rule.setCurrentIndex(dlg.rule.findData("sum"))
    assert not dlg.numerator.isEnabled() and not dlg.denominator.isEnabled()
    dlg.rule.setCurrentIndex(dlg.rule.findData("ratio"))
    assert dlg.numerator.isEnabled()
    assert dlg.numerator.findData("sy-zl2-02") == -1  # a % indicator cannot be a numerator
    dlg.numerator.setCurrentIndex(dlg.numerator.findData("sy-zl2-07"))
    dlg.denominator.setCurrentIndex(dlg.denominator.findData("sy-zl2-08"))
    dlg.accept()
    with Workspace.open(ws_path, read_only=True) as ws:
        ind = ws.plan().indicator(rate)
        assert (ind.rule.value, ind.ratio_parts) == ("ratio", ("sy-zl2-07", "sy-zl2-08"))
    window.stack.undo()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.plan().indicator(rate).ratio_parts is None
