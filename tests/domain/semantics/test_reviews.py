"""The review enforcement task when a correction brings the count back within the limit."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.contacts import Contact
from tests.domain.semantics.conftest import Case
from tests.domain.semantics.test_outcome_effects import DAYS, _fail, _tasks


def _correct(case: Case, contact: Contact, code: str) -> None:
    args = {
        "contact_id": str(contact.id),
        "outcome_code": code,
        "reason": "Evidence arrived.",
        "base_version": case.store.records[("contact", contact.id)].version,
    }
    case.store.apply("correct_outcome", args, mutation_id=uuid.uuid4())


def test_a_correction_below_the_limit_annotates_the_open_task(case: Case) -> None:
    appointments = [case.appointment(day) for day in DAYS]
    for appointment in appointments:
        _fail(case, appointment)
    _correct(case, appointments[1], "AAME")
    [task] = _tasks(case)
    assert "The failure to comply on 09/11/2026 was corrected to AAME" in task.notes
    assert "2 failures now count, within the limit." in task.notes


def test_a_correction_still_above_the_limit_leaves_the_task(case: Case) -> None:
    appointments = [case.appointment(day) for day in [*DAYS, dt.date(2026, 11, 17)]]
    for appointment in appointments:
        _fail(case, appointment)
    _correct(case, appointments[0], "AAME")
    [task] = _tasks(case)
    assert "corrected" not in task.notes


def test_a_task_older_than_the_failure_is_not_annotated(case: Case) -> None:
    old_task = Contact(
        id=uuid.uuid4(),
        crn=case.person.crn,
        type_code="ARWS",
        date=dt.date(2026, 10, 1),
        event_id=case.event.id,
        notes="An earlier review.",
    )
    case.store.put("contact", old_task)
    appointments = [case.appointment(day) for day in DAYS]
    for appointment in appointments:
        _fail(case, appointment)
    _correct(case, appointments[1], "AAME")
    assert case.store.contact(old_task.id).notes == "An earlier review."
    assert sum("corrected" in task.notes for task in _tasks(case)) == 1
