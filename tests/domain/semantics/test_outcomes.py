"""record_outcome and correct_outcome: outcomes, enforcement and their conflicts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from domain.contacts import Contact
from domain.errors import RuleViolation, ValidationError
from domain.rules.enforcement import afta_evidence_due
from domain.semantics import WHOLE_RECORD
from tests.domain.semantics.conftest import Case
from tests.domain.semantics.memory_store import TODAY, MemoryStore

MONDAY = dt.date(2026, 11, 16)


def _outcome(store: MemoryStore, contact: Contact, code: str, **extra: Any) -> dict[str, Any]:
    base_version = store.records[("contact", contact.id)].version
    return {
        "contact_id": str(contact.id),
        "outcome_code": code,
        "base_version": base_version,
        **extra,
    }


@pytest.mark.parametrize(
    ("code", "enforcement", "attended", "complied", "respond_by"),
    [
        ("ATTC", None, True, True, None),
        ("ATSS", None, True, None, None),
        ("AAME", None, False, None, None),
        ("UAAB", "EA02", False, False, TODAY + dt.timedelta(days=7)),
        ("AFTC", "ROM", True, False, dt.date(2026, 11, 20)),  # 2 working days
        ("AFTC", None, True, False, None),
        ("AFTA", None, False, None, afta_evidence_due(MONDAY)),
    ],
)
def test_record_outcome_sets_flags_and_deadline(
    case: Case,
    code: str,
    enforcement: str | None,
    attended: bool | None,
    complied: bool | None,
    respond_by: dt.date | None,
) -> None:
    appointment = case.appointment(MONDAY)
    args = _outcome(case.store, appointment, code, enforcement_code=enforcement)
    effects = case.store.apply("record_outcome", args)
    assert effects.conflicts == ()
    contact = case.store.contact(appointment.id)
    assert (contact.outcome_code, contact.enforcement_code) == (code, enforcement)
    assert (contact.attended, contact.complied) == (attended, complied)
    assert contact.enforcement_response_by == respond_by


@pytest.mark.parametrize(
    ("code", "extra", "field", "words"),
    [
        ("ZZZZ", {}, "outcome_code", "not an outcome"),
        ("RSOF", {}, "outcome_code", "not an outcome"),
        ("ATTC", {"enforcement_code": "EA02"}, "enforcement_code", "not an enforcement"),
        ("AAME", {"enforcement_code": "IBR"}, "enforcement_code", "not an enforcement"),
        ("UAAB", {"enforcement_code": "LCL"}, "enforcement_code", "not an enforcement"),
        ("UAAB", {"enforcement_code": "NOPE"}, "enforcement_code", "not an enforcement"),
        ("ATTC", {"hours_credited_minutes": 60}, "hours_credited_minutes", "unpaid work"),
    ],
)
def test_record_outcome_rejections(
    case: Case, code: str, extra: dict[str, Any], field: str, words: str
) -> None:
    appointment = case.appointment(MONDAY)
    with pytest.raises(ValidationError) as caught:
        case.store.apply("record_outcome", _outcome(case.store, appointment, code, **extra))
    assert caught.value.field == field
    assert words in caught.value.message
    assert case.store.contact(appointment.id).outcome_code is None


def test_no_outcome_before_the_day_except_an_acceptable_absence(case: Case) -> None:
    appointment = case.appointment(TODAY + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="in the future"):
        case.store.apply("record_outcome", _outcome(case.store, appointment, "ATTC"))
    case.store.apply("record_outcome", _outcome(case.store, appointment, "AAHO"))
    assert case.store.contact(appointment.id).outcome_code == "AAHO"


def test_a_licence_takes_licence_enforcement(case: Case) -> None:
    appointment = case.appointment(MONDAY, event_id=case.licence_event.id)
    with pytest.raises(ValidationError):
        case.store.apply(
            "record_outcome",
            _outcome(case.store, appointment, "UAAB", enforcement_code="EA08"),
        )
    case.store.apply(
        "record_outcome", _outcome(case.store, appointment, "UAAB", enforcement_code="LCL")
    )
    assert case.store.contact(appointment.id).enforcement_code == "LCL"


def test_a_non_appointment_takes_no_outcome(case: Case) -> None:
    call = Contact(id=uuid.uuid4(), crn=case.person.crn, type_code="CTOA", date=MONDAY)
    case.store.put("contact", call)
    with pytest.raises(ValidationError, match="does not take an outcome"):
        case.store.apply("record_outcome", _outcome(case.store, call, "ATTC"))


def test_notes_with_an_outcome_are_appended(case: Case) -> None:
    appointment = case.appointment(MONDAY, notes="Booked.")
    case.store.apply(
        "record_outcome", _outcome(case.store, appointment, "ATTC", notes="Engaged well.")
    )
    notes = case.store.contact(appointment.id).notes
    assert notes.startswith("Booked.")
    assert notes.endswith("Engaged well.")


def test_recording_the_same_outcome_again_changes_nothing(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    args = _outcome(case.store, appointment, "UAAB", enforcement_code="EA02")
    case.store.apply("record_outcome", args)
    again = case.store.apply("record_outcome", {**args, "enforcement_code": None})
    assert (again.upserts, again.conflicts) == ((), ())
    assert case.store.contact(appointment.id).enforcement_code == "EA02"


def test_a_first_enforcement_action_can_follow_the_outcome(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    case.store.apply("record_outcome", _outcome(case.store, appointment, "UAAB"))
    case.store.apply(
        "record_outcome", _outcome(case.store, appointment, "UAAB", enforcement_code="EA02")
    )
    assert case.store.contact(appointment.id).enforcement_code == "EA02"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"outcome_code": "ATTC"}, {"outcome_code": "UAAB"}),
        (
            {"outcome_code": "UAAB", "enforcement_code": "EA02"},
            {"outcome_code": "UAAB", "enforcement_code": "EA03"},
        ),
    ],
)
def test_changing_a_recorded_outcome_needs_a_correction(
    case: Case, first: dict[str, Any], second: dict[str, Any]
) -> None:
    appointment = case.appointment(MONDAY)
    case.store.apply("record_outcome", {**_outcome(case.store, appointment, "?"), **first})
    with pytest.raises(RuleViolation, match="Correct the outcome"):
        case.store.apply("record_outcome", {**_outcome(case.store, appointment, "?"), **second})


def test_a_different_outcome_recorded_centrally_is_a_conflict(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    mine = _outcome(case.store, appointment, "UAAB", notes="Did not come.")
    case.store.apply("record_outcome", _outcome(case.store, appointment, "AAME"))
    effects = case.store.apply("record_outcome", mine)
    [conflict] = effects.conflicts
    assert (conflict.kind, conflict.record_id, conflict.field) == (
        "contact",
        appointment.id,
        "outcome_code",
    )
    assert (conflict.yours, conflict.central) == ("UAAB", "AAME")
    contact = case.store.contact(appointment.id)
    assert contact.outcome_code == "AAME"
    assert contact.notes.endswith("Did not come.")  # the officer's words are kept


def test_the_same_outcome_recorded_centrally_merges_cleanly(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    mine = _outcome(case.store, appointment, "ATTC")
    case.store.apply("record_outcome", _outcome(case.store, appointment, "ATTC"))
    effects = case.store.apply("record_outcome", mine)
    assert effects.conflicts == ()


def test_unrelated_central_changes_do_not_conflict(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    mine = _outcome(case.store, appointment, "ATTC")
    case.store.apply("append_contact_note", {"contact_id": str(appointment.id), "text": "Hi."})
    assert case.store.apply("record_outcome", mine).conflicts == ()
    assert case.store.contact(appointment.id).outcome_code == "ATTC"


def test_the_client_applies_without_detecting(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    mine = _outcome(case.store, appointment, "ATTC")
    case.store.apply("record_outcome", _outcome(case.store, appointment, "ATTC"))
    case.store.apply("append_contact_note", {"contact_id": str(appointment.id), "text": "Hi."})
    effects = case.store.apply("record_outcome", {**mine, "notes": "x"}, detect=False)
    assert effects.conflicts == ()


def test_an_outcome_on_a_deleted_appointment_is_a_conflict(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    args = _outcome(case.store, appointment, "ATTC")
    case.store.delete("contact", appointment.id)
    effects = case.store.apply("record_outcome", args)
    [conflict] = effects.conflicts
    assert (conflict.field, conflict.yours, conflict.central) == (WHOLE_RECORD, "ATTC", None)
    assert effects.upserts == ()


# correct_outcome


def _correct(store: MemoryStore, contact: Contact, code: str, **extra: Any) -> dict[str, Any]:
    return {**_outcome(store, contact, code), "reason": "Doctor's note received.", **extra}


def test_afta_corrected_to_an_acceptable_absence_when_evidence_arrives(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    case.store.apply(
        "record_outcome", _outcome(case.store, appointment, "AFTA", enforcement_code="EA12")
    )
    case.store.apply("correct_outcome", _correct(case.store, appointment, "AAME"))
    contact = case.store.contact(appointment.id)
    assert (contact.outcome_code, contact.attended, contact.complied) == ("AAME", False, None)
    assert (contact.enforcement_code, contact.enforcement_response_by) == (None, None)
    assert "Outcome corrected from AFTA" in contact.notes
    assert contact.notes.endswith("Reason: Doctor's note received.")


def test_a_correction_may_carry_the_new_enforcement(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    case.store.apply("record_outcome", _outcome(case.store, appointment, "AFTA"))
    case.store.apply(
        "correct_outcome",
        _correct(case.store, appointment, "UAAB", enforcement_code="EA02", reason="No evidence."),
    )
    contact = case.store.contact(appointment.id)
    assert (contact.outcome_code, contact.enforcement_code) == ("UAAB", "EA02")
    assert contact.enforcement_response_by == TODAY + dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("recorded", "correction", "error", "words"),
    [
        (None, {"outcome_code": "AAME"}, RuleViolation, "no outcome yet"),
        ("ATTC", {"outcome_code": "ATTC"}, ValidationError, "nothing to correct"),
        ("AFTA", {"outcome_code": "RSSR"}, ValidationError, "not an outcome"),
        ("AFTA", {"outcome_code": "AAME", "enforcement_code": "EA02"}, ValidationError, "not an"),
        ("AFTA", {"outcome_code": "AAME", "reason": ""}, ValidationError, "Reason cannot be empty"),
    ],
)
def test_correct_outcome_rejections(
    case: Case,
    recorded: str | None,
    correction: dict[str, Any],
    error: type[Exception],
    words: str,
) -> None:
    appointment = case.appointment(MONDAY)
    if recorded is not None:
        case.store.apply("record_outcome", _outcome(case.store, appointment, recorded))
    code = correction.pop("outcome_code")
    with pytest.raises(error, match=words):
        case.store.apply("correct_outcome", _correct(case.store, appointment, code, **correction))


def test_a_correction_made_centrally_meanwhile_is_a_conflict(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    case.store.apply("record_outcome", _outcome(case.store, appointment, "AFTA"))
    mine = _correct(case.store, appointment, "AAME")
    case.store.apply("correct_outcome", _correct(case.store, appointment, "UAAB"))
    effects = case.store.apply("correct_outcome", mine)
    assert [(c.field, c.yours, c.central) for c in effects.conflicts] == [
        ("outcome_code", "AAME", "UAAB")
    ]
    assert effects.upserts == ()
    assert "AAME" not in case.store.contact(appointment.id).notes


def test_correcting_a_deleted_appointment_is_a_conflict(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    args = _correct(case.store, appointment, "AAME")
    case.store.delete("contact", appointment.id)
    [conflict] = case.store.apply("correct_outcome", args).conflicts
    assert conflict.field == WHOLE_RECORD


def test_a_rescheduled_appointment_takes_no_other_outcome(case: Case) -> None:
    appointment = case.appointment(MONDAY)
    moved = {
        "contact_id": str(appointment.id),
        "new_contact_id": str(uuid.uuid4()),
        "requested_by": "person",
        "date": "2026-11-24",
        "start_time": "10:00",
        "end_time": "10:30",
        "base_version": case.store.records[("contact", appointment.id)].version,
    }
    case.store.apply("reschedule_appointment", moved)
    with pytest.raises(RuleViolation, match="new appointment"):
        case.store.apply("record_outcome", _outcome(case.store, appointment, "UAAB"))
    with pytest.raises(RuleViolation, match="new appointment"):
        case.store.apply("correct_outcome", _correct(case.store, appointment, "UAAB"))


def test_unpaid_work_hours_are_credited_with_the_outcome(case: Case) -> None:
    session = case.appointment(MONDAY, type_code="CUPA", location_code=None)
    args = _outcome(case.store, session, "ATTC", hours_credited_minutes=420)
    effects = case.store.apply("record_outcome", args)
    assert effects.upserts[0].changed_fields >= {"outcome_code", "hours_credited_minutes"}
    assert case.store.contact(session.id).hours_credited_minutes == 420


def test_hours_changed_centrally_conflict_but_the_outcome_applies(case: Case) -> None:
    session = case.appointment(MONDAY, type_code="CUPA", location_code=None)
    mine = _outcome(case.store, session, "ATTC", hours_credited_minutes=420)
    case.store.apply(
        "record_outcome", _outcome(case.store, session, "ATTC", hours_credited_minutes=360)
    )
    case.store.apply(
        "correct_outcome", _correct(case.store, session, "ATSS", reason="Van broke down.")
    )
    effects = case.store.apply("record_outcome", mine)
    assert {(c.field, c.yours, c.central) for c in effects.conflicts} == {
        ("outcome_code", "ATTC", "ATSS"),
        ("hours_credited_minutes", 420, 360),
    }
    assert case.store.contact(session.id).outcome_code == "ATSS"
