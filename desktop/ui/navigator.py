"""The navigator: plan → 专栏 → sections; a click scrolls the grid to that place."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from desktop.domain.model import Plan

KeyRole = Qt.ItemDataRole.UserRole + 10


class Navigator(QTreeWidget):
    """Emits ``jump(box_label, section_key)``; section_key is "" for a whole box, and both are
    "" for the plan itself."""

    jump = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setObjectName("navigator")
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)

    def set_plan(self, plan: Plan) -> None:
        self.clear()
        top = QTreeWidgetItem([plan.title])
        top.setToolTip(0, f"{plan.title}\n{plan.region_name}（{plan.region_code}）{plan.start_year}—{plan.end_year}年")
        top.setData(0, KeyRole, ("", ""))
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.addTopLevelItem(top)
        for box in plan.boxes:
            count = len(plan.indicators_of(box.label))
            item = QTreeWidgetItem([f"{box.caption}（{count}）" if count else box.caption])
            item.setToolTip(0, box.caption)
            item.setData(0, KeyRole, (box.label, ""))
            top.addChild(item)
            for section in box.sections:
                child = QTreeWidgetItem([section.title])
                child.setData(0, KeyRole, (box.label, section.key))
                item.addChild(child)
        self.expandAll()

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        box, section = item.data(0, KeyRole) or ("", "")
        self.jump.emit(box, section)
