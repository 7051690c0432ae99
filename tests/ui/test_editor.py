"""The editor as a user drives it: keys, paste, Delete, undo/redo, read-only and locked years."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit  # noqa: E402

from desktop.store import actions  # noqa: E402
from desktop.store.workspace import Workspace  # noqa: E402

from .conftest import stored  # noqa: E402

JOBS, SURVEY, REGISTERED, TRAINING = "sy-zl2-01", "sy-zl2-02", "sy-zl2-03", "sy-zl2-04"


def type_into_cell(qtbot, win, code: str, year: int, text: str) -> None:  # noqa: ANN001
    """Select the cell, type like a user (the first key opens the editor), press Return."""
    view = win.view
    view.setFocus()
    view.setCurrentIndex(win.model.index_of(code, year))
    qtbot.keyClicks(view, text[0])
    editor = view.findChild(QLineEdit, "valueEditor")
    assert editor is not None and editor.isVisible(), "typing did not start editing"
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_typing_digits_and_return_stores_the_value(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    type_into_cell(qtbot, window, JOBS, 2023, "5.25")
    qtbot.waitUntil(lambda: window.model.actual(JOBS, 2023) is not None)
    assert stored(ws_path, JOBS, 2023) == Decimal("5.25")
    # Enter moved down to the next indicator row, same year column
    cur = window.view.currentIndex()
    assert window.model.cell(cur) == (SURVEY, 2023)
    assert window.undo_action.text() == "撤销 修改 2023年 城镇新增就业人数"
    # the figures of the row were recomputed from the domain
    row = window.model.rows[window.model.row_of_code[JOBS]]
    assert row.status != "无数据"


def test_typing_replaces_and_tab_moves_right(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    actions.set_actual(window.ws, JOBS, 2021, Decimal("4.8"))
    window.model.refresh([JOBS])
    view = window.view
    view.setFocus()
    view.setCurrentIndex(window.model.index_of(JOBS, 2021))
    qtbot.keyClicks(view, "6")
    editor = view.findChild(QLineEdit, "valueEditor")
    assert editor.text() == "6"  # typing replaces the old value, as in a spreadsheet
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(ws_path, JOBS, 2021) == Decimal("6"))
    assert window.model.cell(view.currentIndex()) == (JOBS, 2022)


def test_typed_letters_are_refused_at_the_cell(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    view = window.view
    view.setFocus()
    view.setCurrentIndex(window.model.index_of(JOBS, 2022))
    qtbot.keyClicks(view, "a")
    editor = view.findChild(QLineEdit, "valueEditor")
    qtbot.keyClicks(editor, "bc")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible()  # the editor stays open with the message
    assert "不是数字" in window.statusBar().currentMessage()
    assert stored(ws_path, JOBS, 2022) is None
    assert window.stack.count() == 0


def test_a_negative_count_keeps_the_editor_open_like_letters(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    """-3 万人 parses but the domain refuses it: the typed text must not be lost (a GUI review
    found the editor closed and the cursor moved on)."""
    view = window.view
    type_into_cell(qtbot, window, JOBS, 2022, "-3")
    editor = view.findChild(QLineEdit, "valueEditor")
    assert editor.isVisible() and editor.text() == "-3"
    assert "不能为负数" in window.statusBar().currentMessage()
    assert window.model.cell(view.currentIndex()) == (JOBS, 2022)
    assert stored(ws_path, JOBS, 2022) is None and window.stack.count() == 0


def test_paste_3x4_is_one_undo_step(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    ws, m = window.ws, window.model
    actions.set_actual(ws, JOBS, 2021, Decimal("4.8"))
    actions.set_actual(ws, REGISTERED, 2023, Decimal("3.1"))
    m.refresh()
    codes, years = (JOBS, SURVEY, REGISTERED), (2021, 2022, 2023, 2024)
    old = {(c, y): stored(ws_path, c, y) for c in codes for y in years}
    QApplication.clipboard().setText("5.1\t5.2\t5.3\t5.4\r\n5.0\t5.1\t5.2\t5.3\r\n3.3\t3.4\t3.5\t3.6\r\n")
    window.view.setCurrentIndex(m.index_of(JOBS, 2021))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.count() == 1
    new = {(c, y): stored(ws_path, c, y) for c in codes for y in years}
    assert new[(JOBS, 2021)] == Decimal("5.1") and new[(REGISTERED, 2024)] == Decimal("3.6")
    assert window.undo_action.text() == "撤销 粘贴 12 个单元格"
    window.stack.undo()
    assert {(c, y): stored(ws_path, c, y) for c in codes for y in years} == old
    assert window.redo_action.text() == "重做 粘贴 12 个单元格"
    window.stack.redo()
    assert {(c, y): stored(ws_path, c, y) for c in codes for y in years} == new
    assert m.data(m.index_of(SURVEY, 2024)) == "5.3"
    window.undo_action.trigger()  # Ctrl+Z / the menu: the status bar says what was undone
    assert window.statusBar().currentMessage() == "已撤销：粘贴 12 个单元格"
    window.redo_action.trigger()
    assert window.statusBar().currentMessage() == "已重做：粘贴 12 个单元格"


def test_invalid_paste_writes_nothing_and_names_the_bad_cells(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    m = window.model
    QApplication.clipboard().setText("1\tabc\n--5\t2\n∞\t1,2,3\n")
    window.view.setCurrentIndex(m.index_of(JOBS, 2021))
    assert window.view.paste() is False
    assert window.stack.count() == 0
    for code in (JOBS, SURVEY, REGISTERED):
        for year in (2021, 2022):
            assert stored(ws_path, code, year) is None
    text = window.message_bar.label.text()
    assert "没有写入任何数值" in text
    for name in ("2022年 城镇新增就业人数", "2021年 城镇调查失业率", "2021年 城镇登记失业率", "2022年 城镇登记失业率"):
        assert name in text
    assert (JOBS, 2022) in m.bad and m.data(m.index_of(JOBS, 2022), Qt.ItemDataRole.BackgroundRole) is not None


def test_paste_larger_than_the_grid_is_refused(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    m = window.model
    QApplication.clipboard().setText("1\t2\t3\n")
    window.view.setCurrentIndex(m.index_of(JOBS, 2024))
    assert window.view.paste() is False
    assert "超出了表格" in window.message_bar.label.text()
    assert stored(ws_path, JOBS, 2024) is None
    last = max(m.row_of_code.values())
    QApplication.clipboard().setText("1\n2\n")
    window.view.setCurrentIndex(m.index(last, m.columns.column_of(2021)))
    assert window.view.paste() is False
    assert window.stack.count() == 0


def test_delete_clears_selection_as_one_step(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    ws, m, view = window.ws, window.model, window.view
    for y, v in ((2021, "4.8"), (2022, "5.0")):
        actions.set_actual(ws, JOBS, y, Decimal(v))
    m.refresh()
    view.setCurrentIndex(m.index_of(JOBS, 2021))
    view.selectionModel().select(m.index_of(JOBS, 2022), view.selectionModel().SelectionFlag.Select)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(ws_path, JOBS, 2021) is None and stored(ws_path, JOBS, 2022) is None
    assert window.stack.count() == 1 and window.undo_action.text() == "撤销 清除 2 个单元格"
    assert m.data(m.index_of(JOBS, 2021)) == "—"
    window.stack.undo()
    assert stored(ws_path, JOBS, 2021) == Decimal("4.8") and stored(ws_path, JOBS, 2022) == Decimal("5.0")


def test_copy_gives_tsv(qtbot, window) -> None:  # noqa: ANN001
    ws, m, view = window.ws, window.model, window.view
    actions.set_actual(ws, JOBS, 2021, Decimal("4.8"))
    m.refresh()
    view.setCurrentIndex(m.index_of(JOBS, 2021))
    view.selectionModel().select(m.index_of(SURVEY, 2022), view.selectionModel().SelectionFlag.Select)
    assert view.copy_selection() == "4.8\t\n\t\n"
    assert QApplication.clipboard().text() == "4.8\t\n\t\n"


def test_reopening_shows_the_same_values(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    from desktop.ui.main_window import MainWindow

    QApplication.clipboard().setText("4.9\t5.1\t5.3\n")
    window.view.setCurrentIndex(window.model.index_of(JOBS, 2021))
    assert window.view.paste()
    before = [[window.model.data(window.model.index(r, c)) for c in range(window.model.columnCount())]
              for r in range(window.model.rowCount())]
    window.ws.close()
    with Workspace.open(ws_path) as ws:
        again = MainWindow(ws, year=2023)
        qtbot.addWidget(again)
        after = [[again.model.data(again.model.index(r, c)) for c in range(again.model.columnCount())]
                 for r in range(again.model.rowCount())]
    assert after == before
    assert after[1][6:9] == ["4.9", "5.1", "5.3"]


def test_read_only_workspace_refuses_edits(qtbot, ws_path: Path) -> None:  # noqa: ANN001
    from desktop.ui.main_window import MainWindow

    with Workspace.open(ws_path, read_only=True) as ws:
        win = MainWindow(ws)
        qtbot.addWidget(win)
        win.show()
        assert "[只读]" in win.windowTitle()
        assert win.readonly_banner.isVisible() and "只读" in win.readonly_banner.label.text()
        idx = win.model.index_of(JOBS, 2021)
        assert not win.model.flags(idx) & Qt.ItemFlag.ItemIsEditable
        win.view.setFocus()
        win.view.setCurrentIndex(idx)
        qtbot.keyClicks(win.view, "5")
        assert win.view.findChild(QLineEdit, "valueEditor") is None
        assert "只读" in win.statusBar().currentMessage()
        QApplication.clipboard().setText("1\t2\n")
        assert win.view.paste() is False
        assert win.stack.count() == 0
    assert stored(ws_path, JOBS, 2021) is None


def test_locked_year_refuses_edits_and_unlock_records_the_reason(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    m, view = window.model, window.view
    assert window.editor.lock_year(2022, "已报送")
    idx = m.index_of(JOBS, 2022)
    assert not m.flags(idx) & Qt.ItemFlag.ItemIsEditable
    assert m.headerData(m.columns.column_of(2022), Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole) is not None
    view.setFocus()
    view.setCurrentIndex(idx)
    qtbot.keyClicks(view, "5")
    assert view.findChild(QLineEdit, "valueEditor") is None
    assert "已上报" in window.statusBar().currentMessage()
    QApplication.clipboard().setText("1\t2\n")
    view.setCurrentIndex(m.index_of(JOBS, 2021))
    assert view.paste() is False
    assert "2022年 城镇新增就业人数" in window.message_bar.label.text()
    assert stored(ws_path, JOBS, 2021) is None
    assert window.editor.unlock_year(2022, "数据口径调整，需更正")
    assert m.flags(idx) & Qt.ItemFlag.ItemIsEditable
    unlock = [e for e in window.ws.audit() if e.action == "unlock"]
    assert unlock and unlock[-1].detail == "数据口径调整，需更正"


def test_note_from_the_detail_panel_is_kept(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    m = window.model
    binding = "sy-zl2-07"  # 失业保险参保人数, 约束性
    QApplication.clipboard().setText("33.0\t33.1\t33.2\n")
    window.view.setCurrentIndex(m.index_of(binding, 2021))
    assert window.view.paste()
    assert m.rows[m.row_of_code[binding]].binding_behind
    assert any(p.code == binding and p.field == "note" for p in window.review.problems)
    window.show_review()
    row = next(r for r, p in enumerate(window.review.problems) if p.code == binding and p.field == "note")
    window.review.itemDoubleClicked.emit(window.review.item(row, 3))  # 审核 → the cell, and the 说明 editor forward
    qtbot.waitUntil(lambda: not window.detail_dock.visibleRegion().isEmpty())
    assert window.review_dock.visibleRegion().isEmpty()
    window.view.setCurrentIndex(m.index_of(binding, 2023))
    assert window.detail.code == binding and window.detail.year == 2023
    window.detail.note.setPlainText("参保扩面受企业外迁影响")
    window.detail.save.click()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.actual(binding, 2023).note == "参保扩面受企业外迁影响"
        assert ws.actual(binding, 2023).value == Decimal("33.2")
    assert not any(p.code == binding and p.field == "note" for p in window.review.problems)
    assert m.data(m.index_of(binding, 2023), Qt.ItemDataRole.ToolTipRole).count("参保扩面") == 1
    assert window.undo_action.text().startswith("撤销 修改说明 2023年 失业保险参保人数")


def test_a_typed_note_is_saved_when_another_cell_is_chosen(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    """Typing a 说明 and clicking another cell used to drop the text (found by a GUI review)."""
    m = window.model
    actions.set_actual(window.ws, JOBS, 2022, Decimal("5.1"))
    m.refresh([JOBS])
    window.view.setCurrentIndex(m.index_of(JOBS, 2022))
    assert (window.detail.code, window.detail.year) == (JOBS, 2022)
    window.detail.note.setPlainText("统计口径调整")
    window.view.setCurrentIndex(m.index_of(SURVEY, 2022))  # no click on 保存说明
    with Workspace.open(ws_path, read_only=True) as ws:
        assert (ws.actual(JOBS, 2022).note, ws.actual(JOBS, 2022).value) == ("统计口径调整", Decimal("5.1"))
    assert window.detail.code == SURVEY and window.detail.note.toPlainText() == ""
    assert window.undo_action.text() == "撤销 修改说明 2022年 城镇新增就业人数"


def test_review_double_click_jumps_to_the_cell(qtbot, window) -> None:  # noqa: ANN001
    table = window.review
    assert table.rowCount() > 0
    row = next(r for r, p in enumerate(table.problems) if p.code == REGISTERED and p.year == 2023)
    table.itemDoubleClicked.emit(table.item(row, 3))
    assert window.model.cell(window.view.currentIndex()) == (REGISTERED, 2023)


def test_undo_after_locking_reports_instead_of_writing(qtbot, window, ws_path: Path) -> None:  # noqa: ANN001
    type_into_cell(qtbot, window, JOBS, 2023, "5")
    qtbot.waitUntil(lambda: stored(ws_path, JOBS, 2023) == Decimal("5"))
    window.editor.lock_year(2023)
    window.stack.undo()
    assert stored(ws_path, JOBS, 2023) == Decimal("5")
    assert "已上报" in window.statusBar().currentMessage()


def test_the_workbook_history_shows_a_withdrawal_and_its_reason(qtbot, window) -> None:  # noqa: ANN001
    """撤回 records who, when and why — and the window shows it (a GUI review found it nowhere)."""
    actions.set_actual(window.ws, JOBS, 2021, Decimal("4.8"))
    window.editor.lock_year(2021)
    assert window.editor.unlock_year(2021, "市局退回，更正2021年数据")
    window.findChild(type(window.undo_action), "actHistory").trigger()
    dialog = window.last_history
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert rows[0][2:] [:1] == ["撤回上报"] and rows[0][4] == "2021" and "市局退回，更正2021年数据" in " ".join(rows[0])
    assert rows[1][2] == "标记上报"
    dialog.plan_only.setChecked(True)  # only the entries about no single indicator
    shown = {table.item(r, 2).text() for r in range(table.rowCount())}
    assert {"撤回上报", "标记上报", "新建"} <= shown and "填写" not in shown
    dialog.close()


def test_the_current_rows_box_title_and_notes_are_shown(qtbot, window) -> None:  # noqa: ANN001
    """专栏 title and 注 lines as printed, above the grid (a GUI review found them only in a dialog)."""
    window.view.setCurrentIndex(window.model.index_of(SURVEY, 2023))
    box = window.model.plan.box(window.model.plan.indicator(SURVEY).box)
    assert box.footnotes and window.box_line.isVisibleTo(window)
    text = window.box_line.text()
    assert box.label in text and box.title in text and all(n in text for n in box.footnotes)
