"""What may be attached is decided by content, within MPOP's limits."""

from __future__ import annotations

import io
import zipfile

import pytest

from central.seed.document_files import make_doc, make_docx, make_pdf, make_png
from domain.documents import (
    DOC,
    DOCX,
    JPEG,
    MB,
    PDF,
    PNG,
    DocumentLimits,
    refuse_too_many,
    refuse_unless_allowed,
    sniff,
)
from domain.errors import ValidationError

LIMITS = DocumentLimits()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (make_pdf(["A letter"]), PDF),
        (make_docx(["A letter"]), DOCX),
        (make_doc("A letter"), DOC),
        (make_png(), PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), JPEG),
    ],
)
def test_accepted_kinds_are_recognised_by_their_bytes(content: bytes, kind: str) -> None:
    assert sniff(content) == kind
    assert refuse_unless_allowed("whatever.name", content, LIMITS) == kind


def _zip(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00" + bytes(200),  # a Windows program renamed letter.pdf
        b"Just some text pretending to be a PDF",
        _zip("xl/workbook.xml"),  # a spreadsheet is a ZIP but no Word document
        make_doc("numbers", stream="Workbook"),  # an .xls is a compound file, not Word
        b"PK\x03\x04 truncated zip",
        bytes.fromhex("d0cf11e0a1b11ae1") + b"broken",
    ],
)
def test_anything_else_is_refused_in_plain_words(content: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        refuse_unless_allowed("letter.pdf", content, LIMITS)
    assert "'letter.pdf' is not a PDF, Word (DOC or DOCX), JPEG or PNG file" in str(refused.value)
    assert refused.value.field == "documents"


def test_a_document_over_5_mb_is_refused_and_5_mb_is_not() -> None:
    at_limit = make_pdf(["Scan"], padding=5 * MB - 1000)
    at_limit += bytes(5 * MB - len(at_limit))  # trailing bytes after %%EOF are tolerated
    assert len(at_limit) == 5 * MB
    assert refuse_unless_allowed("scan.pdf", at_limit, LIMITS) == PDF
    with pytest.raises(ValidationError, match="at most 5 MB"):
        refuse_unless_allowed("scan.pdf", at_limit + b"\0", LIMITS)


def test_at_most_5_documents_at_a_time_and_the_policy_can_say_otherwise() -> None:
    refuse_too_many(5, LIMITS)
    with pytest.raises(ValidationError, match="at most 5 documents"):
        refuse_too_many(6, LIMITS)
    refuse_too_many(6, DocumentLimits(max_files=8))
    with pytest.raises(ValidationError, match="at most 1 MB"):
        refuse_unless_allowed("a.pdf", make_pdf(["x"], padding=MB), DocumentLimits(max_bytes=MB))
