"""record_contact and append_contact_note."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from domain.contacts import Contact
from domain.errors import RuleViolation, ValidationError
from domain.semantics import WHOLE_RECORD
from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import OFFICER, TODAY


def _contact(case: Case, **extra: Any) -> dict[str, Any]:
    base = {"contact_id": str(uuid.uuid4()), "crn": CRN, "type_code": "CTOA", "date": "2026-11-18"}
    return {**base, **extra}


def _visit(case: Case, **extra: Any) -> dict[str, Any]:
    """A home visit that happened on Monday."""
    visit = {
        "type_code": "CHVS",
        "date": "2026-11-16",
        "start_time": "14:00",
        "end_time": "14:45",
        "event_id": str(case.event.id),
    }
    return _contact(case, **{**visit, **extra})


def test_record_a_phone_call(case: Case) -> None:
    args = _contact(case, notes="Called to rearrange.", sensitive=True)
    effects = case.store.apply("record_contact", args)
    [upsert] = effects.upserts
    assert upsert.created
    assert upsert.kind == "contact"
    assert upsert.changed_fields == frozenset(upsert.data)
    contact = case.store.contact(uuid.UUID(args["contact_id"]))
    assert (contact.type_code, contact.notes, contact.sensitive) == (
        "CTOA",
        "Called to rearrange.",
        True,
    )
    assert (contact.staff_code, contact.team_code) == (OFFICER.staff_code, OFFICER.team_code)
    assert contact.outcome_code is None


def test_record_a_visit_with_outcome_derives_flags(case: Case) -> None:
    args = _visit(case, outcome_code="ATTC")
    case.store.apply("record_contact", args)
    contact = case.store.contact(uuid.UUID(args["contact_id"]))
    assert (contact.outcome_code, contact.attended, contact.complied) == ("ATTC", True, True)
    assert contact.enforcement_response_by is None


def test_record_a_failure_with_a_warning_letter_sets_the_respond_by_date(case: Case) -> None:
    args = _visit(case, outcome_code="UAAB", enforcement_code="EA02")
    case.store.apply("record_contact", args)
    contact = case.store.contact(uuid.UUID(args["contact_id"]))
    assert (contact.attended, contact.complied) == (False, False)
    assert contact.enforcement_code == "EA02"
    assert contact.enforcement_response_by == TODAY + dt.timedelta(days=7)


def test_a_replayed_create_makes_one_row(case: Case) -> None:
    args = _contact(case, notes="first")
    case.store.apply("record_contact", args)
    again = case.store.apply("record_contact", {**args, "notes": "second"})
    assert again.upserts == ()
    assert case.store.contact(uuid.UUID(args["contact_id"])).notes == "first"


@pytest.mark.parametrize(
    ("extra", "error", "field", "words"),
    [
        ({"type_code": "NOPE"}, ValidationError, "type_code", "Unknown contact type"),
        ({"type_code": "ARWS"}, RuleViolation, None, "created by the system"),
        ({"outcome_code": "ATTC"}, ValidationError, "outcome_code", "does not take an outcome"),
        ({"enforcement_code": "EA02"}, ValidationError, "enforcement_code", "outcome before"),
        ({"rar_activity": True}, ValidationError, "rar_activity", "RAR activity"),
        ({"hours_credited_minutes": 60}, ValidationError, "hours_credited_minutes", "unpaid work"),
        (
            {"start_time": "11:00", "end_time": "10:00"},
            ValidationError,
            "end_time",
            "after the start",
        ),
        ({"event_id": "__other__"}, ValidationError, "event_id", "not on this case"),
        ({"event_id": "__missing__"}, ValidationError, "event_id", "not on this case"),
        ({"requirement_id": "__rar__"}, ValidationError, "requirement_id", "not part of"),
    ],
)
def test_record_contact_rejections(
    case: Case, extra: dict[str, Any], error: type[Exception], field: str | None, words: str
) -> None:
    ids = {"__other__": case.other_event.id, "__missing__": uuid.uuid4(), "__rar__": case.rar.id}
    extra = {k: str(ids[v]) if v in ids else v for k, v in extra.items()}
    with pytest.raises(error) as caught:
        case.store.apply("record_contact", _contact(case, **extra))
    assert words in str(caught.value)
    assert getattr(caught.value, "field", None) == field


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"start_time": None, "end_time": None}, "start_time", "start and end times"),
        ({"event_id": None}, "event_id", "Choose the event"),
        ({}, "outcome_code", "in the past"),
        ({"outcome_code": "RSSR"}, "outcome_code", "not an outcome"),
        (
            {"outcome_code": "ATTC", "enforcement_code": "EA02"},
            "enforcement_code",
            "not an enforce",
        ),
        ({"outcome_code": "UAAB", "enforcement_code": "LCL"}, "enforcement_code", "not an enforce"),
        ({"outcome_code": "ATTC", "date": "2026-11-25"}, "outcome_code", "in the future"),
    ],
)
def test_record_appointment_contact_rejections(
    case: Case, extra: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        case.store.apply("record_contact", _visit(case, **extra))
    assert caught.value.field == field
    assert words in caught.value.message or words in caught.value.message.lower()


def test_an_acceptable_absence_may_be_recorded_in_advance(case: Case) -> None:
    args = _visit(case, outcome_code="AAME", date="2026-11-25")
    case.store.apply("record_contact", args)
    assert case.store.contact(uuid.UUID(args["contact_id"])).outcome_code == "AAME"


def test_a_rar_activity_on_a_rar_type_counts(case: Case) -> None:
    args = _visit(
        case,
        type_code="COAP",
        location_code="N07OFF1",
        requirement_id=str(case.rar.id),
        rar_activity=True,
        outcome_code="ATTC",
    )
    case.store.apply("record_contact", args)
    contact = case.store.contact(uuid.UUID(args["contact_id"]))
    assert contact.rar_activity
    assert contact.requirement_id == case.rar.id


def test_recording_warns_of_a_clash_in_the_diary(case: Case) -> None:
    case.appointment(dt.date(2026, 11, 16), hour=14, outcome_code="ATTC")
    effects = case.store.apply("record_contact", _visit(case, outcome_code="ATTC"))
    assert any("Overlaps" in w for w in effects.warnings)


# append_contact_note


def test_notes_are_appended_with_author_and_time(case: Case) -> None:
    appointment = case.appointment(TODAY, notes="Booked by phone.")
    effects = case.store.apply(
        "append_contact_note", {"contact_id": str(appointment.id), "text": "Arrived late."}
    )
    notes = case.store.contact(appointment.id).notes
    assert notes.startswith("Booked by phone.\n\n")
    assert "jsmith" in notes
    assert notes.endswith("Arrived late.")
    assert effects.upserts[0].changed_fields == {"notes"}
    assert effects.conflicts == ()


def test_a_note_can_set_sensitive_and_never_clears_it(case: Case) -> None:
    appointment = case.appointment(TODAY)
    note = {"contact_id": str(appointment.id), "text": "Disclosed a concern."}
    case.store.apply("append_contact_note", {**note, "sensitive": True})
    assert case.store.contact(appointment.id).sensitive
    case.store.apply("append_contact_note", {**note, "text": "Follow-up.", "sensitive": False})
    assert case.store.contact(appointment.id).sensitive


def test_appends_never_conflict_even_on_a_stale_copy(case: Case) -> None:
    appointment = case.appointment(TODAY)
    note = {"contact_id": str(appointment.id), "text": "From the office."}
    case.store.apply("append_contact_note", note)
    case.store.apply("append_contact_note", {**note, "text": "From the laptop."})
    notes = case.store.contact(appointment.id).notes
    assert "From the office." in notes
    assert "From the laptop." in notes


def test_a_note_on_a_deleted_contact_is_a_conflict(case: Case) -> None:
    appointment = case.appointment(TODAY)
    case.store.delete("contact", appointment.id)
    effects = case.store.apply(
        "append_contact_note", {"contact_id": str(appointment.id), "text": "Too late."}
    )
    [conflict] = effects.conflicts
    assert (conflict.record_id, conflict.field, conflict.yours) == (
        appointment.id,
        WHOLE_RECORD,
        "Too late.",
    )
    assert effects.upserts == ()


def test_notes_over_the_total_limit_are_refused(case: Case) -> None:
    appointment = case.appointment(TODAY, notes="x" * 11_990)
    with pytest.raises(ValidationError, match="too long"):
        case.store.apply(
            "append_contact_note", {"contact_id": str(appointment.id), "text": "y" * 100}
        )


def test_an_id_taken_by_another_case_is_refused(case: Case) -> None:
    other = Contact.model_validate(
        {"id": uuid.uuid4(), "crn": "Y123456", "type_code": "CTOA", "date": TODAY}
    )
    case.store.put("contact", other)
    with pytest.raises(ValidationError, match="already used"):
        case.store.apply("record_contact", _contact(case, contact_id=str(other.id)))
