"""Charts in the PDF, drawn as vectors with reportlab graphics from the same series the screen
draws (``desktop.domain.series``): never screenshots. Text is set in the bundled sans font
(``fonts.register``), so the PDF embeds it like the rest; every string drawn is returned for
the glyph check.
"""
from __future__ import annotations

import math
from decimal import Decimal

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from desktop.domain.series import TONES, IndicatorSeries, OverviewSeries, on_overview_axis, tone

from .chart_layout import ChartBlock

INK = colors.HexColor("#222222")
GRID = colors.HexColor("#d0d0d0")
SCHEDULE = colors.HexColor("#7a7a7a")
TARGET = colors.HexColor("#00838f")
ACTUAL = colors.HexColor("#1f5fa8")
BAR = colors.HexColor("#9ecae1")
BAND = colors.Color(0, 131 / 255, 143 / 255, alpha=0.12)
OVER = colors.HexColor("#c62828")
PROJECTION = colors.HexColor("#6a3d9a")
YEAR_MARK = colors.HexColor("#ff8f00")

Texts = list[str]


def _f(d: Decimal | None) -> float:
    return float(d) if d is not None else 0.0


class _Canvas:
    """A drawing with a plot box mapping (x, y) data to points, recording every string."""

    def __init__(self, width: float, height: float, font: str, texts: Texts):
        self.d = Drawing(width, height)
        self.d.initialFontName = font  # else the graphics state names the unembedded Helvetica
        self.font = font
        self.texts = texts

    def text(self, x: float, y: float, s: str, size: float = 7, colour=INK, anchor: str = "start") -> None:  # noqa: ANN001
        self.texts.append(s)
        self.d.add(String(x, y, s, fontName=self.font, fontSize=size, fillColor=colour, textAnchor=anchor))

    def line(self, x0: float, y0: float, x1: float, y1: float, colour=INK, width: float = 0.6,  # noqa: ANN001
             dash: list[float] | None = None) -> None:
        self.d.add(Line(x0, y0, x1, y1, strokeColor=colour, strokeWidth=width, strokeDashArray=dash))


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    """Axis limits and tick step with 4–6 round ticks."""
    span = (high - low) or abs(high) or 1.0
    raw = span / 5
    mag = 10 ** int(f"{raw:e}".split("e")[1])
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    lo = step * (low // step)
    hi = step * -(-high // step)
    return lo, hi if hi > lo else lo + step, step


def _tick(v: float) -> str:
    return f"{v:.10g}"


def indicator_drawing(s: IndicatorSeries, font: str, texts: Texts, width: float = 250,
                      height: float = 175) -> Drawing:
    c = _Canvas(width, height, font, texts)
    left, right, bottom, top = 34.0, width - 8, 40.0, height - 30
    c.text(width / 2, height - 11, s.title if len(s.title) <= 24 else s.title[:23] + "…", 8.5, INK, "middle")
    status = s.status_text + (f"　{s.projection_text}" if s.numeric and s.values and s.projection_text else "")
    limit = int(width / 6.6)
    c.text(width / 2, 4, status if len(status) <= limit else status[:limit - 1] + "…", 6.5,
           colors.HexColor(TONES[tone(s.status)]), "middle")
    b, e = s.base_year, s.end_year

    def x(year: float) -> float:
        return left + (year - b + 0.4) / (e - b + 0.8) * (right - left)

    c.line(left, bottom, right, bottom, GRID)
    for yr in range(b, e + 1):
        c.text(x(yr), bottom - 9, str(yr), 6.5, INK, "middle")
    if not s.numeric or s.empty:
        c.text((left + right) / 2, (bottom + top) / 2, (s.message or "无数据")[:26], 8, colors.grey, "middle")
        return c.d
    ys = [_f(q.value) for q in (*s.values, *s.running)] + [_f(v) for _, v in (*s.schedule, *s.projection)]
    if s.target is not None:
        ys.append(_f(s.target))
    if s.band is not None:
        ys += [_f(s.band[0]), _f(s.band[1])]
    low, high = min(ys), max(ys)
    if s.running or 0 <= low < 0.35 * high:
        low = min(0.0, low)
    lo, hi, step = _nice_range(low, high + 0.12 * ((high - low) or abs(high) or 1.0))  # room for labels

    def y(v: float) -> float:
        return bottom + (v - lo) / (hi - lo) * (top - bottom)

    t = lo
    while t <= hi + step / 1000:
        c.line(left, y(t), right, y(t), GRID, 0.3)
        c.text(left - 3, y(t) - 2.3, _tick(t), 6.5, INK, "end")
        t += step
    c.text(3, top + 6, s.value_axis, 6.5, INK)
    c.line(x(s.year), bottom, x(s.year), top, YEAR_MARK, 0.6, [3, 1.5, 1, 1.5])
    c.text(x(s.year) + 2, top - 7, f"{s.year}年", 6.5, YEAR_MARK)
    if s.schedule:
        c.d.add(PolyLine([p for yr, v in s.schedule for p in (x(yr), y(_f(v)))], strokeColor=SCHEDULE,
                         strokeWidth=0.6, strokeDashArray=[1, 1.5]))
    if s.band is not None:  # 区间值: the interval to stay in
        lo_y, hi_y = y(_f(s.band[0])), y(_f(s.band[1]))
        c.d.add(Rect(left, lo_y, right - left, hi_y - lo_y, fillColor=BAND, strokeColor=None))
    if s.target is not None:
        c.line(left, y(_f(s.target)), right, y(_f(s.target)), OVER if s.ceiling else TARGET, 0.8,
               None if s.ceiling else [4, 2])
        c.text(left + 3, y(_f(s.target)) + 2, s.target_label, 6.5, INK)
    if s.running:
        for q in s.values:
            c.d.add(Rect(x(q.year) - 6, y(0), 12, y(_f(q.value)) - y(0), fillColor=BAR, strokeColor=None))
    points = s.running or s.values
    if len(points) > 1:
        c.d.add(PolyLine([p for q in points for p in (x(q.year), y(_f(q.value)))], strokeColor=ACTUAL,
                         strokeWidth=1.3))
    for q in points:
        c.d.add(Circle(x(q.year), y(_f(q.value)), 2.2, fillColor=OVER if q.over else ACTUAL,
                       strokeColor=colors.white, strokeWidth=0.5))
    if s.projection:
        (x0, v0), (x1, v1) = s.projection[0], s.projection[-1]
        c.line(x(x0), y(_f(v0)), x(x1), y(_f(v1)), PROJECTION, 1.0, [3, 2])
    _legend(c, s, left, 17)
    return c.d


def _legend(c: _Canvas, s: IndicatorSeries, x0: float, y0: float) -> None:
    entries = [("序时进度线", SCHEDULE, [1, 1.5])] if s.schedule else []
    entries.append(("累计完成" if s.running else "实际值", ACTUAL, None))
    if s.projection:
        entries.append(("趋势预测", PROJECTION, [3, 2]))
    for label, colour, dash in entries:
        c.line(x0, y0 + 2, x0 + 12, y0 + 2, colour, 1.0, dash)
        c.text(x0 + 14, y0, label, 6, INK)
        x0 += 16 + 6.2 * len(label)


def overview_drawing(s: OverviewSeries, font: str, texts: Texts, width: float) -> Drawing:
    row = 15.0
    n = len(s.bars)
    height = n * row + 50
    c = _Canvas(width, height, font, texts)
    label_w = 190.0
    left, right, bottom, top = label_w, width - 90, 28.0, height - 10
    values = [on_overview_axis(_f(bar.completion) * 100) for bar in s.bars if bar.completion is not None]
    hi = max([100.0, _f(s.time_progress) * 100, *values])
    lo = min([0.0, *values])

    def x(v: float) -> float:
        return left + (on_overview_axis(v) - lo) / (hi - lo) * (right - left)

    c.line(left, bottom, right, bottom, GRID)
    t = math.ceil(lo / 20) * 20.0
    while t <= hi:
        c.line(x(t), bottom, x(t), top, GRID, 0.3)
        c.text(x(t), bottom - 9, f"{t:.0f}%", 6.5, INK, "middle")
        t += 20
    cut = any(on_overview_axis(_f(b.completion) * 100) != _f(b.completion) * 100 for b in s.bars if b.completion is not None)
    c.text((left + right) / 2, 4, "完成进度（%）　▲ 约束性指标　绿：提前实现/快于序时/达标　蓝：基本符合　红：滞后/未达标　灰：无数据/待评估"
           + ("　超出 -50%—200% 的条画到图边，数值见标注" if cut else ""), 6.5, INK, "middle")
    for i, bar in enumerate(s.bars):
        yc = top - (i + 0.5) * row
        label = ("▲" if bar.binding else "") + (bar.label if len(bar.label) <= 24 else bar.label[:23] + "…")
        c.text(left - 4, yc - 2.5, label, 7, INK, "end")
        colour = colors.HexColor(TONES[bar.tone])
        c.d.add(Rect(x(0), yc - row * 0.32, x(100) - x(0), row * 0.64, fillColor=colors.HexColor("#eeeeee"),
                     strokeColor=None))
        if bar.completion is not None:
            v = _f(bar.completion) * 100
            x0, x1 = sorted((x(0), x(v)))
            c.d.add(Rect(x0, yc - row * 0.32, x1 - x0, row * 0.64, fillColor=colour,
                         strokeColor=colors.HexColor("#7f0000") if bar.binding else None,
                         strokeWidth=1.2 if bar.binding else 0))
            c.text(max(x(v), x(0)) + 3, yc - 2.5, f"{bar.completion_text} {bar.status.value}", 7, colour)
        else:
            c.text(x(0) + 3, yc - 2.5, bar.status.value, 7, colour)
    tx = x(_f(s.time_progress) * 100)
    c.line(tx, bottom, tx, top, YEAR_MARK, 1.0, [4, 2])
    c.text(tx + 2, bottom + 3, s.time_progress_text, 7, YEAR_MARK)
    return c.d


def chart_flowables(block: ChartBlock, font: str, heading: str, frame_width: float,
                    texts: Texts) -> list[Flowable]:
    """The flowables of one ``ChartBlock`` (its caption is added by the caller's style)."""
    out: list[Flowable] = []
    if block.overview is not None:
        out.append(_drawing_flowable(overview_drawing(block.overview, font, texts, frame_width)))
    if block.indicators:
        per_row = 3
        w = frame_width / per_row
        cells = [indicator_drawing(s, font, texts, width=w - 6) for s in block.indicators]
        rows = [cells[i:i + per_row] + [""] * (per_row - len(cells[i:i + per_row]))
                for i in range(0, len(cells), per_row)]
        for r in rows:  # one table per row: a row of charts never splits across pages
            out.append(Table([r], colWidths=[w] * per_row, hAlign="LEFT",
                             style=[("FONTNAME", (0, 0), (-1, -1), font),  # not Helvetica, even for blanks
                                    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
            out.append(Spacer(1, 6))
    return out


def _drawing_flowable(d: Drawing) -> Flowable:
    return KeepTogether([d])


__all__ = ["chart_flowables", "indicator_drawing", "overview_drawing", "Group"]
