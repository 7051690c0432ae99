"""Draw the application icon: resources/icons/planledger.png (256 px) and planledger.ico
(16–256 px, PNG-compressed entries, Windows Vista and later).

Run once after changing the design, then commit the two files (they are not built on the fly):
    QT_QPA_PLATFORM=offscreen python installer/make_icon.py
A blue rounded square, a white ledger sheet with table rules, a red rising progress line.
Each size is painted at its own resolution so 16 px stays crisp. Needs only PySide6.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def paint(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # design on a 256 grid
    small = size <= 24

    grad = QLinearGradient(0, 0, 0, 256)
    grad.setColorAt(0, QColor("#2b63b8"))
    grad.setColorAt(1, QColor("#173f7d"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(grad)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)

    sheet = QRectF(52, 36, 152, 184) if not small else QRectF(44, 32, 168, 192)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(sheet, 12, 12)

    rule = QPen(QColor("#9fb3d1"), 6 if not small else 14)
    p.setPen(rule)
    rows = 5 if not small else 3
    top, bottom = sheet.top() + 34, sheet.bottom() - 22
    for i in range(rows):
        y = top + (bottom - top) * i / (rows - 1)
        p.drawLine(QPointF(sheet.left() + 18, y), QPointF(sheet.right() - 18, y))
    if not small:
        p.drawLine(QPointF(sheet.left() + 58, top - 14), QPointF(sheet.left() + 58, bottom))

    line = QPainterPath(QPointF(sheet.left() + 20, sheet.bottom() - 30))
    line.lineTo(QPointF(sheet.left() + 62, sheet.bottom() - 76))
    line.lineTo(QPointF(sheet.left() + 98, sheet.bottom() - 58))
    line.lineTo(QPointF(sheet.right() - 16, sheet.top() + 30))
    pen = QPen(QColor("#d7261e"), 16 if not small else 26)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(line)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (ICONDIR + ICONDIRENTRY each + data)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in sorted(images.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    OUT.mkdir(parents=True, exist_ok=True)
    images = {s: png_bytes(paint(s)) for s in SIZES}
    (OUT / "planledger.png").write_bytes(images[256])
    (OUT / "planledger.ico").write_bytes(ico_bytes(images))
    print(f"{OUT / 'planledger.png'}  {OUT / 'planledger.ico'} ({len(SIZES)} sizes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
