"""The 总览 chart: one horizontal bar per indicator (its completion) against the 序时进度
line, coloured by status; 约束性 indicators marked ▲; ceilings, bands and qualitative
indicators shown by their status word. Clicking a row emits ``indicatorClicked(code)``."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QToolTip

from desktop.domain.series import OVERVIEW_AXIS, TONES, OverviewSeries, on_overview_axis

from .common import INK, YEAR_MARK, ChartView, f, font, pen, style_axes

LABEL_CHARS = 18
ROW_PX = 26


def short(label: str, n: int = LABEL_CHARS) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


class OverviewChart(ChartView):
    indicatorClicked = Signal(str)

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.series: OverviewSeries | None = None
        self.items: dict[str, object] = {}
        self._bar_layout(240)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._hover)

    def show_series(self, s: OverviewSeries) -> None:
        self.series = s
        self.plot.clear()
        self.items = {}
        self.default_name = f"总览_{s.year}年"
        self.title.setText(s.title, size="11pt", bold=True, color=INK)
        style_axes(self.plot, "", "完成进度（%）")
        n = len(s.bars)
        left = self.plot.getAxis("left")
        left.setTicks([[(i, ("▲" if b.binding else "") + short(b.label)) for i, b in enumerate(s.bars)], []])
        left.setWidth(int(font(8.5).pointSizeF() * 1.45 * (LABEL_CHARS + 1)))
        self.plot.showGrid(x=True, y=False, alpha=0.2)
        track = pg.BarGraphItem(x0=[0.0] * n, y=list(range(n)), height=0.62, width=[100.0] * n,
                                brush="#eeeeee", pen=pg.mkPen(None))  # the 0–100 % scale of each row
        self.plot.addItem(track)
        self.items["track"] = track
        numeric = [(i, b) for i, b in enumerate(s.bars) if b.completion is not None]
        if numeric:
            widths = [on_overview_axis(f(b.completion) * 100) for _, b in numeric]
            bars = pg.BarGraphItem(
                x0=[0.0] * len(numeric), y=[i for i, _ in numeric], height=0.62, width=widths,
                brushes=[pg.mkBrush(TONES[b.tone]) for _, b in numeric],
                pen=pg.mkPen(None),  # 约束性 is marked ▲ and in bold: a border would not survive SVG
            )
            self.plot.addItem(bars)
            self.items["bars"] = bars
        labels = []
        for i, b in enumerate(s.bars):
            value = f(b.completion) * 100 if b.completion is not None else 0.0
            text = b.completion_text if b.completion is not None else b.status.value
            if b.completion is not None:
                text += f"  {b.status.value}"
            item = pg.TextItem(text, color=TONES[b.tone], anchor=(0, 0.5))
            item.setFont(font(8.5, bold=b.binding))
            item.setPos(max(on_overview_axis(value), 0.0) + 1.0, i)
            self.plot.addItem(item)
            labels.append(item)
        self.items["labels"] = labels
        t = f(s.time_progress) * 100
        line = pg.InfiniteLine(pos=t, angle=90, pen=pen(YEAR_MARK, 1.8, Qt.PenStyle.DashLine))
        line.setToolTip(s.time_progress_text)  # the title says it too
        self.plot.addItem(line)
        self.items["time_progress"] = line
        hi = max([100.0, t] + [on_overview_axis(f(b.completion) * 100) for _, b in numeric])
        lo = min([0.0] + [on_overview_axis(f(b.completion) * 100) for _, b in numeric])
        self.plot.setXRange(lo, hi + (hi - lo) * 0.3, padding=0.02)  # room for the longest label
        self.plot.setYRange(-0.9, n - 0.4, padding=0)
        cut = any(on_overview_axis(f(b.completion) * 100) != f(b.completion) * 100 for _, b in numeric)
        self.note.setText(f"橙色虚线：{s.time_progress_text}　▲ 约束性指标　绿：提前实现/快于序时/达标　蓝：基本符合　红：滞后/未达标　灰：无数据/待评估"
                          + (f"　超出 {OVERVIEW_AXIS[0]:.0f}%—{OVERVIEW_AXIS[1]:.0f}% 的条画到图边，数值见标注" if cut else ""),
                          size="8pt", color="#555")

    # ------------------------------------------------------------------ mouse

    def row_at(self, scene_pos: QPointF) -> int | None:
        if self.series is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        y = self.plot.vb.mapSceneToView(scene_pos).y()
        row = int(round(y))
        return row if 0 <= row < len(self.series.bars) else None

    def _clicked(self, event) -> None:  # noqa: ANN001
        if event.button() != Qt.MouseButton.LeftButton:
            return
        row = self.row_at(event.scenePos())
        if row is not None and self.series is not None:
            self.indicatorClicked.emit(self.series.bars[row].code)

    def _hover(self, pos: QPointF) -> None:
        row = self.row_at(pos)
        if row is None or self.series is None:
            QToolTip.hideText()
            return
        QToolTip.showText(self.mapToGlobal(self.mapFromScene(pos)),
                          self.series.bars[row].text + "\n（单击可在表格中选中该指标）", self)
