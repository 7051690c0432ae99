"""Charts as blocks of a report layout (pure: no reportlab here).

``with_charts`` appends to a progress document the overview chart and a small chart per
indicator, from the same series functions the screen draws (``desktop.domain.series``). The PDF
draws them as vectors (``charts.py``); the Excel workbook skips them (its 说明 sheet says the
charts are in the PDF).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from desktop.domain.model import Actual, Plan
from desktop.domain.progress import Settings
from desktop.domain.series import IndicatorSeries, OverviewSeries, indicator_series, overview_series

from .layout import Document, Paragraph


@dataclass(frozen=True)
class ChartBlock:
    """Charts on a new page under ``caption``: the ``overview`` and/or indicator charts
    (``indicators``, drawn small, three to a row)."""

    caption: str
    overview: OverviewSeries | None = None
    indicators: tuple[IndicatorSeries, ...] = ()


def chart_blocks(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], year: int,
                 settings: Settings = Settings()) -> tuple[ChartBlock, ...]:
    overview = overview_series(plan, actuals, year, settings)
    per = tuple(indicator_series(ind, actuals.get(ind.code, {}), year, base_year=plan.base_year,
                                 end_year=plan.end_year, settings=settings)
                for ind in plan.indicators)
    return (ChartBlock(f"图1　{year}年各指标完成进度与序时进度", overview=overview),
            ChartBlock(f"图2　各指标{plan.start_year}—{year}年实际值、序时进度线与趋势预测", indicators=per))


def with_charts(doc: Document, plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], year: int,
                settings: Settings = Settings()) -> Document:
    """``doc`` (a progress document) with the chart pages appended."""
    notes = doc.method_notes + ("图表（总览与各指标图）见 PDF 文件的图表页。",)
    blocks = doc.blocks + chart_blocks(plan, actuals, year, settings)
    return replace(doc, blocks=blocks, method_notes=notes)  # type: ignore[arg-type]


__all__ = ["ChartBlock", "Paragraph", "chart_blocks", "with_charts"]
