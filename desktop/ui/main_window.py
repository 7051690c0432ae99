"""The main window of the spine: the workspace's indicators and progress, read-only.

The editor issue replaces the grid with an editable one; the figures already come from the
domain's progress table, never from the widget.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

from desktop import APP_NAME
from desktop.domain.progress_table import ProgressRow, ProgressTable, default_year, progress_table
from desktop.store.workspace import Workspace

STATUS_COLOURS = {
    "提前实现": "#d8f0d8",
    "快于序时": "#e3f4e3",
    "基本符合": "#eef6ff",
    "达标": "#e3f4e3",
    "完成": "#d8f0d8",
    "超额完成": "#d8f0d8",
    "滞后": "#fde2cf",
    "未达标": "#fbd0d0",
    "未完成": "#fbd0d0",
}


class ProgressModel(QAbstractTableModel):
    """Rows of the domain's progress table; section rows span the line."""

    def __init__(self, table: ProgressTable) -> None:
        super().__init__()
        self.table = table
        self.headers = ["序号", "指标", "单位", "属性", "基期值", "目标值", *[f"{y}年" for y in table.years], "完成进度", "序时进度", "状态", "预计"]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def cells(self, row: ProgressRow) -> list[str]:
        if row.kind == "section":
            return [row.name] + [""] * (len(self.headers) - 1)
        name = ("    " if row.indent else "") + (f"其中：{row.name}" if row.indent else row.name)
        return [row.seq, name, row.unit, row.attribute, row.base, row.target, *row.values, row.completion, row.time_progress, row.status, row.projection]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.table.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.FontRole and (row.kind == "section" or row.binding_behind):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.kind == "section":
                return QBrush(QColor("#f0f0f0"))
            if index.column() == len(self.headers) - 2 and row.status in STATUS_COLOURS:
                return QBrush(QColor(STATUS_COLOURS[row.status]))
            if row.binding_behind:
                return QBrush(QColor("#fff1f0"))
        if role == Qt.ItemDataRole.ForegroundRole and row.binding_behind and index.column() == len(self.headers) - 2:
            return QBrush(QColor("#b00000"))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() not in (1,) and row.kind != "section":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and row.assessment is not None:
            return row.assessment.basis
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, *, year: int | None = None) -> None:
        super().__init__()
        self.ws = ws
        plan, actuals = ws.plan(), ws.actuals()
        self.year = year if year is not None else default_year(plan, actuals)
        self.setWindowTitle(f"{ws.path.name} — {APP_NAME}")
        central = QWidget()
        layout = QVBoxLayout(central)
        if ws.read_only:
            banner = QLabel(f"只读：{ws.read_only_reason}")
            banner.setStyleSheet("background:#fff3cd;color:#7a5b00;padding:6px;border:1px solid #e0c36a;")
            layout.addWidget(banner)
        title = QLabel(f"<b>{plan.title}</b>　{plan.region_name}（{plan.region_code}）")
        layout.addWidget(title)
        self.table = progress_table(plan, actuals, self.year)
        self.model = ProgressModel(self.table)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        for r, row in enumerate(self.table.rows):
            if row.kind == "section":
                self.view.setSpan(r, 0, 1, self.model.columnCount())
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view)
        self.setCentralWidget(central)
        self.statusBar().showMessage(
            f"评估年份 {self.year}　序时进度 {self.table.time_progress_text}　共 {len(plan.indicators)} 个指标"
            + (f"　{plan.sample_note}" if plan.sample_note else "")
        )
