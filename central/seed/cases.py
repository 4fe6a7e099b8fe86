"""One whole synthetic case: the person and every record hanging off them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from central.seed.contacts import make_contacts
from central.seed.context import CaseContext
from central.seed.field_day import field_day
from central.seed.organisation import Officer
from central.seed.people import make_addresses, make_person
from central.seed.sentences import (
    is_licence,
    make_event,
    make_licence_conditions,
    make_registrations,
    make_requirements,
)
from domain.model import Entity
from domain.organisation import Allocation
from domain.people import Person


@dataclass(frozen=True, slots=True)
class SeededCase:
    person: Person
    records: list[tuple[str, Entity]]
    allocations: tuple[Allocation, ...]

    def case_row(self) -> dict[str, Any]:
        p = self.person
        aliases = "; ".join(f"{a.first_name} {a.surname}".lower() for a in p.aliases)
        return {
            "crn": p.crn,
            "person_id": str(p.id),
            "staff_code": p.staff_code,
            "team_code": p.team_code,
            "surname": p.surname.lower(),
            "first_name": p.first_name.lower(),
            "date_of_birth": p.date_of_birth,
            "aliases": aliases,
        }


def _allocations(ctx: CaseContext, previous: Officer | None) -> tuple[Allocation, ...]:
    start = ctx.days_ago(20, 400)
    current = Allocation(
        staff_code=ctx.officer.staff_code,
        team_code=ctx.officer.team_code,
        start_date=start,
        reason="Initial allocation" if previous is None else "Transfer",
    )
    if previous is None:
        return (current,)
    earlier = Allocation(
        staff_code=previous.staff_code,
        team_code=previous.team_code,
        start_date=start - timedelta(days=ctx.rng.randint(60, 400)),
        end_date=start,
        reason="Initial allocation",
    )
    return (earlier, current)


def build_case(ctx: CaseContext, previous: Officer | None) -> SeededCase:
    """A person with addresses, 1-2 events, requirements or licence conditions,
    2-7 registrations and months of contacts, all for `ctx.officer`'s caseload."""
    allocations = _allocations(ctx, previous)
    person = make_person(ctx, allocations)
    records: list[tuple[str, Entity]] = [("person", person)]
    records += [("address", a) for a in make_addresses(ctx)]
    events = [make_event(ctx, 1, active=True)]
    if ctx.chance(0.3):
        events.insert(0, make_event(ctx, 1, active=False))
        events[1] = events[1].model_copy(update={"number": 2})
    current, rar = events[-1], None
    for event in events:
        records.append(("event", event))
        if is_licence(event):
            records += [("licence_condition", c) for c in make_licence_conditions(ctx, event)]
        else:
            requirements = make_requirements(ctx, event)
            records += [("requirement", r) for r in requirements]
            if event is current:
                rar = next((r.id for r in requirements if r.category_code == "F"), None)
    records += [("registration", r) for r in make_registrations(ctx)]
    assert current.sentence is not None
    records += [
        ("contact", c) for c in make_contacts(ctx, current.sentence.start_date, current.id, rar)
    ]
    records = field_day(ctx, records, current.id)
    person = next(r for kind, r in records if kind == "person" and isinstance(r, Person))
    return SeededCase(person, records, allocations)
