"""The alerts inbox: alert contacts not yet cleared, on the cases the officer manages.

"Manages" is read from each case's person record (its current offender manager), so
after a transfer the alerts of a case are the new manager's without anything moving,
and the old manager's laptop no longer lists them (the case leaves it anyway).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storage.db import CacheDb
from storage.queries import common

# Its WHERE terms are the partial index `contact_open_alert`'s (migration m016), so only
# open alerts are read, however many contacts the cache holds.
_OPEN = (
    " FROM contact c JOIN person p ON p.crn = c.crn"
    " WHERE json_extract(c.data, '$.alert') = 1"
    " AND json_extract(c.data, '$.alert_cleared_at') IS NULL AND p.staff_code = ?"
)


@dataclass(frozen=True, slots=True)
class AlertItem:
    contact_id: str
    crn: str
    name: str
    date: dt.date
    type_text: str
    notes: str
    recorded_by: str  # the staff code of whoever recorded it
    waiting_to_send: bool


def _item(row: dict[str, Any]) -> AlertItem:
    data = common.loads(row["data"])
    return AlertItem(
        contact_id=data["id"],
        crn=data["crn"],
        name=f"{row['first_name'] or ''} {row['surname'] or ''}".strip(),
        date=dt.date.fromisoformat(data["date"]),
        type_text=common.type_text(data["type_code"]),
        notes=data.get("notes", ""),
        recorded_by=data.get("staff_code") or "",
        waiting_to_send=bool(row["pending"]),
    )


def open_alerts(cdb: CacheDb, staff_code: str | None, *, limit: int = 500) -> list[AlertItem]:
    """Newest first."""
    if not staff_code:
        return []
    sql = (
        "SELECT c.data, c.pending, p.first_name, p.surname"
        + _OPEN
        + " ORDER BY c.date DESC, c.seq DESC LIMIT ?"
    )
    return [_item(r) for r in cdb.query(sql, [staff_code, limit])]


def open_alert_count(cdb: CacheDb, staff_code: str | None) -> int:
    """What the navigation item shows."""
    if not staff_code:
        return 0
    return int(cdb.one("SELECT count(*)" + _OPEN, [staff_code]) or 0)
