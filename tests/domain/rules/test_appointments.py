"""Appointment checks: errors that block booking and warnings the officer may override."""

from __future__ import annotations

import dataclasses
import datetime as dt
from uuid import uuid4

import pytest

from domain.rules.appointments import AppointmentDraft, check_appointment
from tests.domain.builders import EVENT_ID, contact

D = dt.date
T = dt.time
TODAY = D(2026, 11, 23)  # a Monday


def draft(**changes: object) -> AppointmentDraft:
    base = AppointmentDraft(
        type_code="COAP",
        date=D(2026, 11, 25),
        start_time=T(10, 0),
        end_time=T(10, 30),
        location_code="N07OFF1",
        event_id=EVENT_ID,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def fields(check: object) -> list[str | None]:
    return [e.field for e in check.errors]  # type: ignore[attr-defined]


def test_a_good_appointment_passes_quietly() -> None:
    check = check_appointment(draft(), [], today=TODAY)
    assert check.ok
    assert check.warnings == ()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"end_time": T(10, 0)}, "end_time", "must be after the start time"),
        ({"end_time": T(9, 0)}, "end_time", "must be after the start time"),
        ({"location_code": None}, "location_code", "Choose a location"),
        ({"event_id": None}, "event_id", "Choose the event"),
        (
            {"requirement_id": uuid4(), "licence_condition_id": uuid4()},
            "requirement_id",
            "not both",
        ),
        ({"date": D(2026, 11, 20)}, "outcome_code", "record what happened"),
        ({"outcome_code": "ATTC"}, "outcome_code", "acceptable absence"),
        ({"date": TODAY, "outcome_code": "XXXX"}, "outcome_code", "not an outcome"),
    ],
)
def test_errors(changes: dict[str, object], field: str, words: str) -> None:
    check = check_appointment(draft(**changes), [], today=TODAY)
    assert not check.ok
    assert fields(check) == [field]
    assert words in check.errors[0].message


def test_location_is_not_needed_where_the_type_has_none() -> None:
    assert check_appointment(draft(type_code="CHVS", location_code=None), [], today=TODAY).ok
    assert check_appointment(draft(type_code="COPT", location_code=None), [], today=TODAY).ok


def test_person_level_types_need_no_event() -> None:
    check = check_appointment(draft(type_code="CRSAPT", event_id=None), [], today=TODAY)
    assert check.ok


def test_past_appointment_with_an_outcome_is_fine() -> None:
    assert check_appointment(draft(date=D(2026, 11, 20), outcome_code="UAAB"), [], today=TODAY).ok


def test_an_acceptable_absence_may_be_agreed_in_advance() -> None:
    assert check_appointment(draft(outcome_code="AAME"), [], today=TODAY).ok


def test_several_errors_are_reported_together() -> None:
    check = check_appointment(
        draft(end_time=T(9, 0), location_code=None, event_id=None), [], today=TODAY
    )
    assert fields(check) == ["end_time", "location_code", "event_id"]


def test_non_appointment_and_unknown_types_are_refused() -> None:
    assert (
        "not an appointment type"
        in check_appointment(draft(type_code="CTOA"), [], today=TODAY).errors[0].message
    )
    assert fields(check_appointment(draft(type_code="ZZZZ"), [], today=TODAY)) == ["type_code"]


def test_requirement_without_event() -> None:
    check = check_appointment(draft(event_id=None, requirement_id=uuid4()), [], today=TODAY)
    assert fields(check) == ["event_id", "event_id"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 28), ["Saturday 28 November 2026 is a weekend."]),
        (D(2026, 4, 3), ["Friday 3 April 2026 is a bank holiday (Good Friday)."]),
        (
            D(2026, 12, 26),
            [
                "Saturday 26 December 2026 is a weekend.",
                "Saturday 26 December 2026 is a bank holiday (Boxing Day).",
            ],
        ),
        (
            D(2026, 12, 28),
            ["Monday 28 December 2026 is a bank holiday (Boxing Day (observed))."],
        ),
        (D(2026, 3, 17), []),  # St Patrick's Day is not a holiday in England and Wales
    ],
)
def test_day_warnings(day: dt.date, expected: list[str]) -> None:
    check = check_appointment(draft(date=day), [], today=D(2026, 1, 1))
    assert list(check.warnings) == expected


def test_the_skipped_hour_when_clocks_go_forward_is_warned() -> None:
    check = check_appointment(
        draft(date=D(2026, 3, 29), start_time=T(1, 15), end_time=T(1, 45),
              type_code="COPT", location_code=None),
        [],
        today=D(2026, 3, 1),
    )  # fmt: skip
    assert check.ok
    assert any("01:15 does not exist" in w for w in check.warnings)
    assert any("01:45 does not exist" in w for w in check.warnings)


DAY = D(2026, 11, 25)


NEAR = "Less than an hour from another appointment at "


@pytest.mark.parametrize(
    ("other_start", "other_end", "warning"),
    [
        (T(10, 15), T(10, 45), "Overlaps another appointment at 10:15-10:45 (X320741)."),
        (T(9, 0), T(12, 0), "Overlaps another appointment at 09:00-12:00 (X320741)."),
        (T(10, 30), T(11, 0), NEAR + "10:30-11:00 (X320741)."),
        (T(11, 29), T(12, 0), NEAR + "11:29-12:00 (X320741)."),
        (T(8, 31), T(9, 1), NEAR + "08:31-09:01 (X320741)."),
        (T(11, 30), T(12, 0), None),  # exactly an hour later
        (T(8, 0), T(9, 0), None),  # ends exactly an hour before
    ],
)
def test_clashes(other_start: dt.time, other_end: dt.time, warning: str | None) -> None:
    diary = [contact(DAY, start_time=other_start, end_time=other_end)]
    check = check_appointment(draft(date=DAY), diary, today=TODAY)
    assert list(check.warnings) == ([warning] if warning else [])


def test_a_clash_names_the_person_when_the_caller_knows_them() -> None:
    diary = [contact(DAY, start_time=T(10, 15), end_time=T(10, 45))]
    names = {"X320741": "Amelia Hughes"}
    check = check_appointment(draft(date=DAY), diary, today=TODAY, names=names)
    assert check.warnings == (
        "Overlaps another appointment at 10:15-10:45 (Amelia Hughes, X320741).",
    )


def test_diary_entries_that_cannot_clash_are_ignored() -> None:
    diary = [
        contact(D(2026, 11, 26)),  # another day
        contact(DAY, type_code="CTOA"),  # a phone call record, not an appointment
        contact(DAY, "RSOF"),  # rescheduled: the slot moved
        contact(DAY, start_time=None, end_time=None),  # no time
    ]
    assert check_appointment(draft(date=DAY), diary, today=TODAY).warnings == ()


def test_an_appointment_without_an_end_time_clashes_by_its_start() -> None:
    diary = [contact(DAY, start_time=T(11, 0), end_time=None)]
    check = check_appointment(draft(date=DAY), diary, today=TODAY)
    assert list(check.warnings) == [NEAR + "11:00 (X320741)."]


def test_clash_gap_is_real_time_when_the_clocks_go_forward() -> None:
    # 00:30-00:50 then 02:10: 80 minutes on the clock, but only 20 real minutes apart.
    day = D(2026, 3, 29)
    diary = [contact(day, start_time=T(2, 10), end_time=T(2, 40))]
    check = check_appointment(
        draft(date=day, start_time=T(0, 30), end_time=T(0, 50)), diary, today=D(2026, 3, 1)
    )
    assert NEAR + "02:10-02:40 (X320741)." in check.warnings


def test_clash_gap_is_real_time_when_the_clocks_go_back() -> None:
    # 01:00-01:55 (read as the first, BST, 01:55) then 02:30 GMT on the 25-hour day:
    # 35 minutes on the clock but 95 real minutes apart, so no clash.
    day = D(2026, 10, 25)
    diary = [contact(day, start_time=T(2, 30), end_time=T(3, 0))]
    check = check_appointment(
        draft(date=day, start_time=T(1, 0), end_time=T(1, 55)), diary, today=D(2026, 10, 1)
    )
    assert not [w for w in check.warnings if "another appointment" in w]
