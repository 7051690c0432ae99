"""Menu entries from (object name, text, slot, tip) rows: the 数据 menu's groups share it."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

ActionRow = tuple[str, str, Callable[[], Any], str]


def add_actions(menu: QMenu, rows: Iterable[ActionRow]) -> dict[str, QAction]:
    """Append one action per row (tip as status and tool tip); returns them by object name."""
    actions: dict[str, QAction] = {}
    for name, text, slot, tip in rows:
        act = menu.addAction(text)
        act.setObjectName(name)
        act.setStatusTip(tip)
        act.setToolTip(tip)
        act.triggered.connect(lambda _checked=False, s=slot: s())
        actions[name] = act
    return actions
