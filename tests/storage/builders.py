"""Synthetic cases for cache tests: one person on a community order, as wire records."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from domain.contacts import Contact
from domain.model import Entity
from domain.people import Address, Alias, Person
from domain.registrations import Registration
from domain.semantics import Actor
from domain.sentences import Event, Requirement, Sentence
from sync.protocol import CaseSnapshot, RecordChange, case_checksum

OFFICER = Actor(username="officer.one", staff_code="N07A001", team_code="N07T01")
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@dataclass
class CaseData:
    crn: str
    person: Person
    event: Event
    rar: Requirement
    address: Address
    contacts: list[Contact] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)

    def records(self) -> list[tuple[str, Entity]]:
        found: list[tuple[str, Entity]] = [
            ("person", self.person),
            ("event", self.event),
            ("requirement", self.rar),
            ("address", self.address),
        ]
        found += [("contact", c) for c in self.contacts]
        found += [("registration", r) for r in self.registrations]
        return found

    def snapshot(self, version: int = 1) -> CaseSnapshot:
        changes = [change(kind, e, version) for kind, e in self.records()]
        checksum = case_checksum((c.kind, c.id, c.version) for c in changes)
        return CaseSnapshot(crn=self.crn, records=changes, checksum=checksum)


def change(kind: str, entity: Entity, version: int, *, deleted: bool = False) -> RecordChange:
    data: dict[str, Any] = entity.model_dump(mode="json")
    return RecordChange(
        kind=kind,  # type: ignore[arg-type]
        id=data["id"],
        crn=data["crn"],
        version=version,
        deleted=deleted,
        data=None if deleted else data,
    )


def make_case(
    crn: str = "X320741",
    *,
    surname: str = "Example",
    first: str = "Testy",
    contacts: int = 3,
    alias: tuple[str, str] | None = ("Tess", "Sample"),
) -> CaseData:
    person = Person(
        id=uuid.uuid4(),
        crn=crn,
        first_name=first,
        surname=surname,
        date_of_birth=dt.date(1990, 3, 4),
        pnc="2001/0012345A",
        tier="B2",
        staff_code=OFFICER.staff_code,
        team_code=OFFICER.team_code,
        aliases=(Alias(first_name=alias[0], surname=alias[1]),) if alias else (),
    )
    event = Event(
        id=uuid.uuid4(),
        crn=crn,
        number=1,
        main_offence="Theft from a shop",
        sentence=Sentence(type_code="ORA-CO", length=12, start_date=dt.date(2026, 1, 5)),
    )
    rar = Requirement(id=uuid.uuid4(), crn=crn, event_id=event.id, category_code="F", length=20)
    address = Address(id=uuid.uuid4(), crn=crn, street_name="Fake Street", postcode="ZZ1 1ZZ")
    case = CaseData(crn, person, event, rar, address)
    for n in range(contacts):
        case.contacts.append(
            Contact(
                id=uuid.uuid4(),
                crn=crn,
                type_code="COAP",
                date=TODAY - dt.timedelta(days=7 * (n + 1)),
                start_time=dt.time(10, 0),
                end_time=dt.time(10, 30),
                event_id=event.id,
                location_code="N07OFF1",
                staff_code=OFFICER.staff_code,
                outcome_code="ATTC",
                attended=True,
                complied=True,
                notes=f"Discussed employment plans, visit {n}",
            )
        )
    case.registrations.append(
        Registration(id=uuid.uuid4(), crn=crn, type_code="RHRH", registered_on=dt.date(2026, 1, 10))
    )
    return case


def contact_args(crn: str, **extra: Any) -> dict[str, Any]:
    """Arguments of a record_contact mutation (a phone call, no outcome needed)."""
    values: dict[str, Any] = {
        "contact_id": str(uuid.uuid4()),
        "crn": crn,
        "type_code": "CTOB",
        "date": TODAY.isoformat(),
        "notes": "Phoned to confirm the appointment",
    }
    values.update(extra)
    return values
