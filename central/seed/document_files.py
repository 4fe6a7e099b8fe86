"""Small, valid, synthetic documents: PDF, DOCX, DOC and PNG, made from text alone.

For the demo's cases and the tests: no template, no real letter, nothing downloaded.
Each writer produces the real format (a PDF with its cross-reference table, a DOCX
package, an OLE2 compound file holding a `WordDocument` stream, a PNG with its CRCs),
so the readers that judge and index them (pypdf, zipfile, our CFB reader) treat them
as they would a document an officer attaches.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence


def _pdf_escape(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: Sequence[str], *, padding: int = 0, filler: bytes | None = None) -> bytes:
    """A one-page PDF showing `lines` in Helvetica; `padding` zero bytes (or `filler`) in
    an unused stream make it as large as a test needs (a 5 MB scan, say)."""
    text = "\n".join(
        f"BT /F1 11 Tf 56 {780 - 16 * i} Td ({_pdf_escape(line)}) Tj ET"
        for i, line in enumerate(lines)
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
    ]
    if padding or filler:
        filler = filler if filler is not None else bytes(padding)
        objects.append(b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_docx(paragraphs: Sequence[str]) -> bytes:
    """A minimal Word document: one paragraph per item."""
    body = "".join(f"<w:p><w:r><w:t>{_xml_escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("word/document.xml", document)
    return out.getvalue()


_FREE, _END, _FAT = -1, -2, -3
_SECTOR = 512


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    return struct.pack(
        "<64sHBBiii16sIQQiQ",
        encoded,
        len(encoded),
        kind,
        1,  # black
        -1,
        -1,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def make_doc(text: str, *, stream: str = "WordDocument") -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) with one stream named `stream`
    holding `text` (a real DOC's WordDocument stream is binary; the name is what makes
    a compound file a Word document for `domain.documents.sniff`)."""
    data = text.encode("utf-16-le").ljust(4096, b"\0")
    data_sectors = -(-len(data) // _SECTOR)
    fat = [_FAT, _END] + [2 + i + 1 for i in range(data_sectors - 1)] + [_END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,  # mini stream cutoff
        0xFFFFFFFE,  # no mini FAT
        0,
        0xFFFFFFFE,  # no DIFAT sectors
        0,
    ) + struct.pack("<109i", 0, *([_FREE] * 108))
    directory = (
        _entry("Root Entry", 5, 1, _END, 0)
        + _entry(stream, 2, -1, 2, len(data))
        + _entry("", 0, -1, 0, 0) * 2
    )
    return header + struct.pack(f"<{len(fat)}i", *fat) + directory + data


def make_png(width: int = 2, height: int = 2) -> bytes:
    """A tiny grey PNG (a photograph of a payslip, as far as the tests care)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
