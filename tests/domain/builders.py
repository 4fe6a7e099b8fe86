"""Small builders for synthetic domain records, so each test states only what matters."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

from domain.contacts import Contact
from domain.registrations import Registration
from domain.sentences import Event, Requirement, Sentence

CRN = "X320741"
EVENT_ID = UUID("00000000-0000-4000-8000-000000000001")


def event(
    *,
    start: dt.date = dt.date(2025, 1, 6),
    type_code: str = "ORA-CO",
    breach_in_progress: bool = False,
    last_breach_end: dt.date | None = None,
    event_id: UUID = EVENT_ID,
) -> Event:
    return Event(
        id=event_id,
        crn=CRN,
        number=1,
        main_offence="Theft from a shop",
        sentence=Sentence(type_code=type_code, length=24, start_date=start),
        breach_in_progress=breach_in_progress,
        last_breach_end=last_breach_end,
    )


def contact(day: dt.date, outcome: str | None = None, **fields: Any) -> Contact:
    """An appointment (COAP by default) on the event, with `outcome` if given."""
    values: dict[str, Any] = {
        "id": uuid4(),
        "crn": CRN,
        "type_code": "COAP",
        "date": day,
        "start_time": dt.time(10, 0),
        "end_time": dt.time(10, 30),
        "event_id": EVENT_ID,
        "outcome_code": outcome,
    }
    values.update(fields)
    return Contact(**values)


def requirement(category: str, length: int) -> Requirement:
    return Requirement(
        id=uuid4(), crn=CRN, event_id=EVENT_ID, category_code=category, length=length
    )


def registration(type_code: str, **fields: Any) -> Registration:
    values: dict[str, Any] = {
        "id": uuid4(),
        "crn": CRN,
        "type_code": type_code,
        "registered_on": dt.date(2025, 3, 1),
    }
    values.update(fields)
    return Registration(**values)
