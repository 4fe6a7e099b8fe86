"""Whether the outbox is stuck: the same oldest waiting change failing sync after sync.

One row at most, kept across restarts (`m009`). A sync whose push fails with the
queue head where it was counts one more; a push that goes through (or a new head)
starts again. Offline syncs are not counted by the engine: a laptop on a train is
not stuck. Only seqs and times are stored, never what the change holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.db import CacheDb


@dataclass(frozen=True, slots=True)
class PushHealth:
    head_seq: int
    failures: int
    first_failed_at: dt.datetime


def failed(cdb: CacheDb, head_seq: int, *, now: dt.datetime) -> int:
    """One more failed push with `head_seq` first in the queue; how many in a row now."""
    at = now.isoformat()
    with cdb.atomic():
        cdb.execute(
            "INSERT INTO push_health (id, head_seq, failures, first_failed_at, last_failed_at)"
            " VALUES (1, ?, 1, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " failures = CASE WHEN head_seq = excluded.head_seq THEN failures + 1 ELSE 1 END,"
            " first_failed_at = CASE WHEN head_seq = excluded.head_seq"
            " THEN first_failed_at ELSE excluded.first_failed_at END,"
            " head_seq = excluded.head_seq, last_failed_at = excluded.last_failed_at",
            (head_seq, at, at),
        )
        count: int = cdb.one("SELECT failures FROM push_health WHERE id = 1")
    return count


def went_through(cdb: CacheDb) -> None:
    """The push delivered the head (or there was nothing to send): not stuck."""
    if cdb.one("SELECT 1 FROM push_health") is not None:
        with cdb.atomic():
            cdb.execute("DELETE FROM push_health")


def read(cdb: CacheDb) -> PushHealth | None:
    rows = cdb.query("SELECT head_seq, failures, first_failed_at FROM push_health WHERE id = 1")
    if not rows:
        return None
    row = rows[0]
    return PushHealth(
        row["head_seq"], row["failures"], dt.datetime.fromisoformat(row["first_failed_at"])
    )
