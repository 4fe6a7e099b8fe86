"""Draw the app icon and write `packaging/fieldcase.ico` (16 to 256 px, PNG-compressed).

The icon is committed; run this again only to change it. Qt draws it (it is already a
dependency), and the ICO container is written here because Qt's ICO writer keeps one size only.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen, QPolygonF

SIZES = (16, 24, 32, 48, 64, 256)
ICON = Path(__file__).resolve().parent / "fieldcase.ico"


def draw(size: int) -> bytes:
    """One square image as PNG bytes: a navy folder-like tile with a white 'F' and a tick."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size * 0.06
    tile = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#1d3a6e"))
    painter.drawRoundedRect(tile, size * 0.18, size * 0.18)
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(8, int(size * 0.62)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(tile.adjusted(0, 0, -size * 0.18, 0), Qt.AlignmentFlag.AlignCenter, "F")
    pen = QPen(QColor("#5fd38d"), max(1.5, size * 0.09))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawPolyline(QPolygonF([tile.topLeft() + p for p in _tick_points(tile.width())]))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # stub wants bytes, Qt takes str
    return bytes(data.data())


def _tick_points(width: float) -> list[QPointF]:
    return [QPointF(width * x, width * y) for x, y in ((0.62, 0.72), (0.74, 0.84), (0.92, 0.56))]


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """The ICO container: a header, one directory entry per size, then the PNG payloads."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payloads = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payloads += png
        offset += len(png)
    return header + entries + payloads


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON.write_bytes(ico([(size, draw(size)) for size in SIZES]))
    print(f"wrote {ICON} ({ICON.stat().st_size} bytes)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
