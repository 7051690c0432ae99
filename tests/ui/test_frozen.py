"""序号 and 指标 stay in view when a narrow window scrolls the grid sideways (冻结窗格)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

JOBS, SURVEY = "sy-zl2-01", "sy-zl2-02"


def test_a_wide_window_builds_no_frozen_columns(window) -> None:  # noqa: ANN001
    QApplication.processEvents()
    assert window.view.horizontalScrollBar().maximum() == 0 and window.view.frozen is None


def test_a_narrow_window_keeps_names_in_view_while_scrolled(qtbot, window) -> None:  # noqa: ANN001
    view, m = window.view, window.model
    window.resize(900, 700)
    QApplication.processEvents()
    assert view.columnWidth(1) == 180  # 指标 keeps its width; the grid scrolls instead
    view.select_cell(m.index_of(JOBS, 2025))  # a cell on the right: the grid scrolls
    qtbot.waitUntil(lambda: view.frozen is not None)
    frozen = view.frozen
    assert view.horizontalScrollBar().value() > 0 and frozen is not None and frozen.isVisible()
    assert [c for c in range(m.columnCount()) if not frozen.isColumnHidden(c)] == [0, 1]
    assert frozen.width_needed() == view.columnWidth(0) + view.columnWidth(1)
    assert view.visualRect(view.currentIndex()).left() >= frozen.width_needed()  # not under the frozen part
    # the frozen rows follow the grid's vertical scroll, and a click there selects in the grid
    view.verticalScrollBar().setValue(2)
    assert frozen.verticalScrollBar().value() == 2
    row = m.row_of_code[SURVEY]
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=frozen.visualRect(m.index(row, 1)).center())
    assert m.code_at(view.currentIndex().row()) == SURVEY and view.hasFocus()
    view.horizontalScrollBar().setValue(0)  # back at the left: the grid's own columns show
    assert not frozen.isVisible()
