"""The case overview: what the case view shows on opening (contacts page separately).

Risk flags, compliance and requirement progress come from the shared domain rules so
the laptop and the server describe a case in the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.contacts import Contact
from domain.people import Address, Person
from domain.reference import reference
from domain.rules.compliance import compliance_summary
from domain.rules.progress import rar_progress, unpaid_work_progress
from domain.rules.risk import risk_badges
from domain.sentences import Event, Requirement
from storage import outbox
from storage.db import CacheDb
from storage.queries import common
from storage.queries.contacts import ContactQuery, contact_page
from storage.queries.rows import ContactItem, RiskFlag


@dataclass(frozen=True, slots=True)
class EventSummary:
    event_id: str
    number: int
    offence: str
    sentence: str
    start_date: dt.date | None
    expected_end: dt.date | None
    compliance: str
    requirements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CaseOverview:
    person: Person
    main_address: Address | None
    risks: tuple[RiskFlag, ...]
    events: tuple[EventSummary, ...]
    next_appointment: ContactItem | None
    recent_contacts: tuple[ContactItem, ...]
    waiting_to_send: int


def _requirement_text(req: Requirement, contacts: list[Contact], today: dt.date) -> str:
    if req.category_code == "F":
        return rar_progress(req, contacts, today=today).text
    if req.category_code == "W":
        return unpaid_work_progress(req, contacts).text
    found = reference().requirement_categories.get(req.category_code)
    return found.description if found else req.category_code


def _event_summary(
    event: Event, reqs: list[Requirement], contacts: list[Contact], today: dt.date
) -> EventSummary:
    sentence = event.sentence
    return EventSummary(
        event_id=str(event.id),
        number=event.number,
        offence=event.main_offence,
        sentence=common.sentence_text(event),
        start_date=sentence.start_date if sentence else None,
        expected_end=sentence.expected_end_date if sentence else None,
        compliance=compliance_summary(event, contacts, today=today).status,
        requirements=tuple(
            _requirement_text(r, contacts, today) for r in reqs if r.event_id == event.id
        ),
    )


def _next_appointment(cdb: CacheDb, crn: str, today: dt.date) -> ContactItem | None:
    upcoming = ContactQuery(appointments_only=True, date_from=today)
    rows = contact_page(cdb, crn, upcoming, limit=500).rows
    open_ones = [r for r in rows if r.outcome_code is None]
    return open_ones[-1] if open_ones else None  # the page is newest first


def case_overview(cdb: CacheDb, crn: str, *, today: dt.date) -> CaseOverview | None:
    row = cdb.query("SELECT data FROM person WHERE crn = ?", (crn,))
    if not row:
        return None
    person = Person.model_validate_json(row[0]["data"])
    addresses = [
        Address.model_validate_json(r["data"])
        for r in cdb.query("SELECT data FROM address WHERE crn = ? AND status = 'main'", (crn,))
    ]
    # What compliance and requirement progress read: a long case's older contacts count
    # towards neither (so are not parsed), unless linked to a requirement.
    contacts = common.contacts(
        cdb.query(
            "SELECT data FROM contact WHERE crn = ? AND (requirement_id IS NOT NULL"
            " OR (outcome_code IS NOT NULL AND date >= ?))",
            (crn, common.earliest_counted(today).isoformat()),
        )
    )
    reqs = [
        Requirement.model_validate_json(r["data"])
        for r in cdb.query("SELECT data FROM requirement WHERE crn = ?", (crn,))
    ]
    events = common.events(
        cdb.query("SELECT data FROM event WHERE crn = ? ORDER BY number", (crn,))
    )
    regs = common.registrations(cdb.query("SELECT data FROM registration WHERE crn = ?", (crn,)))
    return CaseOverview(
        person=person,
        main_address=addresses[0] if addresses else None,
        risks=tuple(RiskFlag(b.text, b.colour, b.group) for b in risk_badges(regs, today=today)),
        events=tuple(_event_summary(e, reqs, contacts, today) for e in events if e.active),
        next_appointment=_next_appointment(cdb, crn, today),
        recent_contacts=contact_page(cdb, crn, ContactQuery(date_to=today), limit=5).rows,
        waiting_to_send=outbox.changes_waiting(cdb, crn),
    )
