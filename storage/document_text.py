"""The words inside a document, taken once when it is stored, for offline search.

PDF text comes from pypdf (pure Python, maintained by the py-pdf organisation; see
docs/dependencies.md); DOCX text from its `word/document.xml` with the standard
library. DOC (the binary Word format) and images carry no text we can read reliably
without heavy tools, so they are found by name only.
"""

from __future__ import annotations

import io
import logging
import zipfile
from xml.etree import ElementTree as ET

from domain.documents import DOCX, PDF

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000  # enough for any letter or report; keeps the index bounded
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_XML_BYTES = 20_000_000


def extract(media_type: str, content: bytes) -> str:
    """The document's text, or '' when it has none we can read (never raises)."""
    try:
        if media_type == PDF:
            return _pdf_text(content)[:MAX_TEXT_CHARS]
        if media_type == DOCX:
            return _docx_text(content)[:MAX_TEXT_CHARS]
    except Exception as exc:  # a damaged file is still stored and found by its name
        log.info("no text taken from a %s (%s)", media_type, type(exc).__name__)
    return ""


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    # pypdf logs recoverable oddities of real-world PDFs as warnings; they are not ours.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(content))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > _MAX_XML_BYTES:  # a zip bomb stops here
            raise ValueError("document.xml too large")
        xml = archive.read(info)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValueError("document.xml declares a DTD")
    root = ET.fromstring(xml)  # noqa: S314 - no DTD (checked above), bounded size
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        paragraphs.append("".join(t.text or "" for t in paragraph.iter(f"{_W}t")))
    return "\n".join(p for p in paragraphs if p)
