"""A case's documents: name, type, size, when added, and where the bytes are, in words."""

from __future__ import annotations

from app.document_ports import DocumentItem
from domain.documents import WORDS
from ui import format as fmt
from ui.models.table import Column, RowTableModel


def size_words(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def where(item: DocumentItem) -> str:
    bits = ["On this laptop" if item.on_laptop else "Fetched when online"]
    if item.pinned:
        bits.append("kept here")
    if not item.sent:
        bits.append("waiting to send")
    return ", ".join(bits)


COLUMNS: tuple[Column[DocumentItem], ...] = (
    Column("Added", lambda r: fmt.day(r.added_on), lambda r: r.added_on),
    Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
    Column("Type", lambda r: WORDS.get(r.media_type, r.media_type)),
    Column("Size", lambda r: size_words(r.size), lambda r: r.size),
    Column("Contact", lambda r: "Yes" if r.contact_id else ""),
    Column("Where", where),
)


class DocumentModel(RowTableModel[DocumentItem]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda r: r.id, filter_text=lambda r: r.name.casefold())
