"""Where the bytes of documents live: an interface, and the database behind it by default.

Metadata (size, type, how much has arrived, whether it is complete) is always in the
database (`document_blobs`), so every API process sees the same upload state. The bytes
go through `ChunkStore`: `SqlChunkStore` keeps them in `document_chunks`, which works on
SQLite and across several API processes on PostgreSQL with nothing else to run; a
deployment could implement the same four methods over object storage (one object per
chunk, keyed `sha256/number`), since chunks are written once and never changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from sqlalchemy import Connection, delete, insert, select

from central.tables import document_chunks
from sync.protocol import DOCUMENT_CHUNK_BYTES


class ChunkStore(Protocol):
    """Chunks of DOCUMENT_CHUNK_BYTES (the last shorter), numbered from 0."""

    def put(self, conn: Connection, sha256: str, number: int, data: bytes) -> None: ...

    def get(self, conn: Connection, sha256: str, number: int) -> bytes: ...

    def count(self, conn: Connection, sha256: str) -> int: ...

    def drop(self, conn: Connection, sha256: str) -> None: ...


class SqlChunkStore:
    """Chunks as rows of the service's own database, in the caller's transaction."""

    def put(self, conn: Connection, sha256: str, number: int, data: bytes) -> None:
        conn.execute(insert(document_chunks).values(sha256=sha256, number=number, data=data))

    def get(self, conn: Connection, sha256: str, number: int) -> bytes:
        row = conn.execute(
            select(document_chunks.c.data).where(
                document_chunks.c.sha256 == sha256, document_chunks.c.number == number
            )
        ).first()
        if row is None:
            raise LookupError(f"chunk {number} of a document is missing")
        return bytes(row.data)

    def count(self, conn: Connection, sha256: str) -> int:
        rows = conn.execute(
            select(document_chunks.c.number).where(document_chunks.c.sha256 == sha256)
        )
        return len(rows.all())

    def drop(self, conn: Connection, sha256: str) -> None:
        conn.execute(delete(document_chunks).where(document_chunks.c.sha256 == sha256))


def read_range(
    store: ChunkStore, conn: Connection, sha256: str, start: int, end: int
) -> Iterator[bytes]:
    """Bytes start..end (inclusive) of a document, reading only the chunks they span."""
    first, last = start // DOCUMENT_CHUNK_BYTES, end // DOCUMENT_CHUNK_BYTES
    for number in range(first, last + 1):
        data = store.get(conn, sha256, number)
        base = number * DOCUMENT_CHUNK_BYTES
        yield data[max(start - base, 0) : end - base + 1]
