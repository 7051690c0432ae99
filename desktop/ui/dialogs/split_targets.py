"""目标分解: assign each subordinate region its target for one indicator, see the sum against
the own target at once, and write a region's pre-filled workspace to hand down.

Everything below the dialog is ``desktop.intake.split``; the dialog only edits a table and
calls it. Assignments are saved with 保存 (audited as ``split``; they are settings, not values,
so they are not part of the undo stack).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from desktop.domain.errors import PlanLedgerError
from desktop.intake.split import (check_split, known_regions, set_split_target, set_split_targets, split_export,
                                  split_rows, split_targets)


class SplitTargetsDialog(QDialog):
    def __init__(self, parent: QWidget | None, ws: Any) -> None:
        super().__init__(parent)
        self.setObjectName("splitTargets")
        self.setWindowTitle("目标分解")
        self.resize(760, 520)
        self.ws = ws
        plan = ws.plan()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("指标："))
        self.indicator = QComboBox()
        self.indicator.setObjectName("splitIndicator")
        for ind in plan.indicators:
            if ind.target.is_numeric:
                self.indicator.addItem(f"{ind.name}（{ind.unit}）  本级目标 {ind.target.text}", ind.code)
        top.addWidget(self.indicator, 1)
        layout.addLayout(top)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("splitTable")
        self.table.setHorizontalHeaderLabels(["区划代码", "地区名称", "分解目标"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(1, 220)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table, 1)
        rows = QHBoxLayout()
        add = QPushButton("添加地区")
        add.clicked.connect(lambda: self.add_region("", ""))
        rows.addWidget(add)
        self.export_button = QPushButton("生成所选地区的工作簿…")
        self.export_button.setObjectName("splitExport")
        self.export_button.clicked.connect(lambda: self.export_selected())
        rows.addWidget(self.export_button)
        self.import_button = QPushButton("从 Excel 导入…")
        self.import_button.setObjectName("splitImport")
        self.import_button.setToolTip("导入目标分解表：每行一个地区（地区名称或区划代码），每列一项指标（或反过来）")
        self.import_button.clicked.connect(lambda: self.import_workbook())
        rows.addWidget(self.import_button)
        rows.addStretch(1)
        layout.addLayout(rows)
        self.check = QLabel()
        self.check.setObjectName("splitCheck")
        self.check.setWordWrap(True)
        layout.addWidget(self.check)
        buttons = QDialogButtonBox()
        save = buttons.addButton("保存", QDialogButtonBox.ButtonRole.ApplyRole)
        save.setObjectName("splitSave")
        save.clicked.connect(lambda: self.save())
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.indicator.currentIndexChanged.connect(lambda _i: self.load())
        self.table.itemChanged.connect(lambda _item: self.show_check(saved=False))
        self.exported: list[Path] = []
        self.load()

    @property
    def code(self) -> str:
        return str(self.indicator.currentData() or "")

    def load(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        assigned = split_targets(self.ws).get(self.code, {})
        for region, name in known_regions(self.ws):
            self.add_region(region, name, assigned.get(region, {}).get("target", ""))
        self.table.blockSignals(False)
        self.show_check(saved=True)

    def add_region(self, code: str, name: str, target: str = "") -> None:
        n = self.table.rowCount()
        self.table.insertRow(n)
        for c, text in enumerate((code, name, target)):
            self.table.setItem(n, c, QTableWidgetItem(text))

    def entries(self) -> list[tuple[str, str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            cells = [(self.table.item(r, c).text().strip() if self.table.item(r, c) else "") for c in range(3)]
            if cells[0]:
                out.append((cells[0], cells[1], cells[2]))
        return out

    def save(self) -> bool:
        current = split_targets(self.ws).get(self.code, {})
        try:
            for region, name, target in self.entries():
                if target != current.get(region, {}).get("target", "") or (target and name != current.get(region, {}).get("name")):
                    set_split_target(self.ws, self.code, region, name, target)
        except PlanLedgerError as exc:
            self.check.setText(f"<span style='color:#b00000'>未全部保存：{exc.message}</span>")
            return False
        self.show_check(saved=True)
        return True

    def show_check(self, *, saved: bool) -> None:
        """The sum against the own target, from what is saved (and a hint when edits are not)."""
        rows = [r for r in split_rows(self.ws.plan(), split_targets(self.ws)) if r.code == self.code]
        if not rows:
            text = "尚未分解该指标。"
        else:
            row = rows[0]
            total = "" if row.total is None else f"分解合计 {row.total}{row.unit}，"
            problems = "；".join(p.message for p in row.problems)
            text = total + (f"<span style='color:#8a5a00'>{problems}</span>" if problems else "与本级目标一致。")
            if row.total is None and not problems:
                text = "该指标不可相加（比率、控制值等），不核对合计。"
        if not saved:
            text += "<br>（有未保存的修改）"
        self.check.setText(text)

    def import_workbook(self, path: Path | None = None) -> Any:
        """Read a 目标分解表 in a worker thread; problems → a message box (nothing written), else
        apply all of it and refresh. Returns the read job (tests wait on it)."""
        from desktop.intake.split_table import read_split_file

        from ..intake_menu import XLSX_FILTER, read_in_background

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "导入目标分解表", "", XLSX_FILTER)
            if not chosen:
                return None
            path = Path(chosen)
        plan, known = self.ws.plan(), known_regions(self.ws)  # read here: the database stays in this thread
        return read_in_background(self, f"正在读取“{path.name}”", lambda progress: read_split_file(
            path, plan, known, progress=progress), self.apply_table)

    def apply_table(self, table: Any) -> bool:
        if not table.ok:
            lines = "\n".join(f"• {p.message}" for p in table.problems if p.is_error)
            self.message(QMessageBox.Icon.Warning, "未导入",
                         f"目标分解表中有 {len(table.errors)} 处错误，未导入任何分解目标：\n\n{lines}")
            return False
        try:
            n = set_split_targets(self.ws, table.rows, source=table.file.name)
        except PlanLedgerError as exc:
            self.message(QMessageBox.Icon.Warning, "未导入", exc.message)
            return False
        codes = {c for c, _, _, _ in table.rows}
        if self.code not in codes:
            i = self.indicator.findData(next(c for c, _, _, _ in table.rows))
            if i >= 0:
                self.indicator.setCurrentIndex(i)
        self.load()
        checked = check_split(self.ws.plan(), split_targets(self.ws))
        text = f"已从“{table.file.name}”导入 {n} 项分解目标（{len(table.regions)} 个地区 × {len(codes)} 项指标）。"
        if checked:
            text += "\n\n分解合计与本级目标不一致：\n" + "\n".join(f"• {p.message}" for p in checked)
        self.message(QMessageBox.Icon.Warning if checked else QMessageBox.Icon.Information, "已导入", text)
        return True

    def message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("splitImportResult")
        self.last_box = box
        box.open()

    def export_selected(self, out: Path | None = None) -> Path | None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            self.check.setText("请先选中一个地区。")
            return None
        region = self.table.item(rows[0], 0).text().strip()
        name = self.table.item(rows[0], 1).text().strip() if self.table.item(rows[0], 1) else ""
        if out is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "保存下级工作簿", f"{name or region}-规划指标台账.sqlite",
                                                    "规划指标台账 (*.sqlite)")
            if not chosen:
                return None
            out = Path(chosen)
        try:
            path, notes = split_export(self.ws, region, out, region_name=name or None)
        except PlanLedgerError as exc:
            self.check.setText(f"<span style='color:#b00000'>{exc.message}</span>")
            return None
        self.exported.append(path)
        self.check.setText(f"已生成“{path.name}”。" + "".join(f"<br>提示：{n}" for n in notes))
        return path
