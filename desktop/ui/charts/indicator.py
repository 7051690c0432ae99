"""The indicator chart of the detail panel: actuals by year, the on-schedule path, the target
(or ceiling) line, running totals over yearly bars for five-year sums, the dashed projection,
the report year marked; hovering a point shows year, value and status.

It draws an ``IndicatorSeries`` (``desktop.domain.series``) and computes nothing itself.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.domain.series import TONES, IndicatorSeries, tone

from .common import (ACTUAL, BAR, INK, OVER, PROJECTION, SCHEDULE, TARGET, YEAR_MARK, ChartView, f,
                     font, pen, style_axes, year_ticks)


class IndicatorChart(ChartView):
    """``show_series(series)`` redraws; ``items`` names what is drawn (tests read it)."""

    def __init__(self, parent=None, *, compact: bool = False) -> None:  # noqa: ANN001
        """``compact``: for the detail panel, where every pixel of height counts (smaller title,
        the year axis without its obvious title)."""
        super().__init__(parent)
        self.compact = compact
        self.series: IndicatorSeries | None = None
        self.items: dict[str, object] = {}
        self.title = self.addLabel("", row=0, col=0)
        self.plot: pg.PlotItem = self.addPlot(row=1, col=0)
        self.legend = pg.LegendItem(colCount=4, labelTextColor=INK, labelTextSize="8.5pt",
                                    verSpacing=-4, horSpacing=14)
        self.legend.setMaximumHeight(34)
        self.addItem(self.legend, row=2, col=0)
        self.status = self.addLabel("", row=3, col=0)
        self.ci.layout.setRowStretchFactor(1, 10)
        self.setMinimumHeight(150 if compact else 200)
        if compact:
            self.title.setMaximumHeight(0)
            self.legend.setMaximumHeight(0)

    def clear_chart(self) -> None:
        self.plot.clear()
        self.plot.getAxis("left").setTicks(None)
        self.legend.clear()
        self.items = {}

    def _legend(self, item: object, name: str) -> None:
        if not self.compact:  # the panel has no room: hovering and the export say the same
            self.legend.addItem(item, name)

    def export_copy(self) -> IndicatorChart:
        """A full-size chart of the same series (title, legend) for 导出 from the panel."""
        copy = IndicatorChart()
        copy.resize(900, 520)
        copy.show_series(self.series)
        return copy

    def show_series(self, s: IndicatorSeries | None) -> None:
        self.series = s
        self.clear_chart()
        if s is None:
            self.title.setText("")
            self.status.setText("")
            return
        self.default_name = f"{s.name}_{s.year}年"
        self.title.setText("" if self.compact else s.title, size="10pt", bold=True, color=INK)
        colour = TONES[tone(s.status)]
        lines = [s.status_text]
        if s.numeric and s.values and s.projection_text:
            lines.append(s.projection_text)
        # one run of text per line: SVG viewers place separate runs by their own font metrics
        self.status.setText(("<br>" if self.compact else " · ").join(lines), size="8.5pt", color=colour)
        style_axes(self.plot, s.value_axis if s.numeric else "", "" if self.compact else "年份")
        year_ticks(self.plot, s.base_year, s.end_year)
        self.plot.setXRange(s.base_year - 0.4, s.end_year + 0.4, padding=0)
        if not s.numeric or s.empty:
            self._message(s.message or "无数据", big=True)
            self._year_mark(s)
            return
        self._draw(s)
        self._year_mark(s)

    # ------------------------------------------------------------------ parts

    def _draw(self, s: IndicatorSeries) -> None:
        p = self.plot
        if s.schedule:
            xs, ys = zip(*s.schedule)
            item = p.plot([float(x) for x in xs], [f(y) for y in ys],
                          pen=pen(SCHEDULE, 1.2, Qt.PenStyle.DotLine))
            self.items["schedule"] = item
            self._legend(item, "序时进度线")
        if s.band is not None:  # 区间值: the interval to stay in, behind everything
            region = pg.LinearRegionItem(values=(f(s.band[0]), f(s.band[1])), orientation="horizontal",
                                         movable=False, brush=pg.mkBrush(0, 131, 143, 28), pen=pen(TARGET, 0.6))
            region.setZValue(-10)
            p.addItem(region)
            self.items["band"] = region
        if s.target is not None:
            style = Qt.PenStyle.SolidLine if s.ceiling else Qt.PenStyle.DashLine
            line = pg.InfiniteLine(pos=f(s.target), angle=0, pen=pen(OVER if s.ceiling else TARGET, 1.4, style),
                                   label=s.target_label, labelOpts={"position": 0.03, "color": INK,
                                                                   "anchors": [(0, 1), (0, 1)]})
            line.label.setFont(font(8))
            p.addItem(line)
            self.items["target"] = line
        if s.running:
            bars = pg.BarGraphItem(x=[p_.year for p_ in s.values], height=[f(v.value) for v in s.values],
                                   width=0.45, brush=BAR, pen=pg.mkPen(None))
            p.addItem(bars)
            self.items["bars"] = bars
            self._legend(bars, "当年完成")
            line = p.plot([q.year for q in s.running], [f(q.value) for q in s.running], pen=pen(ACTUAL, 2.2))
            self.items["running"] = line
            self._legend(line, "累计完成")
            self._points(s.running, "running_points")
        else:
            line = p.plot([q.year for q in s.values], [f(q.value) for q in s.values], pen=pen(ACTUAL, 2.2))
            self.items["values"] = line
            self._legend(line, "实际值")
            self._points(s.values, "points")
        if s.projection:
            xs, ys = zip(*s.projection)
            item = p.plot([float(x) for x in xs], [f(y) for y in ys], pen=pen(PROJECTION, 1.8, Qt.PenStyle.DashLine))
            self.items["projection"] = item
            self._legend(item, "趋势预测")
        self._fit(s)

    def _points(self, points, name: str) -> None:  # noqa: ANN001
        brushes = [pg.mkBrush(OVER if q.over else ACTUAL) for q in points]
        scatter = pg.ScatterPlotItem(
            x=[q.year for q in points], y=[f(q.value) for q in points], data=[q.text for q in points],
            size=9, brush=brushes, pen=pg.mkPen("w", width=1.2), hoverable=True, hoverSize=12,
            tip=lambda x, y, data: data,
        )
        self.plot.addItem(scatter)
        self.items[name] = scatter
        if any(q.over for q in points):
            self.items["over"] = [q.year for q in points if q.over]

    def _fit(self, s: IndicatorSeries) -> None:
        ys = [f(q.value) for q in (*s.values, *s.running)]
        ys += [f(v) for _, v in (*s.schedule, *s.projection)]
        if s.target is not None:
            ys.append(f(s.target))
        if s.band is not None:
            ys += [f(s.band[0]), f(s.band[1])]
        if s.base is not None and s.schedule:
            ys.append(f(s.base))
        low, high = min(ys), max(ys)
        if s.running or low >= 0 and low < 0.35 * high:
            low = min(0.0, low)
        span = (high - low) or abs(high) or 1.0
        self.plot.setYRange(low - 0.06 * span, high + 0.2 * span, padding=0)  # room for the year label

    def _year_mark(self, s: IndicatorSeries) -> None:
        mark = pg.InfiniteLine(pos=s.year, angle=90, pen=pen(YEAR_MARK, 1.2, Qt.PenStyle.DashDotLine),
                               label=f"{s.year}年", labelOpts={"position": 0.98, "color": YEAR_MARK,
                                                              "anchors": [(0, 0), (0, 0)]})
        mark.label.setFont(font(8))
        self.plot.addItem(mark)
        self.items["year_mark"] = mark

    def _message(self, text: str, *, big: bool = True) -> None:
        """An empty chart says why in its middle (无数据, 定性指标 …)."""
        item = pg.TextItem(text, color="#757575", anchor=(0.5, 0.5))
        item.setFont(font(13))
        self.plot.addItem(item, ignoreBounds=True)
        s = self.series
        assert s is not None
        self.plot.setYRange(0, 1, padding=0)
        self.plot.getAxis("left").setTicks([[], []])
        item.setPos((s.base_year + s.end_year) / 2, 0.5)
        self.items["message"] = item
