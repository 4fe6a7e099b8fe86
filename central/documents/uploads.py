"""Chunked, resumable, content-addressed uploads: the server's half of the chunk protocol.

1. `begin` (POST /v1/documents/uploads): size and type are judged against the policy
   before a byte is sent; a document already complete (the same bytes attached before,
   by anyone) needs no upload at all; otherwise the answer says where to start.
2. `append` (PUT .../{sha256}?offset=N): a chunk is taken only at `received_bytes`, so
   they arrive in order; one already held (its answer was lost) is answered again
   without storing it twice; one beyond is refused with the status, so the client
   resumes from there. The first chunk's bytes must look like an accepted type.
3. The chunk that completes the document is checked before the upload counts as done:
   the SHA-256 of every byte, and the type by the whole content (a DOCX's
   `word/document.xml`, a DOC's `WordDocument` stream). A mismatch discards it all.

The blob's row is locked (`FOR UPDATE` on PostgreSQL; SQLite's writer lock) for each
append, so two API processes never take the same chunk.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central.db import utcnow
from central.documents.store import ChunkStore
from central.errors import ApiError
from central.tables import document_blobs
from domain.documents import MEDIA_TYPES, DocumentLimits, head_type, sniff
from sync.protocol import DOCUMENT_CHUNK_BYTES, UploadStart, UploadStatus

log = logging.getLogger(__name__)


def status_of(row: Any) -> UploadStatus:
    return UploadStatus(
        sha256=row.sha256,
        size=int(row.size),
        received_bytes=int(row.received_bytes),
        complete=bool(row.complete),
    )


def too_large(limits: DocumentLimits) -> ApiError:
    return ApiError(
        413,
        "document_too_large",
        f"Documents can be at most {limits.max_bytes / 1_000_000:g} MB.",
    )


def not_accepted() -> ApiError:
    return ApiError(
        415,
        "document_type_refused",
        "Only PDF, Word (DOC or DOCX), JPEG and PNG documents are accepted.",
    )


def begin(
    conn: Connection,
    store: ChunkStore,
    start: UploadStart,
    username: str,
    limits: DocumentLimits,
) -> UploadStatus:
    if start.size > limits.max_bytes:
        raise too_large(limits)
    if start.media_type not in MEDIA_TYPES:
        raise not_accepted()
    values = {
        "sha256": start.sha256,
        "size": start.size,
        "media_type": start.media_type,
        "received_bytes": 0,
        "complete": False,
        "created_at": utcnow(),
        "created_by": username,
    }
    # Two API processes may announce the same bytes at once: one row, whoever wins.
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(dialect_insert(document_blobs).values(**values).on_conflict_do_nothing())
    row = _locked(conn, start.sha256)
    if not row.complete and (row.size != start.size or row.media_type != start.media_type):
        store.drop(conn, start.sha256)  # an unfinished upload that disagrees: start again
        conn.execute(
            update(document_blobs)
            .where(document_blobs.c.sha256 == start.sha256)
            .values(size=start.size, media_type=start.media_type, received_bytes=0)
        )
        return UploadStatus(sha256=start.sha256, size=start.size, received_bytes=0, complete=False)
    return status_of(row)


def _locked(conn: Connection, sha256: str) -> Any:
    query = select(document_blobs).where(document_blobs.c.sha256 == sha256)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def append(
    conn: Connection, store: ChunkStore, sha256: str, offset: int, data: bytes
) -> UploadStatus:
    """Take one chunk at `offset`; the last one is checked before the upload completes."""
    row = _locked(conn, sha256)
    if row is None:
        raise ApiError(404, "upload_unknown", "Start the upload first.")
    status = status_of(row)
    if status.complete or offset + len(data) <= status.received_bytes:
        return status  # held already: a retried chunk whose answer was lost
    if offset != status.received_bytes or offset % DOCUMENT_CHUNK_BYTES:
        raise ApiError(409, "upload_offset", f"Send from byte {status.received_bytes}.")
    expected = min(DOCUMENT_CHUNK_BYTES, status.size - offset)
    if len(data) != expected:
        raise ApiError(400, "chunk_size", f"This chunk must be {expected} bytes.")
    if offset == 0 and head_type(data[:16]) != row.media_type:
        raise not_accepted()
    store.put(conn, sha256, offset // DOCUMENT_CHUNK_BYTES, data)
    received = offset + len(data)
    complete = received == status.size and _verified(conn, store, status, row.media_type)
    if received == status.size and not complete:
        store.drop(conn, sha256)
        received = 0
    conn.execute(
        update(document_blobs)
        .where(document_blobs.c.sha256 == sha256)
        .values(received_bytes=received, complete=complete)
    )
    return UploadStatus(sha256=sha256, size=status.size, received_bytes=received, complete=complete)


def _verified(conn: Connection, store: ChunkStore, status: UploadStatus, media_type: str) -> bool:
    """Every byte hashes to the address, and the whole content is the declared type."""
    digest = hashlib.sha256()
    parts = []
    for number in range(-(-status.size // DOCUMENT_CHUNK_BYTES)):
        chunk = store.get(conn, status.sha256, number)
        digest.update(chunk)
        parts.append(chunk)
    if digest.hexdigest() != status.sha256:
        log.info("upload discarded: the bytes did not match their SHA-256")
        return False
    if sniff(b"".join(parts)) != media_type:
        log.info("upload discarded: the content is not the declared type")
        return False
    return True


def complete_blob(conn: Connection, sha256: str) -> Any:
    """The blob's row when every byte arrived and was checked, else None."""
    return conn.execute(
        select(document_blobs).where(
            document_blobs.c.sha256 == sha256, document_blobs.c.complete.is_(True)
        )
    ).first()
