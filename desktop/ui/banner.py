"""A coloured line above the grid: read-only, migrated, or the last refused edit."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

BANNER_STYLES = {
    "readonly": "background:#fff3cd;color:#6b4f00;padding:6px 10px;border:1px solid #e0c36a;",
    "info": "background:#e7f1ff;color:#163d6b;padding:6px 10px;border:1px solid #9cc2f0;",
    "error": "background:#fde8e8;color:#8b0000;padding:6px 10px;border:1px solid #f0a0a0;",
}


class Banner(QWidget):
    """A coloured line above the grid (read-only, migrated, or the last refused edit)."""

    def __init__(self, kind: str, closable: bool = False) -> None:
        super().__init__()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"QLabel{{{BANNER_STYLES[kind]}}}")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        if closable:
            close = QToolButton()
            close.setText("×")
            close.setToolTip("关闭提示")
            close.clicked.connect(self.hide)
            lay.addWidget(close)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() or not self.isHidden() else ""
