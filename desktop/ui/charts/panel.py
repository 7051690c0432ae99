"""The detail panel's chart and the window's 总览 tab: glue between the editor's model and the
chart widgets (the figures come from ``desktop.domain.series``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.domain.progress import Settings
from desktop.domain.series import indicator_series, overview_series

from .indicator import IndicatorChart
from .overview import OverviewChart


def _settings(model: Any) -> Settings:
    return getattr(model, "settings", None) or Settings()


def draw_indicator_chart(panel: Any) -> IndicatorChart:
    """Draw the selected indicator of ``panel`` (a ``DetailPanel``) for the report year."""
    if panel.chart is None:
        panel.chart = IndicatorChart(compact=True)
        panel.chart.setObjectName("indicatorChart")
        panel.chart_layout.addWidget(panel.chart)
    model = panel.editor.model
    plan = model.plan
    ind = plan.indicator(panel.code) if panel.code else None
    if ind is None:
        panel.chart.show_series(None)
        return panel.chart
    panel.chart.show_series(indicator_series(ind, model.actuals.get(ind.code, {}), model.year,
                                             base_year=plan.base_year, end_year=plan.end_year,
                                             settings=_settings(model)))
    return panel.chart


def make_overview(select: Callable[[str], None]) -> OverviewChart:
    """The 总览 chart; clicking a row calls ``select(code)`` (select it in the grid)."""
    chart = OverviewChart()
    chart.setObjectName("overviewChart")
    chart.indicatorClicked.connect(select)
    return chart


def draw_overview(chart: OverviewChart, model: Any) -> None:
    chart.show_series(overview_series(model.plan, model.actuals, model.year, _settings(model)))
