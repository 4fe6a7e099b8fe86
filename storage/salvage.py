"""A damaged cache: keep what can be read of the unsynced outbox, then start afresh.

A power cut on a failing disk, or a truncated copy, can leave a cache SQLite cannot read.
Cases can always be downloaded again; the officer's unsent work cannot. So before the
file is rebuilt, every readable undelivered outbox row (and the client id and sequence
numbers that make resending exactly-once) is copied out, sealed with the cache key in a
file beside it, and put back into the fresh cache.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import crypto
from storage.db import CacheDb, NotADatabase, SQLError

log = logging.getLogger(__name__)

CONTEXT = "fieldcase-salvage"
_CHUNK = 50


@dataclass
class Salvaged:
    client_id: str | None = None
    last_seq: int = 0
    last_acked_seq: int = 0
    outbox: list[dict[str, Any]] = field(default_factory=list)


def _read_state(cdb: CacheDb, found: Salvaged) -> None:
    try:
        row = cdb.query("SELECT client_id, last_seq, last_acked_seq FROM sync_state")[0]
    except (SQLError, IndexError):
        return
    found.client_id = row["client_id"]
    found.last_seq = row["last_seq"]
    found.last_acked_seq = row["last_acked_seq"]


def _read_outbox(cdb: CacheDb, found: Salvaged) -> None:
    """Undelivered rows, chunk by chunk, skipping chunks on unreadable pages."""
    try:
        top = int(cdb.one("SELECT max(seq) FROM outbox") or 0)
    except SQLError:
        top = max(found.last_seq, 0)
    for start in range(found.last_acked_seq + 1, top + 1, _CHUNK):
        try:
            found.outbox += cdb.query(
                "SELECT * FROM outbox WHERE seq BETWEEN ? AND ? AND state IN"
                " ('queued', 'sending') ORDER BY seq",
                (start, start + _CHUNK - 1),
            )
        except SQLError:
            log.info("salvage: outbox rows %d-%d unreadable", start, start + _CHUNK - 1)


def read_what_we_can(path: Path, key: bytes) -> Salvaged:
    found = Salvaged()
    try:
        cdb = CacheDb(path, key)
    except (NotADatabase, SQLError):
        return found
    try:
        _read_state(cdb, found)
        _read_outbox(cdb, found)
    finally:
        cdb.close()
    return found


def seal_to_file(folder: Path, key: bytes, found: Salvaged) -> Path:
    """Keep the salvaged rows encrypted beside the cache (never in plain text)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"salvaged-{stamp}.bin"
    payload = json.dumps(found.__dict__).encode()
    target.write_bytes(crypto.seal_bytes(key, payload, context=CONTEXT))
    return target


def open_sealed(path: Path, key: bytes) -> Salvaged:
    data = json.loads(crypto.open_bytes(key, path.read_bytes(), context=CONTEXT))
    return Salvaged(**data)


def restore(cdb: CacheDb, found: Salvaged) -> None:
    """Put salvaged state and undelivered rows into a fresh, migrated cache."""
    if not found.client_id:
        # A new client id starts the server's sequence afresh: renumber gap-free from 1.
        found.outbox = [{**r, "seq": n} for n, r in enumerate(found.outbox, start=1)]
        found.last_seq = found.last_acked_seq = 0
    with cdb.atomic():
        if found.client_id:
            cdb.execute("UPDATE sync_state SET client_id = ? WHERE id = 1", (found.client_id,))
        top = max([found.last_seq, *(r["seq"] for r in found.outbox)])
        cdb.execute(
            "UPDATE sync_state SET last_seq = ?, last_acked_seq = ? WHERE id = 1",
            (top, found.last_acked_seq),
        )
        for row in found.outbox:
            columns = ", ".join(row)
            marks = ", ".join("?" * len(row))
            cdb.execute(f"INSERT INTO outbox ({columns}) VALUES ({marks})", tuple(row.values()))  # noqa: S608
