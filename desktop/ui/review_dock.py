"""审核: every problem the domain's ``review`` finds; double-click jumps to the cell."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop.domain.errors import Problem, Severity
from desktop.domain.model import Plan

ProblemRole = Qt.ItemDataRole.UserRole + 20


class ReviewTable(QTableWidget):
    """Emits ``jump(code, year)`` (year 0 when the problem is not about one year)."""

    jump = Signal(str, int)

    def __init__(self) -> None:
        super().__init__(0, 4)
        self.setObjectName("reviewTable")
        self.setHorizontalHeaderLabels(["级别", "指标", "年份", "问题"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        h = self.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        self.setColumnWidth(0, 50)
        self.setColumnWidth(1, 220)
        self.setColumnWidth(2, 60)
        self.problems: list[Problem] = []
        self.last_jump: Problem | None = None  # the problem of the latest double-click
        self._plan: Plan | None = None
        self.itemDoubleClicked.connect(self._double_clicked)
        self.itemActivated.connect(self._double_clicked)

    def set_problems(self, plan: Plan, problems: list[Problem]) -> None:
        if problems == self.problems and plan is self._plan:
            return  # most edits change no problem: keep the list (and its scroll position)
        self.problems, self._plan = problems, plan
        self.setUpdatesEnabled(False)
        try:
            self._fill(plan, problems)
        finally:
            self.setUpdatesEnabled(True)

    def _fill(self, plan: Plan, problems: list[Problem]) -> None:
        self.setRowCount(len(problems))
        for r, p in enumerate(problems):
            ind = plan.indicator(p.code) if p.code else None
            cells = [p.severity.value, ind.name if ind else (p.code or "—"), f"{p.year}年" if p.year else "", p.message]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ProblemRole, r)
                item.setToolTip(p.message)
                if c == 0:
                    colour = "#b00000" if p.severity is Severity.ERROR else "#8a5a00"
                    item.setForeground(QBrush(QColor(colour)))
                self.setItem(r, c, item)

    def _double_clicked(self, item: QTableWidgetItem) -> None:
        r = item.data(ProblemRole)
        if r is None or not 0 <= r < len(self.problems):
            return
        p = self.problems[r]
        if p.code:
            self.last_jump = p
            self.jump.emit(p.code, p.year or 0)
