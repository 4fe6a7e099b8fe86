"""Sync state: this laptop's client id, the pull cursor and the sequence counters.

One row. `last_seq` is the last outbox number handed out (never reused, even after
rows are pruned); `last_acked_seq` the server's last applied one from push;
`pulled_applied_seq` the one the last pulled page already includes;
`pull_from_scratch` whether a pull that started with no cursor is part-way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from storage.db import CacheDb


@dataclass(frozen=True, slots=True)
class SyncState:
    client_id: uuid.UUID
    cursor: str | None
    last_seq: int
    last_acked_seq: int
    pulled_applied_seq: int
    last_success: dt.datetime | None
    last_error: str | None
    pull_from_scratch: bool = False


def ensure(cdb: CacheDb, client_id: uuid.UUID | None = None) -> None:
    """Create the row with a new client id if it is missing."""
    cdb.execute(
        "INSERT OR IGNORE INTO sync_state (id, client_id) VALUES (1, ?)",
        (str(client_id or uuid.uuid4()),),
    )


def read(cdb: CacheDb) -> SyncState:
    row = cdb.query("SELECT * FROM sync_state WHERE id = 1")[0]
    success = row["last_success"]
    return SyncState(
        client_id=uuid.UUID(row["client_id"]),
        cursor=row["cursor"],
        last_seq=row["last_seq"],
        last_acked_seq=row["last_acked_seq"],
        pulled_applied_seq=row["pulled_applied_seq"],
        last_success=dt.datetime.fromisoformat(success) if success else None,
        last_error=row["last_error"],
        pull_from_scratch=bool(row["pull_from_scratch"]),
    )


def update(cdb: CacheDb, **values: Any) -> None:
    allowed = {"cursor", "last_seq", "last_acked_seq", "pulled_applied_seq"}
    allowed |= {"last_success", "last_error", "pull_from_scratch"}
    if not values or not set(values) <= allowed:
        raise ValueError(f"unknown sync state fields: {sorted(set(values) - allowed)}")
    assignments = ", ".join(f"{name} = ?" for name in values)
    cdb.execute(f"UPDATE sync_state SET {assignments} WHERE id = 1", tuple(values.values()))  # noqa: S608


def next_seq(cdb: CacheDb) -> int:
    """Hand out the next outbox number (inside the caller's write transaction)."""
    seq: int = cdb.one(
        "UPDATE sync_state SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq"
    )
    return seq
