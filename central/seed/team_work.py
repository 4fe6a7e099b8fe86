"""Team work in the demo data: a colleague on leave whose cases another officer covers,
and alerts on every officer's cases, so the team caseload, cover and the alerts inbox
have something to show.

Written after the caseloads, without drawing on the seed's random stream (so turning it
on changes nothing else): the choices follow from the order of officers and cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import Connection, select, update

from central.seed.organisation import Officer, Organisation
from central.tables import cover_cases, covers, records

_IDS = uuid5(NAMESPACE_URL, "https://fieldcase.invalid/seed-team-work")
COVER_DAYS = 3
ALERTS_PER_OFFICER = 2
ALERT_TYPES = frozenset({"CTOA", "CT3B", "C326"})  # calls and internal messages
ALERT_NOTES = (
    "ALERT: police called to the address last night; check in today.",
    "ALERT: partner agency reports a missed medication collection.",
)


def _visible(
    crn: str, username: str, exclusions: dict[str, list[str]], restricted: dict[str, list[str]]
) -> bool:
    if username in exclusions.get(crn, []):
        return False
    named = restricted.get(crn)
    return named is None or username in named


def _teams(org: Organisation) -> dict[str, list[Officer]]:
    found: dict[str, list[Officer]] = defaultdict(list)
    for officer in org.officers:
        found[officer.team_code].append(officer)
    return found


def write_covers(
    conn: Connection,
    org: Organisation,
    caseloads: dict[str, list[str]],
    access: tuple[dict[str, list[str]], dict[str, list[str]]],
    now: dt.datetime,
) -> int:
    """In each team of three or more, its first officer (the demo's) covers its last."""
    made = 0
    for team_code, members in sorted(_teams(org).items()):
        if len(members) < 3:
            continue
        covering, away = members[0], members[-1]
        crns = [
            c for c in caseloads.get(away.username, []) if _visible(c, covering.username, *access)
        ]
        cover_id = str(uuid5(_IDS, f"cover/{team_code}"))
        conn.execute(
            covers.insert().values(
                id=cover_id,
                username=covering.username,
                staff_code=away.staff_code,
                starts_at=now,
                ends_at=now + dt.timedelta(days=COVER_DAYS),
                reason="Annual leave",
                visits_only=False,
                created_at=now,
            )
        )
        if crns:
            conn.execute(cover_cases.insert(), [{"cover_id": cover_id, "crn": c} for c in crns])
        made += 1
    return made


def _latest_call(conn: Connection, crn: str) -> tuple[str, dict[str, Any]] | None:
    rows = conn.execute(
        select(records.c.id, records.c.data).where(
            records.c.crn == crn, records.c.kind == "contact"
        )
    ).all()
    calls = [
        (r.id, dict(r.data)) for r in rows if r.data and r.data.get("type_code") in ALERT_TYPES
    ]
    return max(calls, key=lambda item: (item[1]["date"], item[0]), default=None)


def write_alerts(conn: Connection, org: Organisation, caseloads: dict[str, list[str]]) -> int:
    """Flag the latest call on each officer's first cases as an alert, not yet read."""
    made = 0
    for officer in org.officers:
        for n, crn in enumerate(caseloads.get(officer.username, [])[:ALERTS_PER_OFFICER]):
            found = _latest_call(conn, crn)
            if found is None:
                continue
            record_id, data = found
            data.update(alert=True, notes=ALERT_NOTES[n % len(ALERT_NOTES)])
            conn.execute(update(records).where(records.c.id == record_id).values(data=data))
            made += 1
    return made
