"""The grid's view: spreadsheet keys (type to edit, Enter down, Tab right, Delete clears,
Ctrl+C / Ctrl+V as TSV) and a message instead of silence when a cell cannot be edited."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView

from .delegates import ValueDelegate
from .grid_model import GridModel

if TYPE_CHECKING:
    from .editor import Editor
    from .frozen import FrozenColumns

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)


NAME_MIN_PX = 180
"""The 指标 column's least width (about 11 characters at the UI font)."""


class GridView(QTableView):
    message = Signal(str, bool)
    definitionRequested = Signal(QModelIndex)  # double-click on a definition cell

    def __init__(self, model: GridModel) -> None:
        super().__init__()
        self.editor: Editor | None = None
        self.setModel(model)
        self.delegate = ValueDelegate(self)
        self.setItemDelegate(self.delegate)
        self.delegate.navigate.connect(self.move_current)
        self.delegate.refused.connect(lambda text: self.message.emit(text, True))
        self.setEditTriggers(EDIT_TRIGGERS)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        model.modelReset.connect(self.apply_layout)
        self.apply_layout()
        self.frozen: FrozenColumns | None = None  # made when the grid first scrolls sideways
        self._frozen_pending = False
        self.horizontalScrollBar().valueChanged.connect(self._scrolled_sideways)

    def grid(self) -> GridModel:
        m = self.model()
        assert isinstance(m, GridModel)
        return m

    def apply_layout(self) -> None:
        """Spans for section rows and column widths (after every reset)."""
        m = self.grid()
        self.clearSpans()
        for r in range(m.rowCount()):
            if m.is_section(r):
                self.setSpan(r, 0, 1, m.columnCount())
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widths = {0: 40, 1: 220, 2: 56, 3: 56, 4: 60, 5: 72}
        for col in range(m.columnCount()):
            if m.columns.year_of(col) is not None:
                self.setColumnWidth(col, 66)
            elif col in widths:
                self.setColumnWidth(col, widths[col])
            else:
                self.setColumnWidth(col, 70 if col != m.columnCount() - 1 else 96)
        header.setMinimumSectionSize(36)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._fit_names()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().resizeEvent(event)
        self._fit_names()
        if self.frozen is not None:
            self.frozen.place()

    def _scrolled_sideways(self, value: int) -> None:
        """序号 and 指标 stay in view once the grid scrolls right (``frozen``). Made on the next
        turn of the event loop, if still scrolled: while a window is laid out at start the grid
        is briefly narrow, and nothing should be built for that before the first paint."""
        if self.frozen is None:
            if value > 0 and not self._frozen_pending:
                self._frozen_pending = True
                QTimer.singleShot(0, self, self._make_frozen)
            return
        self.frozen.setVisible(value > 0)

    def _make_frozen(self) -> None:
        self._frozen_pending = False
        if self.frozen is None and self.horizontalScrollBar().value() > 0:
            from .frozen import FrozenColumns

            self.frozen = FrozenColumns(self)
            self.frozen.show()
            self.scrollTo(self.currentIndex())

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: ANN001, N802
        """As the table does, and a cell left under the frozen columns is brought out from under them."""
        super().scrollTo(index, hint)
        frozen = self.frozen
        if frozen is not None and frozen.isVisible() and index.isValid() and index.column() >= 2:
            hidden = frozen.width_needed() - self.visualRect(index).left()
            if hidden > 0:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - hidden)

    def _fit_names(self) -> None:
        """指标 takes the room left over, but never less than ``NAME_MIN_PX``: on a narrow
        window (a 1024-px laptop) the grid scrolls sideways instead of squeezing the names away."""
        header, m = self.horizontalHeader(), self.grid()
        others = sum(self.columnWidth(c) for c in range(m.columnCount()) if c != 1)
        stretch = self.viewport().width() - others >= NAME_MIN_PX
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(1) != mode:
            header.setSectionResizeMode(1, mode)
            if not stretch:
                self.setColumnWidth(1, NAME_MIN_PX)

    # ------------------------------------------------------------------ editing

    def edit(self, index, trigger=None, event=None):  # noqa: ANN001, ANN201
        """Refuse with a reason (status bar) instead of silently ignoring a keystroke."""
        if trigger is None:
            return super().edit(index)
        T = QAbstractItemView.EditTrigger
        if index.isValid() and trigger in (T.AnyKeyPressed, T.DoubleClicked, T.EditKeyPressed):
            m = self.grid()
            reason = m.refusal(index)
            if reason:
                if trigger == T.DoubleClicked and m.cell(index) is None and m.indicator_at(index) is not None:
                    self.definitionRequested.emit(index)
                else:
                    self.message.emit(reason, True)
                return False
            self.delegate.start_empty = trigger == T.AnyKeyPressed
        return super().edit(index, trigger, event)

    def move_current(self, direction: str) -> None:
        m = self.grid()
        cur = self.currentIndex()
        if not cur.isValid():
            return
        r, c = cur.row(), cur.column()
        if direction in ("down", "up"):
            step = 1 if direction == "down" else -1
            r += step
            while 0 <= r < m.rowCount() and m.is_section(r):
                r += step
            if not 0 <= r < m.rowCount():
                return
        else:
            c += 1 if direction == "right" else -1
            if not 0 <= c < m.columnCount():
                return
        self.setCurrentIndex(m.index(r, c))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.clear_selection()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.move_current("up" if up else "down")
                return
        super().keyPressEvent(event)

    def selected_block(self) -> tuple[int, int, int, int] | None:
        """Top, left, bottom, right of the selection (its bounding rectangle)."""
        idx = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not idx:
            return None
        rows = [i.row() for i in idx]
        cols = [i.column() for i in idx]
        return min(rows), min(cols), max(rows), max(cols)

    def copy_selection(self) -> str:
        block = self.selected_block()
        if block is None:
            return ""
        top, left, bottom, right = block
        m = self.grid()
        text = "\n".join(
            "\t".join(m.copy_text(m.index(r, c)) for c in range(left, right + 1)) for r in range(top, bottom + 1)
        ) + "\n"
        QApplication.clipboard().setText(text)
        self.message.emit(f"已复制 {bottom - top + 1} 行 × {right - left + 1} 列", False)
        return text

    def paste(self) -> bool:
        if self.editor is None:
            return False
        return self.editor.paste_text(QApplication.clipboard().text(), self.currentIndex(), self.selectedIndexes())

    def clear_selection(self) -> bool:
        if self.editor is None:
            return False
        return self.editor.clear_cells(self.selectedIndexes() or [self.currentIndex()])

    def select_cell(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        self.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.setFocus()

    def event(self, e: QEvent) -> bool:
        # Tab/Backtab while not editing moves like a spreadsheet (right/left), never out of the grid.
        if e.type() == QEvent.Type.KeyPress and isinstance(e, QKeyEvent) and e.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if self.state() != QAbstractItemView.State.EditingState:
                self.move_current("right" if e.key() == Qt.Key.Key_Tab else "left")
                return True
        return super().event(e)
