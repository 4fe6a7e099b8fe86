"""Unfinished forms kept in the encrypted cache, so a crash or a lock loses nothing.

A draft is local to this laptop and never synced: it is what the officer typed, as
JSON, under one key per form kind, case and (for forms about one contact) contact.
Saving replaces the previous draft of that key; saving the form itself discards it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from storage.db import CacheDb


@dataclass(frozen=True, slots=True)
class DraftRow:
    key: str
    kind: str
    crn: str
    contact_id: str
    data: dict[str, Any]
    saved_at: dt.datetime


def draft_key(kind: str, crn: str, contact_id: str = "") -> str:
    return f"{kind}/{crn}/{contact_id}"


def save(
    cdb: CacheDb,
    kind: str,
    crn: str,
    contact_id: str,
    data: dict[str, Any],
    *,
    at: dt.datetime,
) -> None:
    """Keep (or replace) the draft of one form; `data` must be plain JSON."""
    with cdb.atomic():
        cdb.execute(
            "INSERT INTO draft (key, kind, crn, contact_id, data, saved_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
            " data = excluded.data, saved_at = excluded.saved_at",
            (
                draft_key(kind, crn, contact_id),
                kind,
                crn,
                contact_id,
                json.dumps(data),
                at.isoformat(),
            ),
        )


def load(cdb: CacheDb, kind: str, crn: str, contact_id: str = "") -> DraftRow | None:
    rows = cdb.query("SELECT * FROM draft WHERE key = ?", (draft_key(kind, crn, contact_id),))
    return _row(rows[0]) if rows else None


def discard(cdb: CacheDb, kind: str, crn: str, contact_id: str = "") -> None:
    with cdb.atomic():
        cdb.execute("DELETE FROM draft WHERE key = ?", (draft_key(kind, crn, contact_id),))


def for_case(cdb: CacheDb, crn: str) -> list[DraftRow]:
    """Every draft of one case, newest first (e.g. to list or to drop on eviction)."""
    rows = cdb.query("SELECT * FROM draft WHERE crn = ? ORDER BY saved_at DESC", (crn,))
    return [_row(r) for r in rows]


def every(cdb: CacheDb) -> list[DraftRow]:
    """Every unsaved draft on this laptop, newest first (listed under Needs your attention)."""
    return [_row(r) for r in cdb.query("SELECT * FROM draft ORDER BY saved_at DESC")]


def discard_case(cdb: CacheDb, crn: str) -> int:
    """Drop a case's drafts (the case left the laptop); returns how many."""
    with cdb.atomic():
        return int(cdb.execute("DELETE FROM draft WHERE crn = ?", (crn,)).rowcount)


def _row(row: dict[str, Any]) -> DraftRow:
    return DraftRow(
        key=row["key"],
        kind=row["kind"],
        crn=row["crn"],
        contact_id=row["contact_id"],
        data=json.loads(row["data"]),
        saved_at=dt.datetime.fromisoformat(row["saved_at"]),
    )
