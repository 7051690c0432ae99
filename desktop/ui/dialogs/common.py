"""Small widgets the definition dialogs share."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel


def error_label(name: str) -> QLabel:
    """A red, wrapping label under a field that shows why its text is refused."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color:#b00000;")
    return label
