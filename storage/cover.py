"""Cover for a colleague on this laptop: the covers it holds, and letting them go.

The server says which cases a cover brings (the pull downloads them); this table keeps
each cover's period and cases so the laptop evicts them itself, search index and drafts
included, the moment the period ends by its own clock, even if it never reconnects.
A case stays when something else still keeps it here: it is the officer's own (a
transfer during the cover), it is pinned, or another running cover brings it too. Work
queued on an evicted case stays queued: the server accepts it for a grace period after
the cover (central/sync/cover.py), so nothing recorded during the cover is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.db import CacheDb

if TYPE_CHECKING:  # the pull writer loads with the sync stack, not for the caseload
    from storage.pulled import Applied

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CoverItem:
    id: str
    staff_code: str
    colleague: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    visits_only: bool
    crns: tuple[str, ...]
    ended_at: dt.datetime | None = None

    def running(self, now: dt.datetime) -> bool:
        """Not ended and not run out. Its start is the server's to judge (the cases only
        arrive once it has begun), so a laptop clock a little behind changes nothing."""
        return self.ended_at is None and now < self.ends_at


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def save_cover(cdb: CacheDb, cover: CoverItem) -> None:
    """Keep (or update) a cover as the server answered it."""
    with cdb.atomic():
        cdb.execute(
            "INSERT INTO cover (id, staff_code, colleague, starts_at, ends_at, reason,"
            " visits_only, crns, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET ends_at = excluded.ends_at,"
            " crns = excluded.crns, ended_at = excluded.ended_at",
            (
                cover.id,
                cover.staff_code,
                cover.colleague,
                _utc(cover.starts_at),
                _utc(cover.ends_at),
                cover.reason,
                int(cover.visits_only),
                json.dumps(sorted(cover.crns)),
                _utc(cover.ended_at) if cover.ended_at else None,
            ),
        )


def _item(row: dict[str, object]) -> CoverItem:
    ended = row["ended_at"]
    return CoverItem(
        id=str(row["id"]),
        staff_code=str(row["staff_code"]),
        colleague=str(row["colleague"]),
        starts_at=dt.datetime.fromisoformat(str(row["starts_at"])),
        ends_at=dt.datetime.fromisoformat(str(row["ends_at"])),
        reason=str(row["reason"]),
        visits_only=bool(row["visits_only"]),
        crns=tuple(json.loads(str(row["crns"]))),
        ended_at=dt.datetime.fromisoformat(str(ended)) if ended else None,
    )


def covers(cdb: CacheDb) -> list[CoverItem]:
    """Every cover this laptop holds, soonest ending first."""
    return [_item(r) for r in cdb.query("SELECT * FROM cover ORDER BY ends_at, id")]


def covered_crns(cdb: CacheDb, now: dt.datetime) -> frozenset[str]:
    """The cases held here because of a running cover (what Today and the diary mark)."""
    return frozenset(c for cover in covers(cdb) if cover.running(now) for c in cover.crns)


def _kept_otherwise(cdb: CacheDb, crns: Iterable[str], staff_code: str | None) -> set[str]:
    """Of these cases, those held for another reason: own caseload or pinned."""
    rows = cdb.query(
        "SELECT h.crn FROM held_case h LEFT JOIN person p ON p.crn = h.crn"
        " WHERE h.crn IN (SELECT value FROM json_each(?))"
        " AND (h.pinned = 1 OR (p.staff_code IS NOT NULL AND p.staff_code = ?))",
        [json.dumps(sorted(set(crns))), staff_code or ""],
    )
    return {r["crn"] for r in rows}


def expire_covers(cdb: CacheDb, now: dt.datetime, *, staff_code: str | None) -> Applied | None:
    """Evict the cases of every cover that has ended or run out by `now` (this laptop's
    clock), then forget those covers; one transaction. None: no cover was over."""
    held = covers(cdb)
    over = [c for c in held if not c.running(now)]
    if not over:
        return None
    from storage.pulled import evict

    running = {crn for c in held if c.running(now) for crn in c.crns}
    leaving = {crn for c in over for crn in c.crns} - running
    with cdb.atomic():
        leaving -= _kept_otherwise(cdb, leaving, staff_code)
        applied = evict(cdb, leaving)
        cdb.execute(
            "DELETE FROM cover WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps([c.id for c in over])],
        )
    log.info("cover ended: %d cover(s), %d case(s) evicted", len(over), len(leaving))
    return applied
