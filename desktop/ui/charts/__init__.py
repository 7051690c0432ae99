"""pyqtgraph charts: the indicator chart (detail panel), the 总览 overview, the region
comparison, and their export to PNG / SVG. Importing this package imports pyqtgraph: the
window does so lazily, after its first paint (cold start, docs/charts.md)."""
from __future__ import annotations

from .comparison import RegionComparisonChart
from .export import export_chart, export_widget
from .indicator import IndicatorChart
from .overview import OverviewChart

__all__ = ["IndicatorChart", "OverviewChart", "RegionComparisonChart", "export_chart", "export_widget"]
