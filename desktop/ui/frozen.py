"""序号 and 指标 kept in view while the grid scrolls sideways, as Excel's 冻结窗格 (freeze panes).

A second view over the same model and selection, laid over the left of the grid and shown
only while the grid is scrolled to the right (unscrolled, the grid's own columns are there).
Made the first time the grid scrolls sideways: a window wide enough never builds it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

if TYPE_CHECKING:
    from .grid_view import GridView

FROZEN = 2
"""Columns kept: 序号 and 指标."""


class FrozenColumns(QTableView):
    def __init__(self, grid: GridView) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setObjectName("frozenColumns")
        self.setModel(grid.model())
        self.setSelectionModel(grid.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(grid.selectionMode())
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(grid.verticalScrollMode())
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(grid.verticalHeader().defaultSectionSize())
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setStyleSheet("QTableView#frozenColumns { border: none; border-right: 2px solid #9fb3cc; }")
        grid.viewport().stackUnder(self)
        grid.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
        grid.horizontalHeader().sectionResized.connect(lambda *_: self.sync())
        grid.model().modelReset.connect(self.sync)
        self.doubleClicked.connect(self._double_clicked)
        self.sync()

    def width_needed(self) -> int:
        return sum(self.grid.columnWidth(c) for c in range(FROZEN))

    def sync(self) -> None:
        """Columns, widths, section spans and place, after a reset or a column resize."""
        m = self.grid.model()
        for c in range(m.columnCount()):
            self.setColumnHidden(c, c >= FROZEN)
        for c in range(FROZEN):
            self.setColumnWidth(c, self.grid.columnWidth(c))
        self.clearSpans()
        for r in range(m.rowCount()):
            if self.grid.rowSpan(r, 0) == 1 and self.grid.columnSpan(r, 0) > 1:
                self.setSpan(r, 0, 1, FROZEN)
        self.place()

    def place(self) -> None:
        f = self.grid.frameWidth()
        self.setGeometry(f, f, self.width_needed() + 2,
                         self.grid.viewport().height() + self.grid.horizontalHeader().height())
        self.verticalScrollBar().setValue(self.grid.verticalScrollBar().value())

    def mousePressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().mousePressEvent(event)
        self.grid.setFocus()  # the keys (type to edit, Enter, Ctrl+C) stay the grid's

    def _double_clicked(self, index: QModelIndex) -> None:
        self.grid.definitionRequested.emit(index)
