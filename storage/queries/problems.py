"""What needs the officer's attention: conflicts and rejections, and what waits to send."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from storage import outbox
from storage.db import CacheDb
from storage.queries.rows import ConflictItem, RejectionItem


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def open_conflicts(cdb: CacheDb) -> list[ConflictItem]:
    rows = cdb.query("SELECT * FROM conflict WHERE resolved_at IS NULL ORDER BY created_at, seq")
    return [
        ConflictItem(
            id=r["id"],
            seq=r["seq"],
            crn=r["crn"],
            name=r["name"],
            args=json.loads(r["args"]),
            fields=tuple(json.loads(r["fields"])),
            created_at=_at(r["created_at"]),
        )
        for r in rows
    ]


def open_rejections(cdb: CacheDb) -> list[RejectionItem]:
    rows = cdb.query("SELECT * FROM rejection WHERE dismissed_at IS NULL ORDER BY created_at, seq")
    return [
        RejectionItem(
            id=r["id"],
            seq=r["seq"],
            crn=r["crn"],
            name=r["name"],
            args=json.loads(r["args"]),
            code=r["code"],
            message=r["message"],
            created_at=_at(r["created_at"]),
        )
        for r in rows
    ]


def close_conflict(cdb: CacheDb, conflict_id: str, *, at: dt.datetime) -> None:
    """Mark resolved (call inside the transaction that queues the officer's choice)."""
    cdb.execute("UPDATE conflict SET resolved_at = ? WHERE id = ?", (at.isoformat(), conflict_id))


def dismiss_rejection(cdb: CacheDb, rejection_id: str, *, at: dt.datetime) -> None:
    cdb.execute(
        "UPDATE rejection SET dismissed_at = ? WHERE id = ?", (at.isoformat(), rejection_id)
    )


def waiting_cases(cdb: CacheDb) -> set[str]:
    """Cases with changes not yet confirmed by the server (the "waiting to send" marker)."""
    return {r["crn"] for r in cdb.query("SELECT DISTINCT crn FROM shadow")}


def counts(cdb: CacheDb) -> dict[str, Any]:
    """Status bar numbers: held cases, open conflicts, open rejections, unsent changes."""
    return {
        "cases": cdb.one("SELECT count(*) FROM held_case"),
        "conflicts": cdb.one("SELECT count(*) FROM conflict WHERE resolved_at IS NULL"),
        "rejections": cdb.one("SELECT count(*) FROM rejection WHERE dismissed_at IS NULL"),
        "pending": outbox.pending_count(cdb),
        "changes_waiting": outbox.changes_waiting(cdb),
    }
