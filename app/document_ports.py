"""What the document use cases need from the cache, and the rows they hand the screens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.changes import ChangeSet

if TYPE_CHECKING:
    from domain.mutations import MutationArgs


@dataclass(frozen=True, slots=True)
class DocumentItem:
    """One document of a case as its list shows it."""

    id: str
    crn: str
    contact_id: str | None
    name: str
    media_type: str
    size: int
    sha256: str
    added_on: dt.date
    on_laptop: bool  # the bytes are here (readable offline)
    pinned: bool  # kept here whatever its age
    sent: bool  # the central service has the bytes


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file the officer chose, checked by content, hashed, its text taken."""

    name: str
    media_type: str
    sha256: str
    content: bytes
    text: str


class DocumentShelf(Protocol):
    def attach(self, name: str, args: MutationArgs, files: Sequence[CheckedFile]) -> ChangeSet:
        """Store the bytes and apply + queue the mutation referring to them, atomically."""
        ...

    def case_documents(self, crn: str) -> list[DocumentItem]: ...

    def document(self, document_id: str) -> DocumentItem | None: ...

    def content(self, sha256: str) -> bytes | None: ...

    def keep(self, item: DocumentItem, content: bytes) -> None:
        """Store bytes fetched on demand (their hash already checked)."""
        ...

    def set_pinned(self, document_id: str, pinned: bool) -> ChangeSet: ...

    def stored_bytes(self) -> int: ...
