"""The duty manager's view of a team's field day, and overdue lone-working check-ins.

Each officer's visits today (the appointments their last sync shared) and their
lone-working check-ins: "going to this visit, back by 15:30" and "back safe", both
contacts queued on the laptop (`domain.rules.lone_working`). A "going" with no "back
safe" by the expected time plus a grace period is OVERDUE. The check runs on the
server's clock whenever the duty view is asked for (`fieldcase-central duty`, or
`GET /v1/duty/lone-working`), so it needs nothing from a laptop that has lost its signal;
a "back safe" that arrives later clears it.

Read from the change-feed records of the team's cases, filtered by date in the
database (`data->>'date'`, a JSON path both SQLite and PostgreSQL index-scan within
each case), so a team of eight officers reads a day's contacts, not their histories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from central.tables import cases, records, staff
from domain.calendar import LONDON
from domain.contacts import Contact
from domain.reference import reference
from domain.rules.lone_working import DEFAULT_GRACE, LONE_WORKING_TYPES, LoneCheck, lone_checks

CHUNK = 900


@dataclass(frozen=True, slots=True)
class DutyVisit:
    crn: str
    start: dt.time | None
    end: dt.time | None
    type_text: str
    outcome: str | None


@dataclass(frozen=True, slots=True)
class DutyCheck:
    crn: str
    set_off: dt.time
    expected_back: dt.time
    back_safe_at: dt.time | None
    overdue: bool
    overdue_since: dt.datetime | None


@dataclass(slots=True)
class OfficerDay:
    staff_code: str
    name: str
    visits: list[DutyVisit] = field(default_factory=list)
    checks: list[DutyCheck] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return any(c.overdue for c in self.checks)


@dataclass(frozen=True, slots=True)
class DutyReport:
    day: dt.date
    checked_at: dt.datetime  # the server's clock
    grace_minutes: int
    officers: list[OfficerDay]

    @property
    def overdue(self) -> list[tuple[OfficerDay, DutyCheck]]:
        return [(o, c) for o in self.officers for c in o.checks if c.overdue]

    def as_json(self) -> dict[str, Any]:
        """What the endpoint and `--json` answer: ids, times and states, no names of people
        on probation (the CRN is enough to open the case)."""
        return {
            "day": self.day.isoformat(),
            "checked_at": self.checked_at.isoformat(),
            "grace_minutes": self.grace_minutes,
            "overdue": len(self.overdue),
            "officers": [_officer_json(o) for o in self.officers],
        }


def _officer_json(o: OfficerDay) -> dict[str, Any]:
    def t(value: dt.time | None) -> str | None:
        return value.strftime("%H:%M") if value is not None else None

    return {
        "staff_code": o.staff_code,
        "name": o.name,
        "overdue": o.overdue,
        "visits": [
            {"crn": v.crn, "start": t(v.start), "end": t(v.end), "type": v.type_text,
             "outcome": v.outcome}
            for v in o.visits
        ],
        "checks": [
            {"crn": c.crn, "set_off": t(c.set_off), "expected_back": t(c.expected_back),
             "back_safe_at": t(c.back_safe_at), "overdue": c.overdue,
             "overdue_since": c.overdue_since.isoformat() if c.overdue_since else None}
            for c in o.checks
        ],
    }  # fmt: skip


def _officers(conn: Connection, team_code: str | None) -> dict[str, OfficerDay]:
    query = select(staff.c.code, staff.c.forename, staff.c.surname).order_by(staff.c.code)
    if team_code is not None:
        query = query.where(staff.c.team_code == team_code)
    return {
        code: OfficerDay(code, f"{forename} {surname}")
        for code, forename, surname in conn.execute(query)
    }


def _contacts(conn: Connection, codes: list[str], day: dt.date) -> list[Contact]:
    """The day's contacts on the officers' cases (allocated to them)."""
    crns = list(conn.execute(select(cases.c.crn).where(cases.c.staff_code.in_(codes))).scalars())
    found: list[Contact] = []
    for start in range(0, len(crns), CHUNK):
        query = select(records.c.data).where(
            records.c.crn.in_(crns[start : start + CHUNK]),
            records.c.kind == "contact",
            records.c.deleted.is_(False),
            records.c.data["date"].as_string() == day.isoformat(),
        )
        found += [Contact.model_validate(data) for data in conn.execute(query).scalars()]
    return found


def _check(check: LoneCheck, now: dt.datetime, grace: dt.timedelta) -> DutyCheck:
    overdue = check.overdue(now, grace)
    return DutyCheck(
        check.crn,
        check.set_off,
        check.expected_back,
        check.back_safe_at,
        overdue,
        check.due(grace) if overdue else None,
    )


def duty_report(
    conn: Connection,
    *,
    now: dt.datetime,
    team_code: str | None = None,
    grace: dt.timedelta = DEFAULT_GRACE,
) -> DutyReport:
    """Each officer's visits and check-ins today (London), judged at `now` (server time)."""
    london = now.astimezone(LONDON)
    officers = _officers(conn, team_code)
    contacts = _contacts(conn, list(officers), london.date()) if officers else []
    types = reference().contact_types
    for c in sorted(contacts, key=lambda c: (c.start_time is None, c.start_time)):
        officer = officers.get(c.staff_code or "")
        ctype = types.get(c.type_code)
        if officer is not None and ctype is not None and ctype.attendance:
            officer.visits.append(
                DutyVisit(c.crn, c.start_time, c.end_time, ctype.description, c.outcome_code)
            )
    lone = [c for c in contacts if c.type_code in LONE_WORKING_TYPES]
    for check in lone_checks(lone):
        if check.staff_code in officers:
            officers[check.staff_code].checks.append(_check(check, london, grace))
    minutes = int(grace.total_seconds() // 60)
    return DutyReport(london.date(), now, minutes, list(officers.values()))
