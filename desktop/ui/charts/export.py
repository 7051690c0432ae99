"""Export a chart widget to PNG (the scene painted at high dpi) or SVG (pyqtgraph's exporter).

SVG decision: pyqtgraph's SVGExporter fails on Qt ≥ 6.11 (its path parser meets Qt's new bare
``Z`` tokens, pyqtgraph issue #3495). We keep the exporter and fix just that parse locally
(``svg_fix.py``, tested), rather than pin PySide6 below 6.11: painting the scene straight into
``QSvgGenerator`` was tried and misplaces text and cosmetic pens. ``tests/ui/test_charts.py``
parses the result.

``export_chart`` is the headless entry the CLI's ``chart`` command calls (lazily, so no other
command loads Qt): it builds the widget offscreen, lays it out, and writes the file.
"""
from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

PNG_WIDTH = 1600  # px: sharp on paper at ~200 dpi for a half-page chart


def _layout(widget: QWidget) -> QRectF:
    """Show (lay out) the widget before exporting: pyqtgraph sizes items on the first show."""
    from PySide6.QtWidgets import QApplication

    if not widget.isVisible():
        widget.show()
    QApplication.processEvents()
    return widget.sceneRect() if hasattr(widget, "sceneRect") else QRectF(widget.rect())


def export_widget(widget: QWidget, path: str | os.PathLike[str], *, width: int = PNG_WIDTH) -> Path:
    """Write ``widget`` (a ``ChartView``) to ``path``; the suffix (.png / .svg) picks the format.
    Written beside ``path`` and renamed into place; a file already there is kept as a backup
    (``store.outputs``), a workbook is never the target."""
    from desktop.store import outputs

    path = outputs.check_output(path, (".png", ".svg"), "图表文件")
    rect = _layout(widget)
    temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        if path.suffix.lower() == ".png":
            _export_png(widget, rect, temp, width)
        else:
            _export_svg(widget, rect, temp)
    except OSError as exc:
        outputs.discard(temp)
        raise outputs.write_refused(path, exc) from exc
    except BaseException:
        outputs.discard(temp)
        raise
    outputs.replace(temp, path)
    return path


def _export_png(widget: QWidget, rect: QRectF, path: Path, width: int) -> Path:
    """The scene painted into an image ``width`` px wide, as a high-dpi screen would show it.
    (pyqtgraph's ImageExporter and a plain painter scale both leave pixel-sized items, the
    legend labels and the point symbols, at their small screen size.)"""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    scale = max(1.0, width / max(1.0, rect.width()))
    image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)  # like a high-dpi screen: pixel-sized symbols scale too
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        widget.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise PermissionError(errno.EACCES, "无法写入", str(path))
    return path


def _export_svg(widget: QWidget, rect: QRectF, path: Path) -> Path:
    """pyqtgraph's SVGExporter (which maps every item into document coordinates, so cosmetic
    pens and text items land where the screen shows them), with the local fix for Qt ≥ 6.11."""
    from pyqtgraph.exporters import SVGExporter

    from .svg_fix import install

    install()
    SVGExporter(widget.scene()).export(str(path))
    if not path.exists() or path.stat().st_size == 0:
        raise PermissionError(errno.EACCES, "无法写入", str(path))
    return path


def export_chart(widget_factory, path: str | os.PathLike[str], *, size: tuple[int, int] = (900, 520)) -> Path:  # noqa: ANN001
    """Headless: make the Qt application (offscreen when there is no display), build the chart
    with ``widget_factory()``, and export it. Used by ``planledger chart``."""
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a server without a display
    from desktop.ui.app import make_app

    make_app()
    widget = widget_factory()
    widget.resize(*size)
    try:
        return export_widget(widget, path)
    finally:
        widget.close()
        widget.deleteLater()


def export_series(kind: str, data, path: str | os.PathLike[str], *, size: tuple[int, int] = (900, 520)) -> Path:  # noqa: ANN001
    """Headless export of a series (``desktop.domain.series``): ``kind`` is "indicator",
    "overview" or "comparison". The overview grows with its rows so no label is squeezed."""
    from .comparison import RegionComparisonChart
    from .indicator import IndicatorChart
    from .overview import ROW_PX, OverviewChart

    classes = {"indicator": IndicatorChart, "overview": OverviewChart, "comparison": RegionComparisonChart}
    if kind == "overview":
        size = (size[0], max(size[1], ROW_PX * len(data.bars) + 130))
    elif kind == "comparison":
        size = (size[0], max(size[1], 26 * len(data.bars) + 130))

    def make():  # noqa: ANN202
        widget = classes[kind]()
        widget.show_series(data)
        return widget

    return export_chart(make, path, size=size)
