"""arrange_appointment (single and repeating) and reschedule_appointment."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from domain.errors import RuleViolation, ValidationError
from domain.mutations import occurrence_id
from domain.semantics import WHOLE_RECORD, apply_mutation
from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY, MemoryStore

FRIDAY = dt.date(2026, 11, 20)


def _arrange(case: Case, **extra: Any) -> dict[str, Any]:
    base = {
        "contact_id": str(uuid.uuid4()),
        "crn": CRN,
        "type_code": "COAP",
        "date": FRIDAY.isoformat(),
        "start_time": "10:00",
        "end_time": "10:30",
        "event_id": str(case.event.id),
        "location_code": "N07OFF1",
    }
    return {**base, **extra}


def test_arrange_one_appointment(case: Case) -> None:
    args = _arrange(case, notes="Bring payslips.", rar_activity=True)
    effects = case.store.apply("arrange_appointment", args)
    assert effects.warnings == ()
    contact = case.store.contact(uuid.UUID(args["contact_id"]))
    assert (contact.date, contact.start_time, contact.outcome_code) == (
        FRIDAY,
        dt.time(10),
        None,
    )
    assert contact.staff_code == OFFICER.staff_code
    assert contact.rar_activity


def test_a_weekly_series_uses_derived_ids(case: Case) -> None:
    args = _arrange(case, repeat={"frequency": "weekly", "count": 4})
    effects = case.store.apply("arrange_appointment", args)
    first = uuid.UUID(args["contact_id"])
    ids = [occurrence_id(first, i) for i in range(4)]
    assert [u.id for u in effects.upserts] == ids
    dates = [case.store.contact(i).date for i in ids]
    assert dates == [FRIDAY + dt.timedelta(weeks=n) for n in range(4)]


def test_client_and_server_create_the_same_series(case: Case) -> None:
    args = _arrange(case, repeat={"frequency": "fortnightly", "until": "2026-12-31"})
    client = apply_mutation(
        "arrange_appointment",
        1,
        args,
        mutation_id=uuid.uuid4(),
        actor=OFFICER,
        reader=case.store,
        today=TODAY,
        now=NOW,
        detect_conflicts=False,
    )
    server = case.store.apply("arrange_appointment", args)
    assert [(u.id, u.data) for u in client.upserts] == [(u.id, u.data) for u in server.upserts]
    assert [u.data["date"] for u in server.upserts] == ["2026-11-20", "2026-12-04", "2026-12-18"]


def test_a_replayed_series_books_nothing_twice(case: Case) -> None:
    args = _arrange(case, repeat={"frequency": "daily", "count": 3})
    case.store.apply("arrange_appointment", args)
    before = len(case.store.records)
    again = case.store.apply("arrange_appointment", args)
    assert again.upserts == ()
    assert again.warnings == ()  # never a clash with itself
    assert len(case.store.records) == before


def test_warnings_are_returned_and_dated_in_a_series(case: Case) -> None:
    case.appointment(dt.date(2026, 11, 27), hour=10)
    args = _arrange(case, date="2026-11-21", repeat={"frequency": "daily", "count": 7})
    effects = case.store.apply("arrange_appointment", args)
    assert len(effects.upserts) == 7
    assert "21/11/2026: Saturday 21 November 2026 is a weekend." in effects.warnings
    assert any(w.startswith("27/11/2026: Overlaps") for w in effects.warnings)


def test_a_bank_holiday_is_named(case: Case) -> None:
    effects = case.store.apply("arrange_appointment", _arrange(case, date="2026-12-28"))
    assert any("bank holiday" in w for w in effects.warnings)


def test_someone_elses_diary_does_not_clash(case: Case) -> None:
    case.appointment(FRIDAY, hour=10, staff_code="N07B999")
    effects = case.store.apply("arrange_appointment", _arrange(case))
    assert effects.warnings == ()


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"type_code": "CTOA"}, "type_code", "not an appointment"),
        ({"type_code": "ARWS"}, None, "created by the system"),
        ({"end_time": "09:00"}, "end_time", "after the start"),
        ({"location_code": None}, "location_code", "location"),
        ({"event_id": None}, "event_id", "Choose the event"),
        ({"date": "2026-11-17"}, "outcome_code", "in the past"),
        ({"requirement_id": "__condition__"}, "requirement_id", "not part of"),
        ({"licence_condition_id": "__condition__"}, "licence_condition_id", "not part of"),
        ({"repeat": {"frequency": "weekly"}}, "count", "how many times"),
        ({"repeat": {"frequency": "hourly", "count": 2}}, "repeat.frequency", "must be one of"),
        ({"repeat": {"frequency": "daily", "until": "2027-12-31"}}, "until", "at most 104"),
    ],
)
def test_arrange_rejections(
    case: Case, extra: dict[str, Any], field: str | None, words: str
) -> None:
    extra = {k: str(case.condition.id) if v == "__condition__" else v for k, v in extra.items()}
    with pytest.raises((ValidationError, RuleViolation)) as caught:
        case.store.apply("arrange_appointment", _arrange(case, **extra))
    assert words in str(caught.value)
    assert getattr(caught.value, "field", None) == field


def test_a_series_with_a_bad_date_names_it(case: Case) -> None:
    """A series crossing the clocks' 01:00 gap only warns; an error names the occurrence."""
    with pytest.raises(ValidationError, match=r"^17/11/2026: "):
        case.store.apply(
            "arrange_appointment",
            _arrange(case, date="2026-11-17", repeat={"frequency": "daily", "count": 2}),
        )


def test_a_licence_condition_links_on_a_licence(case: Case) -> None:
    args = _arrange(
        case, event_id=str(case.licence_event.id), licence_condition_id=str(case.condition.id)
    )
    case.store.apply("arrange_appointment", args)
    assert (
        case.store.contact(uuid.UUID(args["contact_id"])).licence_condition_id == case.condition.id
    )


# reschedule_appointment


def _reschedule(store: MemoryStore, contact_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    base = {
        "contact_id": str(contact_id),
        "new_contact_id": str(uuid.uuid4()),
        "requested_by": "person",
        "date": "2026-11-24",
        "start_time": "15:00",
        "end_time": "15:30",
        "base_version": store.records[("contact", contact_id)].version,
    }
    return {**base, **extra}


@pytest.mark.parametrize(("who", "code"), [("person", "RSOF"), ("service", "RSSR")])
def test_reschedule_moves_the_appointment(case: Case, who: str, code: str) -> None:
    old = case.appointment(FRIDAY, rar_activity=True)
    args = _reschedule(case.store, old.id, requested_by=who)
    effects = case.store.apply("reschedule_appointment", args)
    assert effects.conflicts == ()
    moved = case.store.contact(old.id)
    new = case.store.contact(uuid.UUID(args["new_contact_id"]))
    assert (moved.outcome_code, moved.attended, moved.complied) == (code, None, None)
    assert moved.rescheduled_to == new.id
    assert (new.date, new.start_time, new.end_time) == (
        dt.date(2026, 11, 24),
        dt.time(15),
        dt.time(15, 30),
    )
    assert (new.event_id, new.location_code, new.rar_activity) == (
        old.event_id,
        old.location_code,
        True,
    )
    assert new.outcome_code is None
    assert "Rescheduled from 20/11/2026 10:00" in new.notes


def test_a_replayed_reschedule_is_a_no_op(case: Case) -> None:
    old = case.appointment(FRIDAY)
    args = _reschedule(case.store, old.id)
    case.store.apply("reschedule_appointment", args)
    again = case.store.apply("reschedule_appointment", args)
    assert (again.upserts, again.conflicts) == ((), ())


def test_the_new_slot_is_checked(case: Case) -> None:
    old = case.appointment(FRIDAY)
    with pytest.raises(ValidationError, match="after the start"):
        case.store.apply(
            "reschedule_appointment", _reschedule(case.store, old.id, end_time="14:00")
        )
    assert case.store.contact(old.id).outcome_code is None


def test_the_old_slot_does_not_clash_with_the_new(case: Case) -> None:
    old = case.appointment(FRIDAY)
    args = _reschedule(case.store, old.id, date=FRIDAY.isoformat(), start_time="10:15")
    assert case.store.apply("reschedule_appointment", args).warnings == ()


def test_an_appointment_with_an_outcome_cannot_be_rescheduled(case: Case) -> None:
    old = case.appointment(TODAY, outcome_code="ATTC", attended=True, complied=True)
    with pytest.raises(RuleViolation, match="already has an outcome"):
        case.store.apply("reschedule_appointment", _reschedule(case.store, old.id))


def test_a_new_id_already_in_use_is_refused(case: Case) -> None:
    old = case.appointment(FRIDAY)
    other = case.appointment(FRIDAY, hour=15)
    args = _reschedule(case.store, old.id, new_contact_id=str(other.id))
    with pytest.raises(ValidationError, match="already in use"):
        case.store.apply("reschedule_appointment", args)


def test_an_outcome_recorded_centrally_meanwhile_is_a_conflict(case: Case) -> None:
    old = case.appointment(TODAY)
    args = _reschedule(case.store, old.id)
    outcome = {
        "contact_id": str(old.id),
        "outcome_code": "ATTC",
        "base_version": args["base_version"],
    }
    case.store.apply("record_outcome", outcome)
    effects = case.store.apply("reschedule_appointment", args)
    assert [(c.field, c.yours, c.central) for c in effects.conflicts] == [
        ("outcome_code", "RSOF", "ATTC")
    ]
    assert effects.upserts == ()
    assert case.store.get("contact", uuid.UUID(args["new_contact_id"])) is None


def test_a_move_made_centrally_meanwhile_is_a_conflict(case: Case) -> None:
    old = case.appointment(FRIDAY)
    mine = _reschedule(case.store, old.id)
    theirs = _reschedule(case.store, old.id, date="2026-11-23")
    case.store.apply("reschedule_appointment", theirs)
    effects = case.store.apply("reschedule_appointment", mine)
    [conflict] = effects.conflicts
    assert (conflict.field, conflict.yours, conflict.central) == (
        "rescheduled_to",
        mine["new_contact_id"],
        theirs["new_contact_id"],
    )
    assert case.store.get("contact", uuid.UUID(mine["new_contact_id"])) is None


def test_the_client_applies_a_reschedule_optimistically(case: Case) -> None:
    old = case.appointment(TODAY)
    args = _reschedule(case.store, old.id)
    case.store.apply("append_contact_note", {"contact_id": str(old.id), "text": "Running late."})
    effects = case.store.apply("reschedule_appointment", args, detect=False)
    assert effects.conflicts == ()
    assert len(effects.upserts) == 2


def test_rescheduling_a_deleted_appointment_is_a_conflict(case: Case) -> None:
    old = case.appointment(FRIDAY)
    args = _reschedule(case.store, old.id)
    case.store.delete("contact", old.id)
    [conflict] = case.store.apply("reschedule_appointment", args).conflicts
    assert (conflict.record_id, conflict.field) == (old.id, WHOLE_RECORD)
