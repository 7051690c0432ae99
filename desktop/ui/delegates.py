"""Cell editing as in a spreadsheet: typing replaces the cell, Enter commits and moves down,
Tab commits and moves right; a text that is not a number keeps the editor open with the
domain's message. Cells carrying a 说明 get a small corner mark, as Excel marks a comment."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPolygonF
from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QToolTip, QWidget

from .grid_model import NoteRole

NAVIGATION_KEYS = {
    Qt.Key.Key_Return: "down",
    Qt.Key.Key_Enter: "down",
    Qt.Key.Key_Tab: "right",
    Qt.Key.Key_Backtab: "left",
}


class ValueDelegate(QStyledItemDelegate):
    """Editor of year cells. ``navigate`` asks the view to move after a commit."""

    navigate = Signal(str)
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.start_empty = False  # set by the view when a typed key opened the editor
        self._editing: QPersistentModelIndex | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setObjectName("valueEditor")
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._editing = QPersistentModelIndex(index)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QLineEdit)
        editor.setText("" if self.start_empty else str(index.data(Qt.ItemDataRole.EditRole) or ""))
        self.start_empty = False

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802, ANN001
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text().strip(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit) and isinstance(event, QKeyEvent):
            direction = NAVIGATION_KEYS.get(Qt.Key(event.key()))
            if direction is not None:
                index = self._editing
                model = index.model() if index is not None and index.isValid() else None
                message = model.check_text(index, editor.text().strip()) if model is not None else None
                if message:
                    self.refused.emit(message)
                    QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), message, editor)
                    return True
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and direction == "down":
                    direction = "up"
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.navigate.emit(direction)
                return True
        return super().eventFilter(editor, event)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        if index.data(NoteRole):
            r = option.rect
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor("#d9480f")))
            painter.drawPolygon(QPolygonF([QPointF(r.right() - 6, r.top()), QPointF(r.right() + 1, r.top()), QPointF(r.right() + 1, r.top() + 7)]))
            painter.restore()
