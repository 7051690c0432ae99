"""Shared look of the pyqtgraph charts: white paper, the app's CJK font, year ticks, the export
context menu. Importing this module imports pyqtgraph (~0.4 s): the window imports the charts
package lazily, after its first paint."""
from __future__ import annotations

import atexit
import os
import weakref
from collections.abc import Callable
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QPen
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from desktop.domain.errors import PlanLedgerError

pg.setConfigOptions(antialias=True, background="w", foreground="#222")

INK = "#222222"
GRID = "#bdbdbd"
SCHEDULE = "#7a7a7a"
TARGET = "#00838f"
PROJECTION = "#6a3d9a"
ACTUAL = "#1f5fa8"
BAR = "#9ecae1"
OVER = "#c62828"
YEAR_MARK = "#ff8f00"


def f(d: Decimal | None) -> float:
    """Decimal → float at the drawing edge (the only place charts use floats)."""
    return float(d) if d is not None else float("nan")


def font(size: float = 9, bold: bool = False) -> QFont:
    app = QApplication.instance()
    base = QFont(app.font()) if isinstance(app, QApplication) else QFont()
    base.setPointSizeF(size)
    base.setBold(bold)
    return base


def pen(colour: str, width: float = 1.5, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    p = pg.mkPen(QColor(colour), width=width)
    p.setStyle(style)
    p.setCosmetic(True)
    return p


def style_axes(plot: pg.PlotItem, left: str, bottom: str = "年份") -> None:
    """Axis titles (with units) and tick fonts; no mouse zoom (a chart to read, not to explore)."""
    for name, title in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        axis.setTickFont(font(8.5))
        axis.setTextPen(pg.mkPen(INK))
        axis.setPen(pg.mkPen(GRID))
        if title:
            axis.setLabel(title, color=INK, **{"font-size": "9pt"})
        else:
            axis.showLabel(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(x=False, y=True, alpha=0.25)


def year_ticks(plot: pg.PlotItem, first: int, last: int) -> None:
    plot.getAxis("bottom").setTicks([[(y, str(y)) for y in range(first, last + 1)], []])


_LIVE: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _release_all() -> None:
    """Empty every chart's layout before the interpreter tears down: with PySide6 6.12 a
    GraphicsLayoutWidget still holding a PlotItem at exit crashes Python (segfault) while
    the wrappers are collected in the wrong order."""
    for view in list(_LIVE):
        try:
            view.ci.clear()
        except RuntimeError:  # its C++ side is already gone
            pass


class ChartView(pg.GraphicsLayoutWidget):
    """A chart widget with the 导出 context menu (PNG / SVG), shared by every chart."""

    exported = Signal(str)

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setBackground("w")
        self.default_name = "图表"
        _LIVE.add(self)

    def _bar_layout(self, min_height: int) -> None:
        """Title, one plot with its categories top-down, and a note under it (bar charts)."""
        self.title = self.addLabel("", row=0, col=0)
        self.plot: pg.PlotItem = self.addPlot(row=1, col=0)
        self.plot.invertY(True)
        self.note = self.addLabel("", row=2, col=0)
        self.ci.layout.setRowStretchFactor(1, 10)
        self.setMinimumHeight(min_height)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        menu = QMenu(self)
        menu.addAction("导出为 PNG 图片…").triggered.connect(lambda: self.export_dialog("png"))
        menu.addAction("导出为 SVG 矢量图…").triggered.connect(lambda: self.export_dialog("svg"))
        menu.exec(event.globalPos())

    def export_dialog(self, fmt: str, ask: Callable[..., tuple[str, str]] | None = None) -> str | None:
        ask = ask or QFileDialog.getSaveFileName
        filters = {"png": "PNG 图片 (*.png)", "svg": "SVG 矢量图 (*.svg)"}
        path, _ = ask(self, "导出图表", f"{self.default_name}.{fmt}", filters[fmt])
        if not path:
            return None
        if not os.path.splitext(path)[1]:  # a name typed without its extension
            path += f".{fmt}"
        from PySide6.QtCore import Qt as _Qt

        from .export import export_widget

        target = self.export_copy() if hasattr(self, "export_copy") else self
        if target is not self:
            target.setAttribute(_Qt.WidgetAttribute.WA_DontShowOnScreen)
        try:
            export_widget(target, path)
        except PlanLedgerError as exc:  # a wrong extension, a folder, a workbook, no write access
            QMessageBox.warning(self, "无法导出图表", exc.message)
            return None
        except OSError as exc:
            from desktop.store.outputs import reason

            QMessageBox.warning(self, "无法导出图表", f"无法写入“{path}”：{reason(exc)}")
            return None
        finally:
            if target is not self:
                target.close()
                target.deleteLater()
        self.exported.emit(path)
        return path
