"""Small icons painted in code (a padlock, a warning marker), so the grid needs no image files
and no emoji font."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF


@lru_cache(maxsize=None)
def lock_icon() -> QIcon:
    """A grey padlock for locked (已上报) year columns."""
    pm = QPixmap(14, 14)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#555555"), 1.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(QRectF(3.5, 1.5, 7, 8), 0, 180 * 16)
    p.drawLine(QPointF(3.5, 5.5), QPointF(3.5, 7))
    p.drawLine(QPointF(10.5, 5.5), QPointF(10.5, 7))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#555555")))
    p.drawRoundedRect(QRectF(2, 6.5, 10, 7), 1.5, 1.5)
    p.end()
    return QIcon(pm)


@lru_cache(maxsize=None)
def warning_icon() -> QIcon:
    """A red triangle with "!" marking a binding (约束性) indicator that is behind."""
    pm = QPixmap(14, 14)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(QColor("#c62828")))
    p.drawPolygon(QPolygonF([QPointF(7, 1), QPointF(13.5, 13), QPointF(0.5, 13)]))
    p.setPen(QPen(QColor("white"), 1.8))
    p.drawLine(QPointF(7, 5), QPointF(7, 9))
    p.drawPoint(QPointF(7, 11.2))
    p.end()
    return QIcon(pm)
