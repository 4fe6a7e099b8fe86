"""Print the visit briefing, or save it as a PDF, with Qt's own print support.

Each visit's page is a QTextDocument laid out for the device (so fonts and the photo
keep their size at any resolution) and drawn below a header and above a footer that
carry the OFFICIAL-SENSITIVE marking, the officer's name and when it was produced, on
every physical page, including a visit whose page runs over. The same drawing serves
`QPdfWriter` (QtGui) and `QPrinter` (QtPrintSupport): both are QPagedPaintDevice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from app.today_rows import Briefing
from domain.calendar import LONDON
from ui.briefing_html import PHOTO_URL, page_html

MARKING = "OFFICIAL-SENSITIVE"
PDF_RESOLUTION = 300
BAND_POINTS = 30  # height of the header and the footer bands


def _font(points: float, *, bold: bool = False) -> QFont:
    """Ligatures off: "Officer" must stay searchable as typed in the PDF's text."""
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag.fromString(tag), 0)
    return font


def _document(briefing: Briefing, n: int, device: QPagedPaintDevice, size: QSizeF) -> QTextDocument:
    page = briefing.pages[n]
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(_font(9))
    if page.photo:
        image = QImage.fromData(page.photo)
        doc.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(PHOTO_URL.format(n=n)), image
        )
    doc.setHtml(page_html(page, n))
    doc.setPageSize(size)
    return doc


def _band(painter: QPainter, rect: QRectF, left: str, right: str) -> None:
    painter.setFont(_font(8.5, bold=True))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), MARKING)
    painter.setFont(_font(8.5))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), right)


def render(device: QPagedPaintDevice, briefing: Briefing) -> int:
    """Draw every page of the briefing on `device`; returns the physical page count."""
    res = device.logicalDpiY()
    paint = device.pageLayout().paintRectPixels(res)
    band = BAND_POINTS * res / 72
    body = QSizeF(paint.width(), paint.height() - 2 * band)
    produced = (
        f"Produced by {briefing.officer}, {briefing.produced_at.astimezone(LONDON):%d %b %Y %H:%M}"
    )
    docs = [_document(briefing, n, device, body) for n in range(len(briefing.pages))]
    total = sum(d.pageCount() for d in docs) or 1
    painter = QPainter(device)
    try:
        number = 0
        for doc in docs:
            for part in range(doc.pageCount()):
                if number:
                    device.newPage()
                number += 1
                header = QRectF(0, 0, paint.width(), band)
                footer = QRectF(0, paint.height() - band, paint.width(), band)
                _band(painter, header, f"Visit briefing {briefing.day:%d %b %Y}", produced)
                _band(painter, footer, produced, f"Page {number} of {total}")
                painter.save()
                painter.translate(0, band - part * body.height())
                doc.drawContents(
                    painter, QRectF(0, part * body.height(), body.width(), body.height())
                )
                painter.restore()
        if not docs:
            _band(painter, QRectF(0, 0, paint.width(), band), "No visits", produced)
    finally:
        painter.end()
    return total


def save_pdf(briefing: Briefing, path: Path) -> int:
    """Write the briefing to `path` (the place the officer chose) as an A4 PDF."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(f"{MARKING} visit briefing {briefing.day:%d %b %Y}")
    writer.setCreator("Fieldcase")
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(15, 12, 15, 12),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    return render(writer, briefing)
