"""Region comparison (city / province workspaces): one indicator across the regions that
submitted, for one year, sorted best first, with the upper level's consolidated value.

``RegionComparisonChart.show_consolidation(item, year)`` takes an ``IndicatorConsolidation``
(``desktop.exchange.consolidate``); ``show_series`` takes a ready ``ComparisonSeries``.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.domain.model import Direction
from desktop.domain.series import ComparisonSeries, comparison_series

from .common import ACTUAL, INK, OVER, ChartView, f, font, pen, style_axes


class RegionComparisonChart(ChartView):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.series: ComparisonSeries | None = None
        self.items: dict[str, object] = {}
        self._bar_layout(220)

    def show_consolidation(self, item, year: int, *, region_name: str = "",  # noqa: ANN001
                           direction: Direction = Direction.HIGHER, missing=()) -> None:  # noqa: ANN001
        self.show_series(comparison_series(item, year, region_name=region_name, direction=direction,
                                           missing=missing))

    def show_series(self, s: ComparisonSeries) -> None:
        self.series = s
        self.plot.clear()
        self.items = {}
        self.default_name = f"{s.name}_{s.year}年_分地区"
        self.title.setText(s.title, size="11pt", bold=True, color=INK)
        style_axes(self.plot, "", s.value_axis)
        self.plot.showGrid(x=True, y=False, alpha=0.2)
        n = max(1, len(s.bars))
        left = self.plot.getAxis("left")
        left.setTicks([[(i, b.name) for i, b in enumerate(s.bars)], []])
        longest = max((len(b.name) for b in s.bars), default=2)
        left.setWidth(int(font(8.5).pointSizeF() * 1.5 * (longest + 1)) + 8)
        note = s.consolidated_text + ("（红色虚线）" if s.line else "")
        note += f"　未报送：{'、'.join(s.missing)}" if s.missing else ""
        self.note.setText(note, size="8.5pt", color="#444")
        if s.message:
            msg = pg.TextItem(s.message, color="#757575", anchor=(0.5, 0.5))
            msg.setFont(font(13))
            self.plot.addItem(msg)
            msg.setPos(0.5, (n - 1) / 2)
            self.plot.setXRange(0, 1)
            self.items["message"] = msg
            return
        rows = [(i, b) for i, b in enumerate(s.bars) if b.value is not None]
        bars = pg.BarGraphItem(x0=[0.0] * len(rows), y=[i for i, _ in rows], height=0.6,
                               width=[f(b.value) for _, b in rows], brush=ACTUAL, pen=pg.mkPen(None))
        self.plot.addItem(bars)
        self.items["bars"] = bars
        values = [f(b.value) for _, b in rows]
        hi, lo = max(values + [0.0]), min(values + [0.0])
        texts = []
        for i, b in enumerate(s.bars):
            item = pg.TextItem(b.text.split("：", 1)[1], color=INK if b.value is not None else "#9e9e9e",
                               anchor=(0, 0.5))
            item.setFont(font(8.5))
            item.setPos(max(f(b.value), 0.0) if b.value is not None else 0.0, i)
            self.plot.addItem(item)
            texts.append(item)
        self.items["labels"] = texts
        if s.line and s.consolidated is not None:
            line = pg.InfiniteLine(pos=f(s.consolidated), angle=90, pen=pen(OVER, 1.8, Qt.PenStyle.DashLine))
            self.plot.addItem(line)
            self.items["consolidated"] = line
            hi = max(hi, f(s.consolidated))
        span = (hi - lo) or 1.0
        self.plot.setXRange(lo, hi + 0.18 * span, padding=0.02)
        self.plot.setYRange(-0.7, n - 0.3, padding=0)
