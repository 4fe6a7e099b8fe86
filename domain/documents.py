"""Documents on a case: what may be attached, decided by content, and the limits.

Shared by the laptop (checked before anything is stored) and the central service
(checked again while the bytes arrive), so both refuse the same files with the same
words. MPOP accepts PDF, DOC and DOCX up to 5 MB, five files at a time; Fieldcase
also takes JPEG and PNG photographs of what a person handed over. The type is read
from the bytes, never from the name: a renamed executable is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from dataclasses import dataclass
from typing import Final
from uuid import UUID

from pydantic import Field

from domain.errors import ValidationError
from domain.model import Entity
from domain.people import Crn

MB: Final = 1_000_000
PDF: Final = "application/pdf"
DOC: Final = "application/msword"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
MEDIA_TYPES: Final = (PDF, DOC, DOCX, JPEG, PNG)
EXTENSIONS: Final = {PDF: ".pdf", DOC: ".doc", DOCX: ".docx", JPEG: ".jpg", PNG: ".png"}
WORDS: Final = {PDF: "PDF", DOC: "Word (DOC)", DOCX: "Word (DOCX)", JPEG: "JPEG", PNG: "PNG"}
ALLOWED_WORDS: Final = "PDF, Word (DOC or DOCX), JPEG or PNG"

_OLE2: Final = bytes.fromhex("d0cf11e0a1b11ae1")
_ZIP: Final = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """The server's policy (GET /v1/me); these defaults are MPOP's."""

    max_bytes: int = 5 * MB
    max_files: int = 5


class DocumentRef(Entity):
    """A document a mutation attaches: its id and what the bytes must be."""

    document_id: UUID
    name: str = Field(min_length=1, max_length=255)
    media_type: str
    size: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Document(Entity):
    """A document on a case (the `document` record kind); the bytes are addressed by hash."""

    id: UUID
    crn: Crn
    contact_id: UUID | None = None
    name: str
    media_type: str
    size: int
    sha256: str
    added_on: dt.date
    added_by: str | None = None


def head_type(head: bytes) -> str | None:
    """The candidate type from the first bytes alone (the server checks each upload's first
    chunk with it, before reading on); a ZIP or OLE2 file is confirmed by `sniff`."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP):
        return DOCX
    if head.startswith(_OLE2):
        return DOC
    return None


def sniff(content: bytes) -> str | None:
    """The media type of `content`, or None when it is none of the accepted kinds.

    DOCX is a ZIP holding `word/document.xml`; DOC is an OLE2 compound file holding a
    `WordDocument` stream. Any other ZIP (an .xlsx, a .jar) or compound file (.xls) is
    refused.
    """
    kind = head_type(content[:16])
    if kind == DOCX and not _is_docx(content):
        return None
    if kind == DOC and not _is_word_cfb(content):
        return None
    return kind


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_word_cfb(content: bytes) -> bool:
    """Whether a compound file's directory names a `WordDocument` stream ([MS-CFB] 2.2)."""
    try:
        return "WordDocument" in cfb_names(content)
    except (struct.error, ValueError, IndexError):
        return False


def cfb_names(content: bytes) -> set[str]:
    """The entry names in a compound file's directory, following its FAT chain."""
    shift = struct.unpack_from("<H", content, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("not a compound file sector size")
    size = 1 << shift
    fat_sectors = struct.unpack_from("<109i", content, 0x4C)
    fat: list[int] = []
    for sector in fat_sectors:
        if sector < 0:
            break
        start = (sector + 1) * size
        fat.extend(struct.unpack_from(f"<{size // 4}i", content, start))
    names: set[str] = set()
    sector, seen = struct.unpack_from("<i", content, 0x30)[0], 0
    while sector >= 0 and seen < len(fat) + 1:
        start = (sector + 1) * size
        for offset in range(start, start + size, 128):
            length = struct.unpack_from("<H", content, offset + 0x40)[0]
            if 2 <= length <= 64:
                names.add(content[offset : offset + length - 2].decode("utf-16-le", "replace"))
        sector, seen = fat[sector], seen + 1
    return names


def refuse_unless_allowed(name: str, content: bytes, limits: DocumentLimits) -> str:
    """The media type of one file, or a ValidationError in plain words."""
    if len(content) > limits.max_bytes:
        raise ValidationError(
            f"'{name}' is {len(content) / MB:.1f} MB; documents can be at most "
            f"{limits.max_bytes / MB:g} MB.",
            field="documents",
        )
    if not content:
        raise ValidationError(f"'{name}' is empty.", field="documents")
    kind = sniff(content)
    if kind is None:
        raise ValidationError(
            f"'{name}' is not a {ALLOWED_WORDS} file, so it cannot be attached. "
            "Nothing else on the form was changed.",
            field="documents",
        )
    return kind


def refuse_too_many(count: int, limits: DocumentLimits) -> None:
    if count > limits.max_files:
        raise ValidationError(
            f"Attach at most {limits.max_files} documents at a time ({count} chosen).",
            field="documents",
        )
