"""The editor issue's "done when", as a person does it: set up the 邵阳 plan from its template,
enter 2021–2023 by keyboard and by pasting a block copied from a workbook, undo and redo, mark
2023 as 已上报, and see every status.

``PLANLEDGER_LOOK_DIR=/some/dir`` keeps a screenshot of each step there (for the closing note
and for a person to look at); without it the test only asserts.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402

from .conftest import stored  # noqa: E402

# A block as Excel/WPS copies it from the plan's workbook: rows 2–8 of 专栏2 (with the section
# heading between 5 and 6) × 2021–2023, CRLF line ends.
WORKBOOK_BLOCK = (
    "5.1\t5.2\t5.3\r\n"  # 2 城镇调查失业率 <5.5 → 达标
    "3.3\t3.4\t4.6\r\n"  # 3 城镇登记失业率 <4.5, 2023 above → 未达标
    "2.5\t2.6\t2.7\r\n"  # 4 职业培训 [>10]: 7.8 of 10 = 78% → 快于序时
    "1.0\t1.0\t1.0\r\n"  # 5 其中 农民工 [6]: 3 of 6 = 50% → 滞后
    "\t\t\r\n"  # the workbook's 二、社会保障 heading row: empty, as over the grid's heading
    "84\t86\t88\r\n"  # 6 养老保险参保率 81 → ≥91: 7 of 10 = 70% → 快于序时
    "33.1\t33.2\t33.3\r\n"  # 7 失业保险参保人数 (约束性) 33.04 → 34: 27.1% → 滞后, stands out
    "54.8\t55.0\t55.2\r\n"  # 8 工伤保险参保人数 (约束性) 54.61 → 55: reached → 提前实现
)
PASTED = ["sy-zl2-02", "sy-zl2-03", "sy-zl2-04", "sy-zl2-05", "sy-zl2-06", "sy-zl2-07", "sy-zl2-08"]
EXPECTED = {
    "sy-zl2-01": ("63.8%", "基本符合"),  # typed: 4.8 + 5 + 5.2 = 15 of 23.5
    "sy-zl2-02": ("达标", "达标"),
    "sy-zl2-03": ("未达标", "未达标"),
    "sy-zl2-04": ("78.0%", "快于序时"),
    "sy-zl2-05": ("50.0%", "滞后"),
    "sy-zl2-06": ("70.0%", "快于序时"),
    "sy-zl2-07": ("27.1%", "滞后"),
    "sy-zl2-08": ("151.3%", "提前实现"),
    "sy-zl2-09": ("—", "无数据"),
}


def _open_editor(win):  # noqa: ANN001, ANN202
    from PySide6.QtWidgets import QLineEdit

    shown = [e for e in win.view.findChildren(QLineEdit, "valueEditor") if e.isVisible()]
    assert len(shown) == 1, "typing did not start editing"
    return shown[0]


def _look(win, name: str) -> None:  # noqa: ANN001
    folder = os.environ.get("PLANLEDGER_LOOK_DIR")
    if folder:
        QApplication.processEvents()
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert win.grab().save(str(Path(folder) / f"{name}.png"), "PNG")


def test_set_up_enter_paste_undo_lock_and_see_every_status(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from desktop.ui.dialogs.years import LockDialog
    from desktop.ui.files import NewWorkspaceDialog
    from desktop.ui.main_window import MainWindow

    # 新建: the 邵阳 template for 新邵县
    dlg = NewWorkspaceDialog(folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.select_template("sy-zl2")
    dlg.code.setText("430522")
    dlg.name.setText("新邵县")
    dlg.accept()
    ws = dlg.workspace
    assert ws is not None
    path = ws.path
    win = MainWindow(ws, year=2023)
    qtbot.addWidget(win)
    win.resize(1360, 800)
    win.show()
    qtbot.waitExposed(win)
    m = win.model
    _look(win, "1-new-from-template")

    # keyboard, as in a spreadsheet: 4.8 Tab 5 Tab 5.2 Enter along 城镇新增就业人数
    win.view.setFocus()
    win.view.setCurrentIndex(m.index_of("sy-zl2-01", 2021))
    for text, key in (("4.8", Qt.Key.Key_Tab), ("5", Qt.Key.Key_Tab), ("5.2", Qt.Key.Key_Return)):
        qtbot.keyClicks(win.view, text[0])  # the first key opens the cell editor
        editor = _open_editor(win)
        qtbot.keyClicks(editor, text[1:])
        qtbot.keyClick(editor, key)
        QApplication.processEvents()
    assert [stored(path, "sy-zl2-01", y) for y in (2021, 2022, 2023)] == [Decimal("4.8"), Decimal("5"), Decimal("5.2")]
    _look(win, "2-typed")

    # paste a 7 × 3 block copied from a workbook: one undo step
    QApplication.clipboard().setText(WORKBOOK_BLOCK)
    win.view.setCurrentIndex(m.index_of("sy-zl2-02", 2021))
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert win.statusBar().currentMessage().startswith("已保存"), win.statusBar().currentMessage()
    assert stored(path, "sy-zl2-08", 2023) == Decimal("55.2")
    assert win.undo_action.text() == "撤销 粘贴 21 个单元格"
    _look(win, "3-pasted")

    # undo takes all 21 cells back; redo puts them again
    win.stack.undo()
    assert [stored(path, c, y) for c in PASTED for y in (2021, 2022, 2023)] == [None] * 21
    assert win.redo_action.text() == "重做 粘贴 21 个单元格"
    _look(win, "4-undone")
    win.stack.redo()
    assert stored(path, "sy-zl2-06", 2022) == Decimal("86")

    # every status, as the grid shows it (完成进度, 状态)
    got = {code: (m.data(m.index(m.row_of_code[code], m.columns.status_column - 2)),
                  m.data(m.index(m.row_of_code[code], m.columns.status_column)))
           for code in EXPECTED}
    assert got == EXPECTED
    _look(win, "5-every-status")

    # 标记为已上报 2023 through its dialog: the year's cells refuse typing afterwards
    def accept_2023(self: LockDialog) -> int:
        self.year.setCurrentIndex(self.year.findData(2023))
        self.note.setText("已报送市人社局")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LockDialog, "exec", accept_2023)
    win.lock_dialog()
    assert m.locked == {2023}
    win.view.setCurrentIndex(m.index_of("sy-zl2-09", 2023))
    assert not m.setData(m.index_of("sy-zl2-09", 2023), "80")
    assert stored(path, "sy-zl2-09", 2023) is None
    _look(win, "6-locked-2023")
    win.close()
    win.ws.close()
