"""What an outcome does to the event: the review task above the failure limit and the breach."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.contacts import Contact
from domain.mutations import derived_id
from domain.semantics import apply_mutation
from domain.sentences import Event
from tests.domain.semantics.conftest import Case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY

DAYS = [dt.date(2026, 11, d) for d in (2, 9, 16)]


def _fail(case: Case, contact: Contact, *, enforcement: str | None = None) -> uuid.UUID:
    mutation_id = uuid.uuid4()
    args = {
        "contact_id": str(contact.id),
        "outcome_code": "UAAB",
        "enforcement_code": enforcement,
        "base_version": case.store.records[("contact", contact.id)].version,
    }
    case.store.apply("record_outcome", args, mutation_id=mutation_id)
    return mutation_id


def _event(case: Case) -> Event:
    return Event.model_validate(case.store.data("event", case.event.id))


def _tasks(case: Case) -> list[Contact]:
    rows = [case.store.contact(i) for (kind, i) in case.store.records if kind == "contact"]
    return [c for c in rows if c.type_code == "ARWS"]


def test_the_failure_above_the_limit_creates_one_review_task(case: Case) -> None:
    appointments = [case.appointment(day) for day in DAYS]
    _fail(case, appointments[0])
    _fail(case, appointments[1])
    assert _tasks(case) == []  # two failures: at the limit, not above it
    mutation_id = _fail(case, appointments[2])
    [task] = _tasks(case)
    assert task.id == derived_id(mutation_id, "arws")
    assert (task.event_id, task.date, task.alert) == (case.event.id, TODAY, True)
    assert "3 failures to comply" in task.notes
    _fail(case, case.appointment(dt.date(2026, 11, 17)))
    assert len(_tasks(case)) == 1  # still above: the review is already there


def test_two_failures_on_one_day_count_once(case: Case) -> None:
    _fail(case, case.appointment(DAYS[0]))
    _fail(case, case.appointment(DAYS[1], hour=9))
    _fail(case, case.appointment(DAYS[1], hour=14))
    assert _tasks(case) == []


def test_client_and_server_derive_the_same_review_task(case: Case) -> None:
    appointments = [case.appointment(day) for day in DAYS]
    _fail(case, appointments[0])
    _fail(case, appointments[1])
    mutation_id = uuid.uuid4()
    version = case.store.records[("contact", appointments[2].id)].version
    args = {"contact_id": str(appointments[2].id), "outcome_code": "UAAB", "base_version": version}
    runs = [
        apply_mutation(
            "record_outcome",
            1,
            args,
            mutation_id=mutation_id,
            actor=OFFICER,
            reader=case.store,
            today=TODAY,
            now=NOW,
            detect_conflicts=detect,
        )
        for detect in (False, True)
    ]
    assert [u.id for u in runs[0].upserts] == [u.id for u in runs[1].upserts]
    assert runs[0].upserts[1].id == derived_id(mutation_id, "arws")


def test_a_breach_letter_raises_the_breach_flag(case: Case) -> None:
    _fail(case, case.appointment(DAYS[0]), enforcement="EA08")
    assert _event(case).breach_in_progress


def test_no_review_task_while_a_breach_is_in_progress(case: Case) -> None:
    appointments = [case.appointment(day) for day in DAYS]
    _fail(case, appointments[0])
    _fail(case, appointments[1], enforcement="IBR")
    _fail(case, appointments[2])
    assert _tasks(case) == []


def test_correcting_the_breach_action_lifts_the_breach(case: Case) -> None:
    appointment = case.appointment(DAYS[0])
    _fail(case, appointment, enforcement="EA08")
    args = {
        "contact_id": str(appointment.id),
        "outcome_code": "AAME",
        "reason": "Was in hospital.",
        "base_version": case.store.records[("contact", appointment.id)].version,
    }
    effects = case.store.apply("correct_outcome", args)
    assert not _event(case).breach_in_progress
    assert {u.kind for u in effects.upserts} == {"contact", "event"}
    assert effects.upserts[1].changed_fields == {"breach_in_progress"}


def test_a_breach_started_by_another_contact_stays(case: Case) -> None:
    first, second = case.appointment(DAYS[0]), case.appointment(DAYS[1])
    _fail(case, first, enforcement="IBR")
    _fail(case, second, enforcement="EA08")
    args = {
        "contact_id": str(second.id),
        "outcome_code": "AAME",
        "reason": "Evidence.",
        "base_version": case.store.records[("contact", second.id)].version,
    }
    case.store.apply("correct_outcome", args)
    assert _event(case).breach_in_progress


def test_a_correction_that_crosses_the_limit_creates_the_task(case: Case) -> None:
    appointments = [case.appointment(day) for day in DAYS]
    _fail(case, appointments[0])
    _fail(case, appointments[1])
    case.store.apply(
        "record_outcome",
        {
            "contact_id": str(appointments[2].id),
            "outcome_code": "AFTA",
            "base_version": case.store.records[("contact", appointments[2].id)].version,
        },
    )
    mutation_id = uuid.uuid4()
    args = {
        "contact_id": str(appointments[2].id),
        "outcome_code": "UAAB",
        "reason": "No evidence came.",
        "base_version": case.store.records[("contact", appointments[2].id)].version,
    }
    case.store.apply("correct_outcome", args, mutation_id=mutation_id)
    assert [t.id for t in _tasks(case)] == [derived_id(mutation_id, "arws")]


def test_a_person_level_contact_touches_no_event(case: Case) -> None:
    contact_id = uuid.uuid4()
    effects = case.store.apply(
        "record_contact",
        {
            "contact_id": str(contact_id),
            "crn": case.person.crn,
            "type_code": "CTOB",
            "date": TODAY.isoformat(),
        },
    )
    assert [u.kind for u in effects.upserts] == ["contact"]


def test_the_review_task_goes_to_the_offender_manager(case: Case) -> None:
    manager = case.person.model_copy(update={"staff_code": "N07C555", "team_code": "N07T09"})
    case.store.put("person", manager)
    appointments = [case.appointment(day) for day in DAYS]
    for appointment in appointments:
        _fail(case, appointment)
    [task] = _tasks(case)
    assert (task.staff_code, task.team_code) == ("N07C555", "N07T09")


def test_an_unallocated_case_gives_the_task_to_the_officer(case: Case) -> None:
    for appointment in [case.appointment(day) for day in DAYS]:
        _fail(case, appointment)
    [task] = _tasks(case)
    assert task.staff_code == OFFICER.staff_code
