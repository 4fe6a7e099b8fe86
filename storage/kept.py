"""Cases kept on this laptop from outside the caseload, lapsing on the laptop's own clock.

The central service lapses a keep by its policy and evicts the case at the next pull.
A laptop that stays offline never pulls, so it keeps its own record of each keep
(`kept_case`, written with the keep) and lapses it itself: the case is evicted from
the cache, search index included, and an `unpin_case` is queued so the service
forgets the keep too. `KEEP_DAYS` is the laptop's bound; a region's policy may be
shorter, and the service's is the one that decides what the laptop may receive.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from storage.db import CacheDb

if TYPE_CHECKING:
    from domain.actor import Actor

KEEP_DAYS = 14


def record(cdb: CacheDb, crn: str, reason: str, reason_text: str, until: dt.datetime) -> None:
    """Note a keep and when it lapses (call inside the keep's own transaction)."""
    cdb.execute(
        "INSERT INTO kept_case (crn, reason, reason_text, kept_until) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (crn) DO UPDATE SET reason = excluded.reason,"
        " reason_text = excluded.reason_text, kept_until = excluded.kept_until",
        (crn, reason, reason_text, until.astimezone(dt.UTC).isoformat()),
    )


def lapsed(cdb: CacheDb, now: dt.datetime) -> list[str]:
    rows = cdb.query(
        "SELECT crn FROM kept_case WHERE kept_until <= ? ORDER BY crn",
        (now.astimezone(dt.UTC).isoformat(),),
    )
    return [r["crn"] for r in rows]


def lapse(cdb: CacheDb, *, actor: Actor, now: dt.datetime) -> list[str]:
    """Evict every keep that has lapsed by `now` and queue its unpin; the CRNs gone."""
    gone = lapsed(cdb, now)
    if not gone:
        return []
    # Loaded only when a keep lapsed: unlock must not pull in the write paths.
    from storage import pulled
    from storage.write import apply_local_mutation

    with cdb.atomic():
        for crn in gone:
            apply_local_mutation(
                cdb, "unpin_case", {"crn": crn}, actor=actor, today=now.date(), now=now
            )
            cdb.execute("DELETE FROM kept_case WHERE crn = ?", (crn,))
        pulled.evict(cdb, gone)
    return gone
