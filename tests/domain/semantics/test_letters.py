"""A letter is logged in the same mutation as the enforcement (or booking) it belongs to."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.letters.catalogue import shipped_templates
from domain.letters.facts import LetterFacts, LetterKind, Meeting
from domain.letters.record import LetterRecord
from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import TODAY

MONDAY = dt.date(2026, 11, 16)


def _letter(
    kind: LetterKind, dated: dt.date, respond_by: dt.date | None, **extra: object
) -> LetterRecord:
    facts = LetterFacts(
        person_name="Testy Example",
        address_lines=("Fake Street", "ZZ1 1ZZ"),
        crn=CRN,
        dated=dated,
        officer_name="Sam Officer",
        office_name="Office",
        appointment=Meeting(
            type_text="Planned Office Visit", date=MONDAY, start_time=dt.time(10), place="Office"
        ),
        respond_by=respond_by,
        **extra,  # type: ignore[arg-type]
    )
    return shipped_templates().record(kind, ("en",), facts)


def _outcome(
    case: Case, enforcement: str, letter: LetterRecord, **kw: object
) -> tuple[uuid.UUID, list[Contact]]:
    appointment = case.appointment(MONDAY)
    args = {
        "contact_id": str(appointment.id),
        "outcome_code": "UAAB",
        "enforcement_code": enforcement,
        "base_version": case.store.records[("contact", appointment.id)].version,
        "letter": letter.model_dump(mode="json"),
    }
    effects = case.store.apply("record_outcome", args, version=2, **kw)  # type: ignore[arg-type]
    contacts = [Contact.model_validate(u.data) for u in effects.upserts if u.kind == "contact"]
    return appointment.id, contacts


def test_a_warning_letter_is_logged_with_the_outcome_and_states_its_deadline(case: Case) -> None:
    letter = _letter("warning_first", TODAY, TODAY + dt.timedelta(days=7))
    appointment_id, contacts = _outcome(case, "EA02", letter)
    [outcome] = [c for c in contacts if c.id == appointment_id]
    [logged] = [c for c in contacts if c.id != appointment_id]
    assert (outcome.enforcement_code, outcome.enforcement_response_by) == (
        "EA02",
        letter.facts.respond_by,
    )
    assert (logged.type_code, logged.date, logged.event_id) == ("AWLI", TODAY, case.event.id)
    assert logged.letter == letter


def test_applied_days_later_the_deadline_still_runs_from_the_letter(case: Case) -> None:
    """Queued offline on Wednesday, applied on Saturday: the state agrees with the letter."""
    letter = _letter("warning_first", TODAY, TODAY + dt.timedelta(days=7))
    appointment_id, _ = _outcome(case, "EA02", letter, today=TODAY + dt.timedelta(days=3))
    assert case.store.contact(appointment_id).enforcement_response_by == TODAY + dt.timedelta(
        days=7
    )


def test_a_letter_that_does_not_fit_the_action_is_refused(case: Case) -> None:
    letter = _letter("breach", TODAY, TODAY + dt.timedelta(days=7))
    with pytest.raises(ValidationError, match="breach letter does not go with"):
        _outcome(case, "EA02", letter)


def test_a_letter_stating_another_deadline_is_refused(case: Case) -> None:
    letter = _letter("warning_first", TODAY, TODAY + dt.timedelta(days=6))
    with pytest.raises(ValidationError, match="respond-by"):
        _outcome(case, "EA02", letter)


def test_a_replayed_outcome_logs_one_letter(case: Case) -> None:
    letter = _letter("warning_first", TODAY, TODAY + dt.timedelta(days=7))
    appointment = case.appointment(MONDAY)
    args = {
        "contact_id": str(appointment.id),
        "outcome_code": "UAAB",
        "enforcement_code": "EA02",
        "base_version": case.store.records[("contact", appointment.id)].version,
        "letter": letter.model_dump(mode="json"),
    }
    mutation_id = uuid.uuid4()
    case.store.apply("record_outcome", args, mutation_id=mutation_id, version=2)
    case.store.apply("record_outcome", args, mutation_id=mutation_id, version=2)
    letters = [r for r in case.store.case_records(CRN, "contact") if r.data.get("letter")]
    assert len(letters) == 1


def test_an_appointment_letter_is_logged_with_the_booking(case: Case) -> None:
    contact_id = uuid.uuid4()
    day = dt.date(2026, 11, 23)
    facts = LetterFacts(
        person_name="Testy Example",
        address_lines=("Fake Street",),
        crn=CRN,
        dated=TODAY,
        officer_name="Sam Officer",
        office_name="Office",
        appointment=Meeting(
            type_text="Planned Office Visit", date=day, start_time=dt.time(10), place="Office"
        ),
    )
    letter = shipped_templates().record("appointment", ("en",), facts)
    args = {
        "contact_id": str(contact_id),
        "crn": CRN,
        "type_code": "COAP",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "10:30",
        "event_id": str(case.event.id),
        "location_code": "N07OFF1",
        "letter": letter.model_dump(mode="json"),
    }
    effects = case.store.apply("arrange_appointment", args, version=2)
    [logged] = [u for u in effects.upserts if u.data.get("letter")]
    assert logged.data["type_code"] == "CLOB"
    wrong = {**args, "contact_id": str(uuid.uuid4()), "start_time": "11:00", "end_time": "11:30"}
    with pytest.raises(ValidationError, match="does not name this appointment"):
        case.store.apply("arrange_appointment", wrong, version=2)
