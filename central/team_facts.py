"""What the team caseload shows of each case, worked out from its records.

Read set-based (one query per record kind for the whole team) and turned into domain
entities only where the rules need them: contacts become lightweight copies carrying
just the fields the compliance rules read, as the laptop's caseload query does
(`storage/queries/caseload.py`), because a 300-case team has thousands of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, select

from central.tables import records
from domain.contacts import Contact
from domain.reference import reference
from domain.registrations import Registration
from domain.rules.compliance import CompliancePicture, compliance_picture
from domain.rules.risk import highest_risk
from domain.sentences import Event
from sync.protocol import ComplianceCounts


@dataclass
class CaseFacts:
    """One case's rows, as read."""

    person: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    alerts: int = 0
    next_appointment: tuple[dt.date, dt.time | None, str] | None = None


def earliest_counted(today: dt.date) -> dt.date:
    """The first day any sentence type's compliance window can reach back to."""
    months = max((t.ftc_window_months for t in reference().sentence_types.values()), default=12)
    start: dt.date = today - relativedelta(months=months)
    return start


@cache
def _blank() -> Contact:
    return Contact(id=UUID(int=0), crn="X000000", type_code="COAP", date=dt.date(2000, 1, 1))


def _time(value: Any) -> dt.time | None:
    return dt.time.fromisoformat(value) if isinstance(value, str) and value else None


_FIELDS = (
    "id", "crn", "type_code", "date", "start_time", "event_id", "outcome_code",
    "enforcement_code", "alert_cleared_at",
)  # fmt: skip
_FLAGS = ("attended", "complied", "alert")


def _contact(row: Any) -> Contact:
    """The fields compliance reads (stored records were validated on the way in)."""
    return _blank().model_copy(
        update={
            "id": UUID(row.id),
            "crn": row.crn,
            "type_code": row.type_code,
            "date": dt.date.fromisoformat(row.date),
            "start_time": _time(row.start_time),
            "event_id": UUID(row.event_id) if row.event_id else None,
            "outcome_code": row.outcome_code,
            "attended": row.attended,
            "complied": row.complied,
            "enforcement_code": row.enforcement_code,
        }
    )


def _note_contact(facts: CaseFacts, row: Any, today: dt.date) -> None:
    if row.alert and not row.alert_cleared_at:
        facts.alerts += 1
    ctype = reference().contact_types.get(row.type_code)
    day = dt.date.fromisoformat(row.date)
    if ctype is not None and ctype.attendance and day >= today and not row.outcome_code:
        moment = (day, _time(row.start_time), ctype.description)
        current = facts.next_appointment
        if current is None or (moment[0], moment[1] or dt.time()) < (
            current[0],
            current[1] or dt.time(),
        ):
            facts.next_appointment = moment
    if day <= today:
        facts.contacts.append(_contact(row))


def _contact_columns() -> list[Any]:
    """The contact fields as columns read out of the JSON by the database: the notes
    (most of a contact's bytes) are never fetched or parsed."""
    data = records.c.data
    texts = [data[name].as_string().label(name) for name in _FIELDS if name not in ("id", "crn")]
    flags = [data[name].as_boolean().label(name) for name in _FLAGS]
    return [records.c.id, records.c.crn, *texts, *flags]


def read_facts(conn: Connection, crns: list[str], today: dt.date) -> dict[str, CaseFacts]:
    """Person, events, registrations and recent contacts of these cases."""
    facts: dict[str, CaseFacts] = defaultdict(CaseFacts)
    if not crns:
        return facts
    live = (records.c.crn.in_(crns), records.c.deleted.is_(False))
    kinds = ("person", "event", "registration")
    for kind, crn, data in conn.execute(
        select(records.c.kind, records.c.crn, records.c.data).where(
            *live, records.c.kind.in_(kinds)
        )
    ):
        if kind == "person":
            facts[crn].person = data
        elif kind == "event":
            facts[crn].events.append(Event.model_validate(data))
        else:
            facts[crn].registrations.append(Registration.model_validate(data))
    day = records.c.data["date"].as_string()
    for row in conn.execute(
        select(*_contact_columns()).where(
            *live, records.c.kind == "contact", day >= earliest_counted(today).isoformat()
        )
    ):
        _note_contact(facts[row.crn], row, today)
    return facts


def worst_picture(facts: CaseFacts, today: dt.date) -> CompliancePicture | None:
    """The picture of the case's active sentence needing action most."""
    pictures = [
        compliance_picture(event, facts.contacts, today=today)
        for event in facts.events
        if event.active and event.sentence is not None
    ]
    return max(pictures, key=lambda p: p.action_score, default=None)


def counts(picture: CompliancePicture) -> ComplianceCounts:
    """The picture on the wire (a contract of its own: the domain class may grow)."""
    return ComplianceCounts(**asdict(picture))


def risk_text(registrations: Iterable[Registration]) -> str | None:
    found = highest_risk(registrations)
    return found.description if found is not None else None
