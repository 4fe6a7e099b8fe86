"""Documents in the cache: their bytes, the text search reads in them, pins, and transfers.

The bytes live in `document_blob`, a table of this SQLCipher database: encrypted page by
page like everything else, never a plain file in the profile, counted in its size, and
zeroed when deleted (`secure_delete`). A blob is addressed by its SHA-256, so the same
letter attached twice is stored once. `content` is NULL for a document that is only
listed here (outside the offline-keep policy, fetched on demand when online).

Attaching is one transaction: the blobs, their extracted text (search index by trigger),
the mutation that creates the `document` records (and the outbox row) and the
`document_wait` rows naming the bytes that mutation needs on the server before it may
be sent (storage/document_outbox.py keeps it, and what depends on it, out of a push).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.actor import Actor
from domain.model import Entity
from storage.db import CacheDb

if TYPE_CHECKING:  # the write path loads the mutation semantics: only when attaching
    from storage.write import LocalChange

KEEP_DAYS = 365  # every document of the last 12 months stays on the laptop

SCHEMA = [
    # `content` last: reading the other columns never walks a blob's overflow pages.
    """CREATE TABLE document_blob (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  content BLOB
)""",
    # Bytes attached here that the central service has not confirmed whole: their own
    # small table, because SQLite rewrites a whole row on UPDATE (5 MB for a flag).
    "CREATE TABLE document_upload (sha256 TEXT PRIMARY KEY, sent_bytes INTEGER NOT NULL"
    " DEFAULT 0) WITHOUT ROWID",
    "CREATE TABLE document_pin (document_id TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE document_wait (mutation_id TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " PRIMARY KEY (mutation_id, sha256)) WITHOUT ROWID",
    "CREATE INDEX document_wait_sha ON document_wait (sha256)",
    "CREATE VIRTUAL TABLE document_text_fts USING fts5(text, content='document_blob',"
    " content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5')",
    "CREATE TRIGGER document_text_ai AFTER INSERT ON document_blob BEGIN"
    " INSERT INTO document_text_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER document_text_ad AFTER DELETE ON document_blob BEGIN"
    " INSERT INTO document_text_fts(document_text_fts, rowid, text)"
    " VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER document_text_au AFTER UPDATE OF text ON document_blob BEGIN"
    " INSERT INTO document_text_fts(document_text_fts, rowid, text)"
    " VALUES ('delete', old.rowid, old.text);"
    " INSERT INTO document_text_fts(rowid, text) VALUES (new.rowid, new.text); END",
]


@dataclass(frozen=True, slots=True)
class NewBlob:
    """Bytes the officer attached, checked and with their text already extracted."""

    sha256: str
    media_type: str
    content: bytes
    text: str


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One document of a case as its list shows it."""

    id: str
    crn: str
    contact_id: str | None
    name: str
    media_type: str
    size: int
    sha256: str
    added_on: dt.date
    on_laptop: bool
    pinned: bool
    sent: bool  # the central service has the bytes


@dataclass(frozen=True, slots=True)
class Transfer:
    """Bytes to move: an upload (from `sent_bytes`) or a download."""

    sha256: str
    size: int
    media_type: str
    sent_bytes: int = 0


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attach(
    cdb: CacheDb,
    name: str,
    args: Entity,
    blobs: Iterable[NewBlob],
    *,
    actor: Actor,
    today: dt.date,
    now: dt.datetime,
) -> LocalChange:
    """Store the bytes and queue the mutation that refers to them, in one transaction."""
    from storage.write import apply_local_mutation

    blobs = list(blobs)
    with cdb.atomic():
        for blob in blobs:
            _store(cdb, blob, now=now, uploaded=False)
        change = apply_local_mutation(cdb, name, args, actor=actor, today=today, now=now)
        cdb.conn.executemany(
            "INSERT OR IGNORE INTO document_wait (mutation_id, sha256) VALUES (?, ?)",
            [(str(change.mutation_id), b.sha256) for b in blobs],
        )
    return change


def _store(cdb: CacheDb, blob: NewBlob, *, now: dt.datetime, uploaded: bool) -> None:
    """Insert the blob, or fill in the bytes of one only listed; an upload's state stays."""
    cdb.execute(
        "INSERT INTO document_blob (sha256, size, media_type, stored_at, text, content)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET"
        " content = excluded.content, text = excluded.text, stored_at = excluded.stored_at"
        " WHERE document_blob.content IS NULL",
        (blob.sha256, len(blob.content), blob.media_type, now.isoformat(), blob.text, blob.content),
    )
    if not uploaded:
        cdb.execute("INSERT OR IGNORE INTO document_upload (sha256) VALUES (?)", (blob.sha256,))


def store_downloaded(cdb: CacheDb, blob: NewBlob, *, now: dt.datetime) -> None:
    """Bytes fetched from the central service (already checked against their hash).
    They can be fetched again, so committed without an fsync, as pulled pages are
    (`CacheDb.re_downloadable` says why no promise weakens)."""
    with cdb.re_downloadable(), cdb.atomic():
        _store(cdb, blob, now=now, uploaded=True)


def content(cdb: CacheDb, sha256: str) -> bytes | None:
    found: bytes | None = cdb.one("SELECT content FROM document_blob WHERE sha256 = ?", (sha256,))
    return found


def set_pinned(cdb: CacheDb, document_id: str, pinned: bool) -> None:
    """Keep a document on the laptop whatever its age (a local choice, never synced)."""
    with cdb.atomic():
        if pinned:
            cdb.execute("INSERT OR IGNORE INTO document_pin VALUES (?)", (document_id,))
        else:
            cdb.execute("DELETE FROM document_pin WHERE document_id = ?", (document_id,))


_ROWS = """
SELECT d.id, d.crn, d.data, b.content IS NOT NULL AS on_laptop, u.sha256 IS NULL AS sent,
  p.document_id IS NOT NULL AS pinned
FROM document d LEFT JOIN document_blob b ON b.sha256 = d.sha256
LEFT JOIN document_upload u ON u.sha256 = d.sha256
LEFT JOIN document_pin p ON p.document_id = d.id"""


def _row(row: Mapping[str, Any]) -> DocumentRow:
    data = json.loads(row["data"])
    return DocumentRow(
        id=row["id"],
        crn=row["crn"],
        contact_id=data.get("contact_id"),
        name=data["name"],
        media_type=data["media_type"],
        size=int(data["size"]),
        sha256=data["sha256"],
        added_on=dt.date.fromisoformat(data["added_on"]),
        on_laptop=bool(row["on_laptop"]),
        pinned=bool(row["pinned"]),
        sent=bool(row["sent"]),
    )


def case_documents(cdb: CacheDb, crn: str) -> list[DocumentRow]:
    """A case's documents, newest first."""
    rows = cdb.query(_ROWS + " WHERE d.crn = ? ORDER BY d.added_on DESC, d.seq DESC", (crn,))
    return [_row(r) for r in rows]


def document(cdb: CacheDb, document_id: uuid.UUID | str) -> DocumentRow | None:
    rows = cdb.query(_ROWS + " WHERE d.id = ?", (str(document_id),))
    return _row(rows[0]) if rows else None


def pending_uploads(cdb: CacheDb) -> list[Transfer]:
    """Bytes the central service still needs, in the order their changes were queued."""
    rows = cdb.query(
        "SELECT b.sha256, b.size, b.media_type, u.sent_bytes, MIN(o.seq) AS first"
        " FROM document_upload u JOIN document_blob b ON b.sha256 = u.sha256"
        " JOIN document_wait w ON w.sha256 = u.sha256"
        " JOIN outbox o ON o.mutation_id = w.mutation_id"
        " WHERE b.content IS NOT NULL AND o.state IN ('queued', 'sending')"
        " GROUP BY b.sha256 ORDER BY first"
    )
    return [Transfer(r["sha256"], r["size"], r["media_type"], r["sent_bytes"]) for r in rows]


def record_sent(cdb: CacheDb, sha256: str, sent_bytes: int) -> None:
    """The central service confirmed the bytes up to here: for the officer's progress only
    (a resumed upload starts where the server says it stands), so committed without an
    fsync (a chunk's fsync cost more than sending the chunk over loopback)."""
    with cdb.re_downloadable(), cdb.atomic():
        cdb.execute(
            "UPDATE document_upload SET sent_bytes = ? WHERE sha256 = ?", (sent_bytes, sha256)
        )


def mark_uploaded(cdb: CacheDb, sha256: str) -> None:
    """The central service holds the whole document, hash checked: its changes may go.

    Committed without an fsync: should a power cut lose it, the next sync asks the server,
    which answers "complete", and it is marked again; nothing is sent twice."""
    with cdb.re_downloadable(), cdb.atomic():
        cdb.execute("DELETE FROM document_upload WHERE sha256 = ?", (sha256,))


def a_document_with(cdb: CacheDb, sha256: str) -> str | None:
    """The id of a held document with these bytes (downloads go through a record)."""
    found: str | None = cdb.one("SELECT id FROM document WHERE sha256 = ? LIMIT 1", (sha256,))
    return found


def wanted_downloads(cdb: CacheDb, *, today: dt.date) -> list[Transfer]:
    """Documents the offline-keep policy wants here and that are not: the last 12 months'
    and the pinned ones, newest first."""
    since = (today - dt.timedelta(days=KEEP_DAYS)).isoformat()
    rows = cdb.query(
        "SELECT d.sha256, max(json_extract(d.data, '$.size')) AS size,"
        " max(json_extract(d.data, '$.media_type')) AS media_type, max(d.added_on) AS newest"
        " FROM document d LEFT JOIN document_blob b ON b.sha256 = d.sha256"
        " WHERE (b.content IS NULL) AND (d.added_on >= ?"
        " OR d.id IN (SELECT document_id FROM document_pin))"
        " GROUP BY d.sha256 ORDER BY newest DESC",
        (since,),
    )
    return [Transfer(r["sha256"], int(r["size"]), r["media_type"]) for r in rows]


def forget_unreferenced(cdb: CacheDb) -> int:
    """Drop the bytes no held document refers to (an evicted case's), unless a queued
    change still needs to upload them; the caller holds the transaction."""
    cursor = cdb.execute(
        "DELETE FROM document_blob WHERE sha256 NOT IN (SELECT sha256 FROM document"
        " WHERE sha256 IS NOT NULL) AND sha256 NOT IN (SELECT w.sha256 FROM document_wait w"
        " JOIN document_upload u ON u.sha256 = w.sha256"
        " JOIN outbox o ON o.mutation_id = w.mutation_id"
        " WHERE o.state IN ('queued', 'sending'))"
    )
    cdb.execute(
        "DELETE FROM document_upload WHERE sha256 NOT IN (SELECT sha256 FROM document_blob)"
    )
    cdb.execute("DELETE FROM document_pin WHERE document_id NOT IN (SELECT id FROM document)")
    return int(cursor.rowcount)


def stored_bytes(cdb: CacheDb) -> int:
    """Bytes of documents held on this laptop (part of the profile's size)."""
    total: int | None = cdb.one("SELECT sum(size) FROM document_blob WHERE content IS NOT NULL")
    return int(total or 0)
