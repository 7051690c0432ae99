"""Result views of the submission-file actions: what an import did with every file, and what
changed between two submission files. They only show what ``desktop.exchange`` returned."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.domain.progress import number_text
from desktop.exchange import ImportReport, SubmissionDiff
from desktop.exchange.importer import STATUS_LABELS

STATUS_COLOURS = {"imported": "#1b6e20", "duplicate": "#666666", "refused": "#b00000"}
KIND_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}


def make_table(headers: Sequence[str], name: str, *, wrap: bool = False, stretch: int | None = None) -> QTableWidget:
    """A read-only table with row selection; column ``stretch`` (default: the last) takes the rest."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(wrap)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> None:
    """Put ``rows`` (texts) into ``table``; columns in ``right`` are right-aligned (figures)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 20 else "")
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def fit_columns(table: QTableWidget, widths: Sequence[int | None]) -> None:
    """Fixed widths where given, else fit the contents (bounded so one long text cannot win)."""
    for c, width in enumerate(widths):
        if width is None:
            table.resizeColumnToContents(c)
            table.setColumnWidth(c, min(max(table.columnWidth(c), 60), 360))
        else:
            table.setColumnWidth(c, width)


def _copy_button(text_of) -> QPushButton:  # noqa: ANN001
    button = QPushButton("复制全部文字")
    button.setToolTip("把结果复制到剪贴板（可粘贴到邮件或文档中）")
    button.clicked.connect(lambda: QGuiApplication.clipboard().setText(text_of()))
    return button


# ---------------------------------------------------------------------------------- import


def _import_note(item) -> str:  # noqa: ANN001
    if item.status == "refused":
        return "；".join(item.reasons) or "拒收"
    if item.status == "duplicate":
        return f"与已导入的第 {item.version} 版相同，未改变任何数据"
    text = f"{item.values} 个数值"
    if (item.version or 0) > 1:
        text += f"，第 {item.version} 版（重新报送，之前的版本保留）"
    if item.warnings:
        text += "。提示：" + "；".join(item.warnings)
    return text


class ImportResultDialog(QDialog):
    """Every file of the batch: 已导入 / 重复 / 拒收 with the Chinese reason."""

    HEADERS = ("文件", "结果", "地区", "报送年份", "版本", "说明")

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("importResultDialog")
        self.setWindowTitle("导入报送文件：结果")
        layout = QVBoxLayout(self)
        self.summary = QLabel(report.summary() + "。")
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        colour = "#b00000" if report.refused or report.not_found else "#1b6e20"
        self.summary.setStyleSheet(f"font-weight:bold;color:{colour};")
        layout.addWidget(self.summary)
        for msg in report.not_found:
            missing = QLabel("找不到：" + msg)
            missing.setWordWrap(True)
            missing.setStyleSheet("color:#b00000;")
            layout.addWidget(missing)
        self.table = make_table(self.HEADERS, "importTable", wrap=True)
        rows = [
            [
                i.path.name, STATUS_LABELS.get(i.status, i.status),
                f"{i.region_name}（{i.region_code}）" if i.region_name else "—",
                f"{i.year}年" if i.year else "—", str(i.version) if i.version else "—", _import_note(i),
            ]
            for i in report.items
        ]
        fill_table(self.table, rows)
        for r, i in enumerate(report.items):
            self.table.item(r, 1).setForeground(QBrush(QColor(STATUS_COLOURS.get(i.status, "#000000"))))
            self.table.item(r, 0).setToolTip(str(i.path))
        fit_columns(self.table, (None, 100, None, 70, 45, None))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(_copy_button(self.as_text), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.resize(1080, 440)

    def rows(self) -> list[list[str]]:
        """The table's texts (tests and 复制)."""
        t = self.table
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]

    def as_text(self) -> str:
        lines = [self.summary.text(), *("找不到：" + m for m in self.report.not_found)]
        lines += ["\t".join(row) for row in self.rows()]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------- diff


def cell_text(cell) -> str:  # noqa: ANN001
    """A compared cell (value, nature, status) as 'value（nature）'; no cell → （无）."""
    if cell is None:
        return "（无）"
    value, nature, status = cell
    shown = number_text(value) if value is not None else (status or "—")
    return f"{shown}（{nature}）" if nature else shown


class DiffDialog(QDialog):
    """What changed between two submission files (both verified first by ``diff_files``)."""

    HEADERS = ("变化", "指标", "年份", "原值", "新值")

    def __init__(self, diff: SubmissionDiff, parent: QWidget | None = None, *, heading: str | None = None) -> None:
        super().__init__(parent)
        self.diff = diff
        self.setObjectName("diffDialog")
        self.setWindowTitle("比较报送文件" if heading is None else "比较报送版本")
        layout = QVBoxLayout(self)
        head = QLabel(heading or f"原文件：{diff.a}<br>新文件：{diff.b}")
        head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(head)
        counts = {k: sum(c.kind == k for c in diff.changes) for k in KIND_LABELS}
        parts = "，".join(f"{KIND_LABELS[k]} {n} 处" for k, n in counts.items() if n)
        summary = f"共 {len(diff.changes)} 处变化：{parts}。" if diff.changes else "数值没有变化。"
        self.summary = QLabel(summary)
        self.summary.setObjectName("diffSummary")
        self.summary.setStyleSheet("font-weight:bold;")
        layout.addWidget(self.summary)
        if diff.notes:
            notes = QLabel("<br>".join(diff.notes))
            notes.setObjectName("diffNotes")
            notes.setWordWrap(True)
            notes.setStyleSheet("color:#444;")
            layout.addWidget(notes)
        self.table = make_table(self.HEADERS, "diffTable", stretch=1)
        rows = [[KIND_LABELS[c.kind], c.name, f"{c.year}年", cell_text(c.old), cell_text(c.new)] for c in diff.changes]
        fill_table(self.table, rows, right=(3, 4))
        fit_columns(self.table, (50, None, 70, 150, 150))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(_copy_button(self.as_text), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.resize(820, 420)

    def rows(self) -> list[list[str]]:
        t = self.table
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]

    def as_text(self) -> str:
        return "\n".join([f"原：{self.diff.a}", f"新：{self.diff.b}", self.summary.text(), *self.diff.notes,
                          *("\t".join(r) for r in self.rows())])
