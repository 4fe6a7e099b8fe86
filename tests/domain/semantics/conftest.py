"""A fresh in-memory case per test: one person on an ORA community order with a RAR."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

import pytest

from domain.contacts import Contact
from domain.people import Address, Person
from domain.semantics import Effects
from domain.sentences import Event, LicenceCondition, Requirement, Sentence
from tests.domain.semantics.memory_store import OFFICER, MemoryStore

CRN = "X320741"
OTHER_CRN = "Y123456"


@dataclass
class Case:
    store: MemoryStore
    person: Person
    event: Event
    rar: Requirement
    address: Address
    licence_event: Event
    condition: LicenceCondition
    other_event: Event

    def appointment(self, day: dt.date, *, hour: int = 10, **extra: object) -> Contact:
        """An office appointment already in the store."""
        fields: dict[str, object] = {
            "id": uuid.uuid4(),
            "crn": CRN,
            "type_code": "COAP",
            "date": day,
            "start_time": dt.time(hour, 0),
            "end_time": dt.time(hour, 30),
            "event_id": self.event.id,
            "location_code": "N07OFF1",
            "staff_code": OFFICER.staff_code,
            "team_code": OFFICER.team_code,
        }
        contact = Contact.model_validate({**fields, **extra})
        self.store.put("contact", contact)
        return contact


def assert_json_safe(effects: Effects) -> None:
    """Stores keep effects as JSON: every record and conflict value must dump as it is."""
    for upsert in effects.upserts:
        json.dumps(upsert.data)
    for conflict in effects.conflicts:
        json.dumps([conflict.original, conflict.yours, conflict.central])


@pytest.fixture
def case() -> Case:
    return make_case()


def make_case() -> Case:
    """A fresh store holding one case (and an event of another case, for cross-case checks)."""
    store = MemoryStore()
    person = Person(
        id=uuid.uuid4(),
        crn=CRN,
        first_name="Testy",
        surname="Example",
        date_of_birth=dt.date(1990, 3, 4),
        phone="01632960001",
        email="testy@example.com",
    )
    event = Event(
        id=uuid.uuid4(),
        crn=CRN,
        number=1,
        main_offence="Theft from a shop",
        sentence=Sentence(type_code="ORA-CO", length=12, start_date=dt.date(2026, 1, 5)),
    )
    licence_event = Event(
        id=uuid.uuid4(),
        crn=CRN,
        number=2,
        main_offence="Burglary",
        sentence=Sentence(type_code="LIC", start_date=dt.date(2026, 2, 2)),
    )
    rar = Requirement(id=uuid.uuid4(), crn=CRN, event_id=event.id, category_code="F", length=20)
    condition = LicenceCondition(
        id=uuid.uuid4(),
        crn=CRN,
        event_id=licence_event.id,
        category_code="NLC5",
        description="Curfew",
    )
    address = Address(id=uuid.uuid4(), crn=CRN, street_name="Fake Street", postcode="ZZ1 1ZZ")
    other_event = Event(id=uuid.uuid4(), crn=OTHER_CRN, number=1, main_offence="Criminal damage")
    for kind, entity in (
        ("person", person),
        ("event", event),
        ("event", licence_event),
        ("event", other_event),
        ("requirement", rar),
        ("licence_condition", condition),
        ("address", address),
    ):
        store.put(kind, entity)  # type: ignore[arg-type]
    return Case(store, person, event, rar, address, licence_event, condition, other_event)
