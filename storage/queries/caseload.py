"""The caseload: one row per held case with what an officer scans for first.

Set-based, so a page costs a handful of queries whatever its size: one picks the
page's CRNs in order (the next-appointment and last-contact expressions are only
evaluated for every case when the officer sorts by them), one reads the page's
dates and flags, and one each brings the page's registrations, events and the
contacts that can count towards compliance. Highest risk and compliance words still
come from the shared domain rules, run in memory over those rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from uuid import UUID

from domain.contacts import Contact
from domain.registrations import Registration
from domain.rules.compliance import compliance_summary
from domain.rules.risk import most_severe_colour, risk_badges
from domain.sentences import Event
from storage.db import CacheDb
from storage.queries import common
from storage.queries.rows import CaseloadItem, Page, RiskFlag

SortKey = Literal["name", "crn", "next_appointment", "last_contact", "tier"]

# The CRN last in every order: cases with equal names never swap between two pages.
# Names in the (surname, first_name) index's order, so the first page is an index walk,
# not a sort of every case (screens re-sort their rows case-insensitively).
_ORDER: dict[str, str] = {
    "name": "p.surname, p.first_name, p.crn",
    "crn": "p.crn",
    "tier": "p.tier, p.surname COLLATE NOCASE, p.crn",
    "next_appointment": "next_appointment IS NULL, next_appointment, p.surname COLLATE NOCASE,"
    " p.crn",
    "last_contact": "last_contact IS NULL, last_contact DESC, p.surname COLLATE NOCASE, p.crn",
}

# A case's next appointment: the contact_open_case index holds only open appointments.
_NEXT = """(SELECT min(c.date || 'T' || c.start_time) FROM contact c
    WHERE c.crn = p.crn AND c.outcome_code IS NULL AND c.start_time IS NOT NULL
      AND c.type_code IN ({marks}) AND c.date >= ? AND (c.date > ? OR c.start_time >= ?))"""
# A case's last contact: one seek into the (crn, date) index.
_LAST = "(SELECT max(c.date) FROM contact c WHERE c.crn = p.crn AND c.date <= ?)"
_FILTER = "p.search_text LIKE '%' || ? || '%'"


def _where(query: CaseloadQuery) -> tuple[str, list[Any]]:
    """No filter, no condition: SQLite then walks indexes instead of every person row."""
    return (f" WHERE {_FILTER}", [query.text]) if query.text else ("", [])


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    sort: SortKey = "name"
    text: str = ""
    offset: int = 0
    limit: int = 200


@dataclass(frozen=True, slots=True)
class _Clock:
    """Today and the local wall-clock time the cache's appointment times are in."""

    today: dt.date
    day: str
    time: str

    @classmethod
    def of(cls, today: dt.date, now: dt.datetime) -> _Clock:
        local = now.astimezone().replace(tzinfo=None) if now.tzinfo else now
        return cls(today, local.date().isoformat(), local.time().isoformat(timespec="seconds"))


def _next_expr(clock: _Clock) -> tuple[str, list[Any]]:
    appts = common.appointment_types()
    sql = _NEXT.format(marks=common.placeholders(appts))
    return sql, [*appts, clock.day, clock.day, clock.time]


def _last_expr(clock: _Clock) -> tuple[str, list[Any]]:
    return _LAST, [clock.today.isoformat()]


_DATED = {"next_appointment": _next_expr, "last_contact": _last_expr}


def _page_crns(cdb: CacheDb, query: CaseloadQuery, clock: _Clock) -> list[str]:
    """The page's CRNs in order; date expressions only evaluated when sorted by."""
    columns: list[str] = ["p.crn"]
    params: list[Any] = []
    if query.sort in _DATED:
        expression, params = _DATED[query.sort](clock)
        columns.append(f"{expression} AS {query.sort}")
    where, filter_params = _where(query)
    sql = (
        f"SELECT {', '.join(columns)} FROM person p JOIN held_case h ON h.crn = p.crn"  # noqa: S608
        f"{where} ORDER BY {_ORDER[query.sort]} LIMIT ? OFFSET ?"
    )
    rows = cdb.query(sql, [*params, *filter_params, query.limit, query.offset])
    return [r["crn"] for r in rows]


def _total(cdb: CacheDb, query: CaseloadQuery) -> int:
    where, params = _where(query)
    sql = f"SELECT count(*) AS n FROM held_case h JOIN person p ON p.crn = h.crn{where}"  # noqa: S608
    rows = cdb.query(sql, params)
    return int(rows[0]["n"])


def _facts(cdb: CacheDb, crns: str, clock: _Clock) -> dict[str, dict[str, Any]]:
    """Name, tier, next appointment, last contact and unsent changes of the page's cases."""
    next_sql, next_params = _next_expr(clock)
    last_sql, last_params = _last_expr(clock)
    sql = f"""
SELECT p.crn, p.first_name, p.surname, p.tier, {next_sql} AS next_appointment,
  {last_sql} AS last_contact, EXISTS (SELECT 1 FROM shadow s WHERE s.crn = p.crn) AS waiting
FROM person p WHERE p.crn IN (SELECT value FROM json_each(?))"""  # noqa: S608
    rows = cdb.query(sql, [*next_params, *last_params, crns])
    return {r["crn"]: r for r in rows}


def _by_case(cdb: CacheDb, sql: str, params: list[Any]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in cdb.query(sql, params):
        grouped[row["crn"]].append(row["data"])
    return grouped


def _main_events(cdb: CacheDb, crns: str) -> dict[str, Event]:
    """Each case's first active event (the one its compliance is shown for)."""
    rows = _by_case(
        cdb,
        "SELECT crn, data FROM event WHERE crn IN (SELECT value FROM json_each(?))"
        " ORDER BY crn, number",
        [crns],
    )
    mains: dict[str, Event] = {}
    for crn, datas in rows.items():
        for data in datas:
            event = Event.model_validate_json(data)
            if event.active:
                mains[crn] = event
                break
    return mains


def _counted_contacts(
    cdb: CacheDb, events: dict[str, Event], clock: _Clock
) -> dict[str, list[Contact]]:
    """Contacts of the main events that compliance can count: with an outcome, in the window.

    Built from the indexed columns without re-validating each stored JSON document (the
    cache only holds contacts that were validated on the way in): a page of busy cases
    has thousands of them, and this runs while the officer scrolls.
    """
    earliest = common.earliest_counted(clock.today)
    rows = cdb.query(
        "SELECT crn, id, type_code, date, start_time, event_id, outcome_code,"
        " json_extract(data, '$.attended') AS attended,"
        " json_extract(data, '$.complied') AS complied"
        " FROM contact WHERE crn IN (SELECT value FROM json_each(?))"
        " AND event_id IN (SELECT value FROM json_each(?)) AND outcome_code IS NOT NULL"
        " AND date >= ? AND date <= ?",
        [
            json.dumps(list(events)),
            json.dumps([str(e.id) for e in events.values()]),
            earliest.isoformat(),
            clock.today.isoformat(),
        ],
    )
    grouped: dict[str, list[Contact]] = defaultdict(list)
    for row in rows:
        grouped[row["crn"]].append(_counted(row))
    return grouped


@cache
def _blank_contact() -> Contact:
    """A valid contact whose copies carry every field's default (copying is ~30x cheaper
    than pydantic's model_construct, which works each default out again)."""
    return Contact(id=UUID(int=0), crn="X000000", type_code="COAP", date=dt.date(2000, 1, 1))


def _counted(row: dict[str, Any]) -> Contact:
    """The fields the compliance rules read (every other field keeps its default)."""
    return _blank_contact().model_copy(
        update={
            "id": UUID(row["id"]),
            "crn": row["crn"],
            "type_code": row["type_code"],
            "date": dt.date.fromisoformat(row["date"]),
            "start_time": common.time_or_none(row["start_time"]),
            "event_id": UUID(row["event_id"]),
            "outcome_code": row["outcome_code"],
            "attended": None if row["attended"] is None else bool(row["attended"]),
            "complied": None if row["complied"] is None else bool(row["complied"]),
        }
    )


def _risks(cdb: CacheDb, crns: str, today: dt.date) -> dict[str, RiskFlag]:
    rows = _by_case(
        cdb,
        "SELECT crn, data FROM registration WHERE crn IN (SELECT value FROM json_each(?))",
        [crns],
    )
    risks: dict[str, RiskFlag] = {}
    for crn, datas in rows.items():
        badges = risk_badges([Registration.model_validate_json(d) for d in datas], today=today)
        if badges:
            first = badges[0]
            # MAPPA beside the highest risk: a MAPPA level 2 person showed only "High RoSH".
            mappa = next((b for b in badges[1:] if b.group == "mappa"), None)
            text = f"{first.text} · {mappa.text.split(',')[0]}" if mappa else first.text
            shown = [first] if mappa is None else [first, mappa]
            risks[crn] = RiskFlag(text, most_severe_colour(b.colour for b in shown), first.group)
    return risks


def case_events(cdb: CacheDb, crn: str) -> list[dict[str, Any]]:
    return cdb.query("SELECT data FROM event WHERE crn = ? ORDER BY number", (crn,))


def caseload(
    cdb: CacheDb, query: CaseloadQuery, *, today: dt.date, now: dt.datetime
) -> Page[CaseloadItem]:
    """One sorted, filtered page of the caseload (`now` local, or aware and converted)."""
    clock = _Clock.of(today, now)
    order = _page_crns(cdb, query, clock)
    if not order:
        return Page((), query.offset, _total(cdb, query) if query.offset else 0)
    items = _items(cdb, order, clock)
    total = _total(cdb, query) if query.offset or len(order) == query.limit else len(order)
    return Page(tuple(items), query.offset, total)


def caseload_rows(
    cdb: CacheDb, crns: Iterable[str], *, today: dt.date, now: dt.datetime
) -> list[CaseloadItem]:
    """The caseload rows of just these cases (those held; a CRN not held has no row), in
    CRN order: what a sync or a save changed, read with the same few set-based queries
    as a page whatever the number of cases, so a refresh costs what changed."""
    clock = _Clock.of(today, now)
    wanted = json.dumps(sorted(set(crns)))
    held = cdb.query(
        "SELECT h.crn FROM held_case h JOIN person p ON p.crn = h.crn"
        " WHERE h.crn IN (SELECT value FROM json_each(?)) ORDER BY h.crn",
        [wanted],
    )
    order = [r["crn"] for r in held]
    return _items(cdb, order, clock) if order else []


def _items(cdb: CacheDb, order: list[str], clock: _Clock) -> list[CaseloadItem]:
    """The rows of these held cases, in this order."""
    today = clock.today
    crns = json.dumps(order)
    facts = _facts(cdb, crns, clock)
    events = _main_events(cdb, crns)
    contacts = _counted_contacts(cdb, events, clock)
    risks = _risks(cdb, crns, today)
    items = []
    for crn in order:
        row, event = facts[crn], events.get(crn)
        compliance = ""
        if event is not None:
            compliance = compliance_summary(event, contacts.get(crn, []), today=today).status
        next_at = row["next_appointment"]
        items.append(
            CaseloadItem(
                crn=crn,
                name=f"{row['first_name']} {row['surname']}",
                tier=row["tier"] or "",
                risk=risks.get(crn),
                sentence=common.sentence_text(event),
                next_appointment=dt.datetime.fromisoformat(next_at) if next_at else None,
                last_contact=common.date_or_none(row["last_contact"]),
                compliance=compliance,
                waiting_to_send=bool(row["waiting"]),
            )
        )
    return items
