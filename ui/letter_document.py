"""A filled letter laid out once (QTextDocument) and written as PDF or as an editable ODT.

Qt lays the letter out, so the PDF and the preview are the same layout and no PDF
library is added: QPdfWriter embeds the fonts and writes selectable text (tests read it
back). Every page carries the OFFICIAL-SENSITIVE marking at its head and foot and its
page number; the editable copy carries the marking at the top and end of each language.
The editable copy is OpenDocument text from Qt's own writer: Word opens and saves it,
and it needs no new dependency (docs/letters.md).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextDocumentWriter,
)

from domain.letters.templates import FilledSection

MARKING = "OFFICIAL-SENSITIVE"
_MARGINS_MM = QMarginsF(20, 15, 20, 15)
_BAND_POINTS = 22  # room at the head and foot of each page's text for the marking
_STYLE = (
    "body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; }"
    "h2 { font-size: 13pt; margin-top: 12px; } p { margin-bottom: 8px; }"
    "p.marking { font-weight: bold; text-align: center; }"
)


def letter_html(sections: Sequence[FilledSection], *, marked: bool = False) -> str:
    """The letter as HTML; `marked` puts the marking in the text itself (editable copy)."""
    parts: list[str] = []
    for index, section in enumerate(sections):
        style = ' style="page-break-before: always"' if index else ""
        parts.append(f'<div lang="{section.language}"{style}>')
        if marked:
            parts.append(f'<p class="marking">{MARKING}</p>')
        parts += _blocks(section)
        if marked:
            parts.append(f'<p class="marking">{MARKING}</p>')
        parts.append("</div>")
    return "<html><body>" + "".join(parts) + "</body></html>"


def _blocks(section: FilledSection) -> list[str]:
    out: list[str] = []
    in_list = False
    for kind, text in section.blocks:
        if kind == "item" and not in_list:
            out.append("<ul>")
        if kind != "item" and in_list:
            out.append("</ul>")
        in_list = kind == "item"
        body = html.escape(text).replace("\n", "<br/>")
        tag = {"heading": "h2", "paragraph": "p", "item": "li"}[kind]
        out.append(f"<{tag}>{body}</{tag}>")
    if in_list:
        out.append("</ul>")
    return out


def letter_document(sections: Sequence[FilledSection], *, marked: bool = False) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(_STYLE)
    doc.setDefaultFont(QFont("Arial", 11))
    doc.setHtml(letter_html(sections, marked=marked))
    if sections:
        doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, sections[-1].title)
    return doc


def write_pdf(sections: Sequence[FilledSection], path: Path) -> int:
    """Write the letter as an A4 PDF; returns its page count."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"{sections[-1].title} ({MARKING})" if sections else MARKING)
    writer.setCreator("Fieldcase")
    doc = letter_document(sections)
    doc.documentLayout().setPaintDevice(writer)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    band = _BAND_POINTS * writer.resolution() / 72
    body = QSizeF(page.width(), page.height() - 2 * band)
    doc.setPageSize(body)
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            _page(painter, doc, (number, pages), body, band)
    finally:
        painter.end()
    return pages


def _page(
    painter: QPainter, doc: QTextDocument, page: tuple[int, int], body: QSizeF, band: float
) -> None:
    number, pages = page
    width, height = body.width(), body.height()
    painter.setFont(QFont("Arial", 9, QFont.Weight.Bold))
    head = QRectF(0, 0, width, band)
    foot = QRectF(0, band + height, width, band)
    painter.drawText(head, Qt.AlignmentFlag.AlignCenter, MARKING)
    painter.drawText(foot, Qt.AlignmentFlag.AlignCenter, MARKING)
    painter.setFont(QFont("Arial", 8))
    flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    painter.drawText(foot, flags, f"{number + 1} / {pages}")
    painter.save()
    painter.translate(0, band - number * height)
    doc.drawContents(painter, QRectF(0, number * height, width, height))
    painter.restore()


def write_editable(sections: Sequence[FilledSection], path: Path) -> None:
    """Write an OpenDocument text copy the officer can adjust in Word or LibreOffice."""
    writer = QTextDocumentWriter(str(path), b"odf")
    if not writer.write(letter_document(sections, marked=True)):
        raise OSError(f"could not write {path.name}")
