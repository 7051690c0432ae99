"""The import preview: what a workbook would bring in, row by row, and every problem by cell
address. Nothing is written until the user presses 导入; the dialog only shows and decides."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop.intake.problems import IntakeProblem, Severity
from desktop.intake.table import ImportedTable
from desktop.intake.values import ValuesTable

ERROR_BG = QColor("#f8d7d7")
WARNING_BG = QColor("#fff3cd")
SECTION_BG = QColor("#eef2f7")
KIND_TEXT = {"indicator": "指标", "section": "分组", "footnote": "注", "skipped": "未导入"}


class ImportPreviewDialog(QDialog):
    """Preview of a table or values import. ``accepted`` means: write it (the caller does,
    through the editor, as one undo step). ``reread`` asks the caller to read the file again
    (after the user fixed it in Excel/WPS)."""

    reread = Signal()

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setWindowTitle(title)
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget()
        self.table.setObjectName("importRows")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        split.addWidget(self.table)
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        self.problems_label = QLabel()
        inner.addWidget(self.problems_label)
        self.problems = QListWidget()
        self.problems.setObjectName("importProblems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._jump)
        self.problems.itemClicked.connect(self._jump)
        inner.addWidget(self.problems)
        split.addWidget(box)
        split.setSizes([420, 180])
        layout.addWidget(split, 1)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importAccept")
        self.reread_button = QPushButton("重新读取文件")
        self.reread_button.setToolTip("在 Excel/WPS 中改好并保存工作簿后，重新读取")
        self.buttons.addButton(self.reread_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reread_button.clicked.connect(self.reread.emit)
        layout.addWidget(self.buttons)
        self._rows: dict[int, int] = {}  # sheet row → table row

    # ------------------------------------------------------------------ filling

    def show_table(self, imported: ImportedTable, changes: list[str], notes: list[str]) -> None:
        """A plan table: one line per sheet row (indicator, 分组, 注, 未导入) with its problems."""
        headers = ["行", "类型", "分组", "序号", "指标", "单位", "基期值", "目标值", "属性", "问题"]
        self._prepare(headers, len(imported.preview))
        by_row: dict[int, list[IntakeProblem]] = {}
        for p in imported.problems:
            if p.row:
                by_row.setdefault(p.row, []).append(p)
        for n, row in enumerate(imported.preview):
            self._rows[row.row] = n
            if row.kind == "indicator" or (row.kind == "skipped" and len(row.cells) == 6):
                seq, name, unit, base, target, attribute = (list(row.cells) + [""] * 6)[:6]
                name = ("　其中：" if row.sub_item else "") + name
                cells = [str(row.row), KIND_TEXT[row.kind], row.section, seq, name, unit, base, target, attribute]
            else:
                cells = [str(row.row), KIND_TEXT[row.kind], "", "", " ".join(row.cells), "", "", "", ""]
            found = by_row.get(row.row, [])
            cells.append("；".join(_short(p) for p in found) or "；".join(row.problems))
            bg = _colour(found, row.kind)
            self._fill(n, cells, bg)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(9, QHeaderView.ResizeMode.Stretch)
        box = imported.box
        head = (f"文件“{imported.file.name}”工作表“{imported.sheet}”，表头在第 {imported.header_row} 行。"
                f"<br><b>{box.caption}</b>：{len(imported.indicators)} 个指标，{len(box.sections)} 个分组，"
                f"{len(box.footnotes)} 条注。")
        self._finish(imported.problems, head, changes, notes)

    def show_values(self, values: ValuesTable, names: Callable[[str], str]) -> None:
        """An indicator × year table: one line per matched indicator, its values by year."""
        years = values.years
        headers = ["行", "指标"] + [f"{y}年" for y in years] + ["问题"]
        rows: dict[int, dict[int, str]] = {}
        for code, year, value in values.cells:
            row = next((r for r, c in values.matched.items() if c == code), 0)
            rows.setdefault(row, {})[year] = str(value)
        problem_rows = sorted({p.row for p in values.problems if p.row and p.row not in values.matched})
        lines = sorted(set(values.matched) | set(problem_rows))
        self._prepare(headers, len(lines))
        by_row: dict[int, list[IntakeProblem]] = {}
        for p in values.problems:
            if p.row:
                by_row.setdefault(p.row, []).append(p)
        for n, row in enumerate(lines):
            self._rows[row] = n
            code = values.matched.get(row)
            found = by_row.get(row, [])
            cells = [str(row), names(code) if code else "（未对应）"] + [rows.get(row, {}).get(y, "") for y in years]
            cells.append("；".join(_short(p) for p in found))
            self._fill(n, cells, _colour(found, "indicator"))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        head = (f"文件“{values.file.name}”工作表“{values.sheet}”：{len(values.matched)} 个指标、"
                f"{len(values.cells)} 个数值（{'、'.join(f'{y}年' for y in years)}）。")
        self._finish(values.problems, head, [], [])

    def show_collected(self, summary, names: Callable[[str], str]) -> None:  # type: ignore[no-untyped-def]
        """Returned department workbooks: who filled what, what is missing, conflicts."""
        headers = ["填报单位", "填报人", "行", "指标", "数值", "情况"]
        lines: list[tuple[list[str], QColor | None]] = []
        to_write = {(v.code, v.row) for v in summary.cells}
        between = {code for code, _ in summary.between_files}
        for f in summary.files:
            who = f"{f.filler} {f.phone}".strip()
            conflicts = {c: (old, new) for c, old, new in f.conflicts}
            for v in f.values:
                if v.code in between:
                    state, bg = "多份填报表数值不同，不写入", ERROR_BG
                elif v.code in conflicts:
                    old = conflicts[v.code][0]
                    written = (v.code, v.row) in to_write
                    state = f"与已有数值 {old} 不同：" + ("以填报表为准" if written else "保留已有数值")
                    bg = WARNING_BG
                else:
                    state, bg = ("与已有数值相同" if v.code in f.unchanged else "写入"), None
                lines.append(([f.unit, who, str(v.row), names(v.code), str(v.value), state], bg))
            for code in f.missing:
                lines.append(([f.unit, who, "", names(code), "", "未填"], WARNING_BG))
            for p in f.problems:
                if p.is_error:
                    lines.append(([f.unit or f.file.name, who, str(p.row or ""), "", "", _short(p)], ERROR_BG))
        for unit in summary.not_returned:
            lines.append(([unit, "", "", "", "", "未收回"], WARNING_BG))
        self._prepare(headers, len(lines))
        for n, (cells, bg) in enumerate(lines):
            self._fill(n, cells, bg)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        year = f" {summary.year} 年" if summary.year else ""
        head = (f"收回 {len(summary.files)} 份{year}科室填报表：可写入 {len(summary.cells)} 个数值，"
                f"冲突 {len(summary.conflicts)} 处，未收回 {len(summary.not_returned)} 个单位。")
        problems = list(summary.problems)
        for code, values in summary.between_files:
            listed = "、".join(f"{u} {v}" for u, v in values)
            problems.append(IntakeProblem(Severity.ERROR, f"{names(code)} 在多份填报表中数值不同：{listed}"))
        self._finish(problems, head, [], [])

    # ------------------------------------------------------------------ helpers

    def _prepare(self, headers: list[str], count: int) -> None:
        self._rows.clear()
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(count)

    def _fill(self, n: int, cells: list[str], bg: QColor | None) -> None:
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if bg is not None:
                item.setBackground(QBrush(bg))
            self.table.setItem(n, c, item)

    def _finish(self, problems: list[IntakeProblem], head: str, changes: list[str], notes: list[str]) -> None:
        errors = [p for p in problems if p.is_error]
        warnings = [p for p in problems if not p.is_error]
        self.problems.clear()
        for p in errors + warnings:
            text = f"{'错误' if p.is_error else '提示'}  {p.cell or '—'}  {p.message}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.row)
            item.setForeground(QBrush(QColor("#b00000" if p.is_error else "#7a5a00")))
            self.problems.addItem(item)
        for n in notes:
            self.problems.addItem(QListWidgetItem(f"提示  —  {n}"))
        self.problems_label.setText(f"问题：{len(errors)} 处错误，{len(warnings) + len(notes)} 条提示"
                                    + ("（点击一条可定位到对应的行）" if problems else ""))
        if errors:
            verdict = (f"<span style='color:#b00000'>有 {len(errors)} 处错误，不能导入。请在 Excel/WPS 中按下方列出的单元格修改并保存，"
                       "然后点“重新读取文件”。</span>")
        else:
            verdict = "确认无误后点“导入”。导入作为一步操作，可用“编辑 → 撤销”整体撤销。"
            if changes:
                verdict = "将要：" + "；".join(changes) + "。<br>" + verdict
        self.summary.setText(head + "<br>" + verdict)
        self.import_button.setEnabled(not errors)

    def _jump(self, item: QListWidgetItem) -> None:
        row = item.data(Qt.ItemDataRole.UserRole)
        if row in self._rows:
            self.table.selectRow(self._rows[row])
            self.table.scrollToItem(self.table.item(self._rows[row], 0))


def _short(p: IntakeProblem) -> str:
    """The message without the file and sheet (the preview shows them once on top)."""
    text = p.message
    if "：" in text and text.startswith("文件“"):
        text = text.split("：", 1)[1]
    return (p.cell + " " if p.cell else "") + text


def _colour(found: list[IntakeProblem], kind: str) -> QColor | None:
    if any(p.is_error for p in found):
        return ERROR_BG
    if found or kind == "skipped":
        return WARNING_BG
    if kind in ("section", "footnote"):
        return SECTION_BG
    return None
