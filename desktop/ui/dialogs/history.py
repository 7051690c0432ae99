"""修改记录 of the whole workbook: every audit row, newest first — 上报 and 撤回 with their reason,
规划属性 and 专栏 edits, imports and exports, which the detail panel (one indicator's rows)
never shows. The same rows as ``planledger history``."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QHeaderView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.store.repository import AUDIT_ACTIONS, AUDIT_FIELDS, AuditEntry
from desktop.store.workspace import Workspace

HEADERS = ("时间", "人员", "操作", "指标", "年份", "内容", "原值", "新值", "说明")


MAX_COLUMN_PX = 150  # a long old value must not squeeze 说明 (where a 撤回's reason is)


def _field(name: str) -> str:
    """A field as the user knows it (``plan.title`` → 标题), else as stored."""
    from desktop.store.definitions import INDICATOR_FIELDS, PLAN_FIELDS

    bare = name.removeprefix("plan.")
    return (AUDIT_FIELDS.get(name) or INDICATOR_FIELDS.get(bare) or PLAN_FIELDS.get(bare)
            or {"catalogue_version": "指标目录版本", "base": "基期值"}.get(bare, name))


def history_rows(ws: Workspace, *, plan_only: bool = False) -> list[tuple[str, ...]]:
    """The table's rows: all entries, or (``plan_only``) those about no single indicator."""
    names = {i.code: i.name for i in ws.plan().indicators}
    entries: list[AuditEntry] = ws.audit(None)[::-1]  # newest first
    return [
        (e.at.replace("T", " ")[:19], e.who, AUDIT_ACTIONS.get(e.action, e.action), names.get(e.code or "", e.code or ""),
         str(e.year or ""), _field(e.field or ""), e.old_value or "", e.new_value or "",
         e.detail or "")
        for e in entries if not (plan_only and e.code)
    ]


class HistoryDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(f"修改记录 — {ws.path.name}")
        self.resize(1180, 560)
        layout = QVBoxLayout(self)
        self.plan_only = QCheckBox("只看整本台账的记录（上报、撤回、规划属性、专栏、导入导出）")
        self.plan_only.toggled.connect(self.fill)
        layout.addWidget(self.plan_only)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fill()

    def fill(self) -> None:
        rows = history_rows(self.ws, plan_only=self.plan_only.isChecked())
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        for c in range(len(HEADERS) - 1):
            self.table.resizeColumnToContents(c)
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), MAX_COLUMN_PX))
