"""`DocumentShelf` over the encrypted cache (storage/documents.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.changes import OUTBOX, ChangeSet
from app.document_ports import CheckedFile, DocumentItem
from storage import documents

if TYPE_CHECKING:
    from domain.actor import Actor
    from domain.mutations import MutationArgs
    from storage.db import CacheDb

DOCUMENTS = "document"  # the change-set kind of document lists


def _item(row: documents.DocumentRow) -> DocumentItem:
    return DocumentItem(
        id=row.id,
        crn=row.crn,
        contact_id=row.contact_id,
        name=row.name,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        added_on=row.added_on,
        on_laptop=row.on_laptop,
        pinned=row.pinned,
        sent=row.sent,
    )


class StorageDocuments:
    def __init__(self, cdb: CacheDb, actor: Actor, clock: Callable[[], dt.datetime]) -> None:
        self.cdb = cdb
        self.actor = actor
        self._clock = clock

    def attach(self, name: str, args: MutationArgs, files: Sequence[CheckedFile]) -> ChangeSet:
        now = self._clock()
        blobs = [documents.NewBlob(f.sha256, f.media_type, f.content, f.text) for f in files]
        change = documents.attach(
            self.cdb,
            name,
            args,
            blobs,
            actor=self.actor,
            today=now.astimezone().date(),
            now=now,
        )
        return ChangeSet.of(change.cases, change.kinds | {OUTBOX, DOCUMENTS})

    def case_documents(self, crn: str) -> list[DocumentItem]:
        return [_item(r) for r in documents.case_documents(self.cdb, crn)]

    def document(self, document_id: str) -> DocumentItem | None:
        row = documents.document(self.cdb, document_id)
        return None if row is None else _item(row)

    def content(self, sha256: str) -> bytes | None:
        return documents.content(self.cdb, sha256)

    def keep(self, item: DocumentItem, content: bytes) -> None:
        from storage.document_text import extract

        blob = documents.NewBlob(
            item.sha256, item.media_type, content, extract(item.media_type, content)
        )
        documents.store_downloaded(self.cdb, blob, now=self._clock())

    def set_pinned(self, document_id: str, pinned: bool) -> ChangeSet:
        documents.set_pinned(self.cdb, document_id, pinned)
        row = documents.document(self.cdb, document_id)
        return ChangeSet.of([row.crn] if row else [], [DOCUMENTS])

    def stored_bytes(self) -> int:
        return documents.stored_bytes(self.cdb)
