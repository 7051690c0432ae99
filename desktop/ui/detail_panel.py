"""The detail panel of the selected indicator: definition, progress, the values of every year
(data nature, source, 说明), validation messages, the audit history and a place for a chart.

The 说明 / 来源 / 数据性质 of a value are saved through the editor (``set_actual(…, note=)``),
as one undo step; nothing here computes a figure.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.domain.errors import Problem
from desktop.domain.model import Indicator, Nature
from desktop.domain.progress_table import value_text
from desktop.store.repository import AUDIT_ACTIONS, AUDIT_FIELDS

if TYPE_CHECKING:
    from .editor import Editor

FIRST_CHART_DELAY_MS = 200  # after the window's first paint (the event loop paints it first)
HISTORY_ROWS = 100  # the latest changes shown; the whole log stays in the file
FIELD_NAMES, ACTION_NAMES = AUDIT_FIELDS, AUDIT_ACTIONS


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    t.setWordWrap(False)
    return t


def _fill(table: QTableWidget, rows: list[tuple[list[str], list[str]]]) -> None:
    """Rows of (texts, tooltips), then one column fit: fitting per cell made every edit
    re-measure the whole history."""
    table.setUpdatesEnabled(False)
    try:
        table.setRowCount(len(rows))
        for r, (texts, tips) in enumerate(rows):
            for c, (text, tip) in enumerate(zip(texts, tips)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                table.setItem(r, c, item)
        for c in range(table.columnCount() - 1):  # the last column stretches
            table.resizeColumnToContents(c)
    finally:
        table.setUpdatesEnabled(True)


def _new_on_top(old: list, new: list) -> int | None:
    """How many rows ``new`` adds above ``old`` (newest first, capped), or None if it differs
    otherwise."""
    for k in range(0, 4):
        if new[k:] == old[: len(new) - k] and len(new) - k <= len(old):
            return k
    return None


class DetailPanel(QScrollArea):
    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor = editor
        self.code: str | None = None
        self.year: int | None = None
        self._history_shown: tuple[str | None, list] = (None, [])
        self.setObjectName("detailPanel")
        self.setWidgetResizable(True)
        body = QWidget()
        outer = QHBoxLayout(body)
        outer.setContentsMargins(6, 4, 6, 4)
        cols = [QVBoxLayout() for _ in range(4)]
        for n, col in enumerate(cols):
            outer.addLayout(col, (3, 3, 4, 4)[n])
        layout = cols[0]
        self.title = _label("（选中一个指标查看详情）")
        self.title.setStyleSheet("font-size: 11pt; font-weight: bold;")
        layout.addWidget(self.title)

        self.definition = QGroupBox("定义")
        grid = QGridLayout(self.definition)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.setContentsMargins(6, 4, 6, 4)
        self.fields: dict[str, QLabel] = {}
        pairs = (("单位", "属性"), ("目标值", "基期值"), ("计算方式", "方向"), ("汇总规则", "责任单位"), ("上级指标",), ("备注",))
        for r, pair in enumerate(pairs):
            for n, key in enumerate(pair):
                self.fields[key] = _label()
                if len(pair) == 2:  # short values (预期性, 就业科): one line, the column widens instead
                    self.fields[key].setWordWrap(False)
                grid.addWidget(QLabel(key + "："), r, n * 2)
                grid.addWidget(self.fields[key], r, n * 2 + 1, 1, 3 if len(pair) == 1 else 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addWidget(self.definition)
        layout.addStretch(1)
        layout = cols[1]

        self.progress = QGroupBox("进度")
        pform = QFormLayout(self.progress)
        self.progress_fields: dict[str, QLabel] = {}
        pform.setVerticalSpacing(2)
        pform.setContentsMargins(6, 4, 6, 4)
        for key in ("评估年份", "完成进度", "状态", "依据", "预计"):
            self.progress_fields[key] = _label()
            pform.addRow(key + "：", self.progress_fields[key])
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout = cols[2]

        self.values_box = QGroupBox("各年数值")
        vlay = QVBoxLayout(self.values_box)
        vlay.setContentsMargins(6, 4, 6, 4)
        vlay.setSpacing(3)
        self.values = _table(["年份", "数值", "性质", "来源", "说明"])
        self.values.setFixedHeight(22 * 5 + 26)
        self.values.verticalHeader().setDefaultSectionSize(22)
        self.values.cellClicked.connect(lambda r, _c: self._pick_year(r))
        vlay.addWidget(self.values)
        self.year_label = _label()
        self.nature = QComboBox()
        self.nature.setObjectName("natureCombo")
        for n in Nature:
            self.nature.addItem(n.value, n)
        self.source = QLineEdit()
        self.source.setObjectName("sourceEdit")
        self.source.setPlaceholderText("来源，如：统计年报")
        self.note = QPlainTextEdit()
        self.note.setObjectName("noteEdit")
        self.note.setPlaceholderText("说明（如约束性指标滞后的原因说明）")
        self.note.setFixedHeight(44)
        self.save = QPushButton("保存说明")
        self.save.setObjectName("saveNote")
        self.save.clicked.connect(self.save_details)
        form = QVBoxLayout()
        row1 = QHBoxLayout()
        row1.addWidget(self.year_label)
        row1.addWidget(QLabel("性质："))
        row1.addWidget(self.nature)
        row1.addWidget(self.source, 1)
        row2 = QHBoxLayout()
        row2.addWidget(self.note, 1)
        row2.addWidget(self.save, 0, Qt.AlignmentFlag.AlignBottom)
        form.addLayout(row1)
        form.addLayout(row2)
        self.note_box = QGroupBox("数值说明")
        self.note_box.setLayout(form)
        form.setContentsMargins(6, 4, 6, 4)
        form.setSpacing(3)
        cols[3].addWidget(self.note_box)
        layout.addWidget(self.values_box)
        chart_column = layout
        layout = cols[1]
        self.checks = QGroupBox("校验")
        clay = QVBoxLayout(self.checks)
        clay.setContentsMargins(6, 4, 6, 4)
        self.check_label = _label()
        clay.addWidget(self.check_label)
        layout.insertWidget(1, self.checks)
        layout = cols[3]

        self.history_box = QGroupBox("修改记录")
        hlay = QVBoxLayout(self.history_box)
        hlay.setContentsMargins(6, 4, 6, 4)
        self.history = _table(["时间", "人员", "年份", "操作", "内容", "原值", "新值"])
        self.history.setMinimumHeight(90)
        self.history.horizontalHeader().setResizeContentsPrecision(12)
        self.history.verticalHeader().setDefaultSectionSize(22)
        hlay.addWidget(self.history)
        layout.addWidget(self.history_box)

        self.chart_box = QGroupBox("图表")
        self.chart_box.setObjectName("chartBox")
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(4, 2, 4, 2)
        self.chart_box.setMinimumSize(260, 170)
        self.chart = None  # IndicatorChart, made after the first paint (pyqtgraph loads lazily)
        self._chart_due = False
        chart_column.addStretch(1)
        outer.addWidget(self.chart_box, 5, Qt.AlignmentFlag.AlignTop)  # a column of its own, read first
        self.setWidget(body)
        self.show_indicator(None)

    # ------------------------------------------------------------------ showing

    def show_indicator(self, code: str | None, year: int | None = None) -> None:
        self._keep_typed()
        self.code = code
        model = self.editor.model
        if year is not None:
            self.year = year
        ind = model.plan.indicator(code) if code else None
        for box in (self.definition, self.progress, self.values_box, self.checks, self.history_box, self.note_box,
                    self.chart_box):
            box.setVisible(ind is not None)
        self._chart_later()
        if ind is None:
            self.title.setText("（在表格中选中一个指标，查看定义、各年数值、说明和修改记录）")
            return
        if self.year is None or self.year not in model.columns.years:
            self.year = model.year
        self._definition(ind)
        self._progress(ind)
        self._values(ind)
        self._checks(ind)
        self._history(ind)

    def refresh(self) -> None:
        self.show_indicator(self.code)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        """The chart keeps to the visible height of the dock (the other columns may scroll)."""
        super().resizeEvent(event)
        self.chart_box.setFixedHeight(max(170, self.viewport().height() - 10))

    def _chart_later(self) -> None:
        """Redraw the chart on the next event-loop turn (coalesced; imports pyqtgraph once)."""
        if not self._chart_due:
            self._chart_due = True
            # the first chart waits for the window's first paint: pyqtgraph takes ~0.4 s to import;
            # later ones follow the grid's repaint by a moment, so typing down a column stays
            # within a frame and a burst of edits redraws the chart once
            QTimer.singleShot(30 if self.chart is not None else FIRST_CHART_DELAY_MS, self.draw_chart)

    @property
    def chart_pending(self) -> bool:
        return self._chart_due

    def draw_chart(self) -> None:
        from .charts.panel import draw_indicator_chart

        self._chart_due = False
        draw_indicator_chart(self)

    def _definition(self, ind: Indicator) -> None:
        plan = self.editor.model.plan
        prefix = f"{ind.seq}. " if ind.seq else ""
        self.title.setText(f"{prefix}{ind.name}")
        parent = plan.indicator(ind.parent) if ind.parent else None
        base = ind.base_text or value_text(None)
        if ind.base_label:
            base += f"（{ind.base_label}）"
        texts = {
            "单位": ind.unit or "—",
            "属性": ind.attribute.value,
            "目标值": ind.target.text or "—",
            "基期值": base,
            "计算方式": ind.kind.label,
            "方向": ind.direction.label,
            "汇总规则": ind.rule.label,
            "责任单位": ind.responsible or "—",
            "上级指标": f"其中项，属于“{parent.name}”" if parent else "—",
            "备注": ind.note or "—",
        }
        for key, text in texts.items():
            self.fields[key].setText(text)
        self.fields["属性"].setStyleSheet("color:#b00000;font-weight:bold;" if ind.attribute.value == "约束性" else "")

    def _progress(self, ind: Indicator) -> None:
        model = self.editor.model
        row = model.rows[model.row_of_code[ind.code]] if ind.code in model.row_of_code else None
        a = row.assessment if row else None
        f = self.progress_fields
        f["评估年份"].setText(f"{model.year}年（序时进度 {model.table.time_progress_text}）")
        f["完成进度"].setText(row.completion if row else "—")
        f["状态"].setText(row.status if row else "—")
        f["状态"].setStyleSheet("color:#b00000;font-weight:bold;" if row and row.binding_behind else "")
        f["依据"].setText(a.basis if a else "—")
        p = a.projection if a else None
        f["预计"].setText("；".join(t for t in ((p.verdict or "") if p else "", (p.reason or "") if p else "") if t) or "—")

    def _values(self, ind: Indicator) -> None:
        model = self.editor.model
        years = model.columns.years
        rows = []
        for y in years:
            a = model.actual(ind.code, y)
            locked = "（已上报）" if y in model.locked else ""
            cells = [f"{y}年{locked}", value_text(a), a.nature.value if a else "", a.source if a else "", a.note if a else ""]
            rows.append((cells, cells))
        _fill(self.values, rows)
        if self.year in years:
            self.values.selectRow(years.index(self.year))
        a = model.actual(ind.code, self.year) if self.year else None
        self.year_label.setText(f"{self.year}年" + ("（已上报）" if self.year in model.locked else ""))
        self.nature.setCurrentIndex(list(Nature).index(a.nature) if a else list(Nature).index(Nature.ANNUAL))
        self.source.setText(a.source if a else "")
        self.note.setPlainText(a.note if a else "")
        editable = not model.ws.read_only and self.year not in model.locked
        for w in (self.nature, self.source, self.note, self.save):
            w.setEnabled(editable)
        self._form = (ind.code, self.year, self._form_values()) if editable and a is not None else None

    def show_checks(self) -> None:
        """校验 of the shown indicator (once 审核 has run: right after the window's first paint)."""
        ind = self.editor.model.plan.indicator(self.code) if self.code else None
        if ind is not None:
            self._checks(ind)

    def _checks(self, ind: Indicator) -> None:
        if not self.editor.problems_ready:  # 审核 runs right after the first paint (show_checks)
            self.check_label.setText("")
            return
        problems: list[Problem] = [p for p in self.editor.problems if p.code == ind.code]
        if problems:
            self.check_label.setText("\n".join(f"【{p.severity.value}】{p.message}" for p in problems))
            self.check_label.setStyleSheet("color:#8a3b00;")
        else:
            self.check_label.setText("未发现问题")
            self.check_label.setStyleSheet("color:#2e7d32;")

    def _history(self, ind: Indicator) -> None:
        entries = list(reversed(self.editor.ws.audit(ind.code)))[:HISTORY_ROWS]
        rows = []
        for e in entries:
            cells = [
                e.at.replace("T", " ")[:16],
                e.who,
                f"{e.year}" if e.year else "",
                ACTION_NAMES.get(e.action, e.action),
                FIELD_NAMES.get(e.field or "", e.field or ""),
                e.old_value or "",
                e.new_value or "",
            ]
            rows.append((cells, [e.detail or text for text in cells]))
        shown_code, shown = self._history_shown
        self._history_shown = (ind.code, rows)
        new = _new_on_top(shown, rows) if shown_code == ind.code else None
        if new is None:
            _fill(self.history, rows)
            return
        for r, (texts, tips) in enumerate(rows[:new]):  # an edit adds a line or two: insert just those
            self.history.insertRow(r)
            for c, (text, tip) in enumerate(zip(texts, tips)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.history.setItem(r, c, item)
        self.history.setRowCount(len(rows))
        for c in range(self.history.columnCount() - 1):  # fits to the newest rows only (precision)
            self.history.resizeColumnToContents(c)

    def _pick_year(self, row: int) -> None:
        years = self.editor.model.columns.years
        if 0 <= row < len(years) and self.code:
            self.year = years[row]
            self.refresh()

    # ------------------------------------------------------------------ saving

    def _form_values(self) -> tuple[str, str, str]:
        return self.nature.currentText(), self.source.text().strip(), self.note.toPlainText().strip()

    def _keep_typed(self) -> None:
        """A 说明 or 来源 typed and not yet saved is saved before another value is shown: a click
        elsewhere must not throw it away (every edit is saved, as everywhere in the window)."""
        form, self._form = getattr(self, "_form", None), None
        if form is None:
            return
        shown_code, shown_year, loaded = form
        if self._form_values() == loaded:
            return
        nature, source, note = self._form_values()
        self.editor.set_details(shown_code, shown_year, nature=Nature(nature), source=source, note=note)

    def save_details(self) -> bool:
        if not self.code or self.year is None:
            return False
        return self.editor.set_details(
            self.code,
            self.year,
            nature=Nature(self.nature.currentText()),
            source=self.source.text().strip(),
            note=self.note.toPlainText().strip(),
        )
