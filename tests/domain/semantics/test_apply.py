"""apply_mutation: which mutations run, how bad arguments fail, and the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.errors import ValidationError
from domain.mutations import MUTATIONS, SUPPORTED
from domain.semantics import UnknownMutation, UnsupportedMutationVersion, apply_mutation
from domain.semantics.apply import HANDLERS
from domain.semantics.ports import RecordKind
from sync.protocol import RECORD_KINDS
from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY


def test_every_mutation_has_a_handler() -> None:
    assert set(HANDLERS) == set(MUTATIONS) == set(SUPPORTED)


def test_record_kinds_match_the_wire_protocol() -> None:
    assert RecordKind.__args__ == RECORD_KINDS  # type: ignore[attr-defined]


def test_unknown_name_is_its_own_error(case: Case) -> None:
    with pytest.raises(UnknownMutation) as caught:
        case.store.apply("delete_everything", {})
    assert caught.value.code == "unknown_mutation"
    assert "delete_everything" in caught.value.message


@pytest.mark.parametrize(
    ("version", "too_old"),
    [(0, True), (2, False), (99, False)],
)
def test_unsupported_version_says_which_side_is_behind(
    case: Case, version: int, too_old: bool
) -> None:
    with pytest.raises(UnsupportedMutationVersion) as caught:
        case.store.apply("unpin_case", {"crn": CRN}, version=version)
    assert caught.value.too_old is too_old
    assert caught.value.supported == (1,)
    assert ("upgrade" in caught.value.message) is too_old


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ({}, "crn", "Crn is missing."),
        ({"crn": "x1"}, "crn", "one letter followed by six digits"),
        ({"crn": CRN, "colour": "red"}, "colour", "not part of this change"),
        ({"crn": 7}, "crn", "Crn"),
    ],
)
def test_bad_arguments_are_plain_validation_errors(
    case: Case, args: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        case.store.apply("pin_case", args)
    assert caught.value.field == field
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ({"date": "31/12/2026"}, "date", "is not a date"),
        ({"date": "9999-12-31"}, "date", "at most 2100-12-31"),
        ({"date": "0001-01-01"}, "date", "at least 1900-01-01"),
        ({"start_time": "25:00"}, "start_time", "is not a time"),
        ({"start_time": "10:00+01:00"}, "start_time", "without a time zone"),
        ({"notes": "x" * 12_001}, "notes", "up to 12,000 characters"),
        ({"contact_id": "not-a-uuid"}, "contact_id", "not a valid id"),
        ({"hours_credited_minutes": -5}, "hours_credited_minutes", "at least 0"),
    ],
)
def test_type_errors_name_the_field(
    case: Case, args: dict[str, object], field: str, words: str
) -> None:
    base = {"contact_id": str(uuid.uuid4()), "crn": CRN, "type_code": "CTOA", "date": "2026-11-18"}
    with pytest.raises(ValidationError) as caught:
        case.store.apply("record_contact", {**base, **args})
    assert caught.value.field == field
    assert words in caught.value.message


def test_arguments_that_are_not_an_object_are_rejected(case: Case) -> None:
    with pytest.raises(ValidationError, match="not in the right form"):
        apply_mutation(
            "pin_case",
            1,
            ["X320741"],  # type: ignore[arg-type]
            mutation_id=uuid.uuid4(),
            actor=OFFICER,
            reader=case.store,
            today=TODAY,
            now=NOW,
            detect_conflicts=True,
        )


def test_every_change_is_audited_per_case_with_its_records(case: Case) -> None:
    contact_id = uuid.uuid4()
    effects = case.store.apply(
        "record_contact",
        {"contact_id": str(contact_id), "crn": CRN, "type_code": "CTOA", "date": "2026-11-18"},
    )
    [entry] = effects.audit
    assert (entry.action, entry.crn, entry.record_ids, entry.at) == (
        "record_contact",
        CRN,
        (contact_id,),
        NOW,
    )
    assert effects.crns == {CRN}


def test_the_applying_sides_clock_decides(case: Case) -> None:
    """The same appointment is fine on the client's day and refused on a later server day."""
    args = {
        "contact_id": str(uuid.uuid4()),
        "crn": CRN,
        "type_code": "COAP",
        "date": "2026-11-19",
        "start_time": "10:00",
        "end_time": "10:30",
        "event_id": str(case.event.id),
        "location_code": "N07OFF1",
    }
    case.store.apply("arrange_appointment", dict(args), detect=False)
    args["contact_id"] = str(uuid.uuid4())
    with pytest.raises(ValidationError, match="in the past"):
        case.store.apply("arrange_appointment", args, today=dt.date(2026, 11, 20))


def _tomorrow(case: Case) -> dict[str, object]:
    return {
        "contact_id": str(uuid.uuid4()),
        "crn": CRN,
        "type_code": "COAP",
        "date": "2026-11-19",
        "start_time": "10:00",
        "end_time": "10:30",
        "event_id": str(case.event.id),
        "location_code": "N07OFF1",
    }


def test_work_queued_offline_is_judged_on_the_day_it_was_made(case: Case) -> None:
    """Booked for tomorrow on the laptop, synced three days later: booked, with a nudge."""
    effects = apply_mutation(
        "arrange_appointment",
        1,
        _tomorrow(case),
        mutation_id=uuid.uuid4(),
        actor=OFFICER,
        reader=case.store,
        today=dt.date(2026, 11, 21),
        now=NOW,
        detect_conflicts=True,
        made_on=TODAY,
    )
    assert len(effects.upserts) == 1
    assert "This appointment is now in the past: record its outcome." in effects.warnings


def test_a_made_on_day_after_today_counts_as_today(case: Case) -> None:
    """A laptop clock running ahead cannot record what today's server would refuse."""
    args = {**_tomorrow(case), "date": "2026-11-25", "outcome_code": "ATTC"}
    with pytest.raises(ValidationError, match="in the future"):
        apply_mutation(
            "record_contact",
            1,
            args,
            mutation_id=uuid.uuid4(),
            actor=OFFICER,
            reader=case.store,
            today=TODAY,
            now=NOW,
            detect_conflicts=True,
            made_on=dt.date(2026, 12, 1),
        )
