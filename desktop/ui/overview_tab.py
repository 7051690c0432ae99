"""The tabs around the grid: 指标表 (the grid), 总览 (the overview chart) and, in a workspace
that has received submissions, 地区对比 (one indicator across the regions).

The charts are made the first time their tab is shown (pyqtgraph loads lazily) and redrawn
only while visible; clicking a row of the overview selects that indicator in the grid.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

GRID, OVERVIEW, COMPARISON = "指标表", "总览", "地区对比"


def has_submissions(ws: Any) -> bool:
    """Whether the workspace holds received submissions (a city's or province's workspace)."""
    try:
        return ws.connection.execute("SELECT 1 FROM submission WHERE status = 'accepted' LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False


class OverviewTabs(QTabWidget):
    def __init__(self, window: Any, grid: QWidget) -> None:
        super().__init__()
        self.setObjectName("gridTabs")
        self.setDocumentMode(True)
        self.window_ = window
        self.overview: Any = None  # OverviewChart, made on first show
        self.comparison: Any = None  # RegionComparisonChart
        self.overview_page = QWidget()
        QVBoxLayout(self.overview_page).setContentsMargins(0, 0, 0, 0)
        self.comparison_page = QWidget()
        lay = QVBoxLayout(self.comparison_page)
        lay.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("指标："))
        self.compare_combo = QComboBox()
        self.compare_combo.setObjectName("compareCombo")
        self.compare_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        row.addWidget(self.compare_combo, 1)
        lay.addLayout(row)
        self.addTab(grid, GRID)
        self.addTab(self.overview_page, OVERVIEW)
        self.setTabToolTip(1, "各指标完成进度与序时进度（单击指标可回到表格中的该指标）")
        self.currentChanged.connect(lambda _i: self.refresh())

    # ------------------------------------------------------------------ workspace

    def workspace_changed(self) -> None:
        """Show 地区对比 only where there is something to compare; refill its indicators."""
        ws, plan = self.window_.ws, self.window_.model.plan
        index = self.indexOf(self.comparison_page)
        if has_submissions(ws):
            if index < 0:
                self.addTab(self.comparison_page, COMPARISON)
            self.compare_combo.blockSignals(True)
            self.compare_combo.clear()
            for ind in plan.indicators:
                self.compare_combo.addItem(f"{ind.seq}. {ind.name}" if ind.seq else ind.name, ind.code)
            self.compare_combo.blockSignals(False)
        elif index >= 0:
            self.removeTab(index)
        self.refresh()

    # ------------------------------------------------------------------ drawing

    def refresh(self) -> None:
        """Redraw the chart of the visible tab (the grid redraws itself)."""
        page = self.currentWidget()
        if page is self.overview_page:
            self._draw_overview()
        elif page is self.comparison_page:
            self._draw_comparison()

    def _draw_overview(self) -> None:
        from .charts.panel import draw_overview, make_overview

        if self.overview is None:
            self.overview = make_overview(self.show_in_grid)
            self.overview_page.layout().addWidget(self.overview)
        draw_overview(self.overview, self.window_.model)

    def _draw_comparison(self) -> None:
        from .charts.comparison import RegionComparisonChart

        if self.comparison is None:
            self.comparison = RegionComparisonChart()
            self.comparison.setObjectName("comparisonChart")
            self.comparison_page.layout().addWidget(self.comparison, 1)
        code = self.compare_combo.currentData()
        model = self.window_.model
        ind = model.plan.indicator(code) if code else None
        if ind is None:
            return
        from desktop.domain.errors import PlanLedgerError
        from desktop.exchange.consolidate import consolidate

        try:
            result = consolidate(self.window_.ws, model.year)
        except PlanLedgerError as exc:
            self.window_.show_message(exc.message, True)
            return
        item = next((i for i in result.indicators if i.code == code), None)
        if item is not None:
            self.comparison.show_consolidation(item, model.year, region_name=model.plan.region_name,
                                               direction=ind.direction,
                                               missing=[name for _, name in result.missing_regions])

    def show_in_grid(self, code: str) -> None:
        """Back to the grid with ``code`` selected in the report year's column."""
        self.setCurrentIndex(self.indexOf(self.widget(0)))
        self.window_.jump_to(code, self.window_.model.year)
