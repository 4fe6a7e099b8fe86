"""The awkward days, across the rules: weekends, bank holidays, clock changes, leap years,
a breach in progress and an outcome corrected after evidence.

Each table row is a case an officer met (or will): if a rule drifts on one of these days,
a deadline or a count on screen is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.rules.appointments import AppointmentDraft, check_appointment
from domain.rules.compliance import enforcement_review_due, failure_dates
from domain.rules.enforcement import afta_evidence_due, breach_pack_due, response_due
from domain.rules.outcomes import allowed_enforcement_actions, allowed_outcomes
from domain.rules.progress import rar_progress, unpaid_work_progress
from domain.rules.repeating import occurrence_dates
from tests.domain.builders import EVENT_ID, contact, event, requirement

D = dt.date
T = dt.time


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (D(2026, 3, 29), "the Sunday the clocks go forward"),
        (D(2026, 10, 25), "the Sunday the clocks go back"),
        (D(2026, 12, 26), "Boxing Day, a Saturday"),
        (D(2026, 12, 28), "Boxing Day observed, a Monday bank holiday"),
        (D(2028, 2, 29), "a leap day"),
    ],
)
def test_a_failure_on_an_awkward_day_is_one_dated_failure(day: dt.date, why: str) -> None:
    contacts = [contact(day, "UAAB"), contact(day, "AFTC")]
    assert failure_dates(event(), contacts) == [day], why


@pytest.mark.parametrize(
    ("action", "on", "due"),
    [
        ("EA02", D(2026, 10, 22), D(2026, 10, 29)),  # 7 calendar days over the clocks going back
        ("EA02", D(2026, 3, 26), D(2026, 4, 2)),  # ... and going forward
        ("EA02", D(2028, 2, 25), D(2028, 3, 3)),  # over 29 February
        ("EA02", D(2027, 2, 25), D(2027, 3, 4)),  # no 29th in 2027
        ("LCL", D(2026, 12, 24), D(2026, 12, 31)),  # calendar days: Christmas is not skipped
        ("EA08", D(2026, 11, 21), D(2026, 12, 4)),  # 10 working days from a Saturday
        ("ROM", D(2026, 12, 24), D(2026, 12, 30)),  # 2 working days: 25th, 28th skipped
        ("ROM", D(2026, 5, 22), D(2026, 5, 27)),  # Spring bank holiday Monday skipped
    ],
)
def test_response_periods_on_awkward_days(action: str, on: dt.date, due: dt.date) -> None:
    assert response_due(action, on) == due


@pytest.mark.parametrize(
    ("on", "breach_pack", "afta"),
    [
        (D(2026, 8, 28), D(2026, 9, 14), D(2026, 9, 7)),  # Summer bank holiday Monday 31 Aug
        (D(2026, 5, 1), D(2026, 5, 18), D(2026, 5, 11)),  # Early May bank holiday Monday 4 May
        (D(2026, 10, 23), D(2026, 11, 6), D(2026, 10, 30)),  # over the clocks going back
        (D(2026, 3, 27), D(2026, 4, 14), D(2026, 4, 7)),  # clocks forward, then Easter
        (D(2026, 12, 25), D(2027, 1, 12), D(2027, 1, 5)),  # from a bank holiday itself
        (D(2028, 2, 28), D(2028, 3, 13), D(2028, 3, 6)),  # over a leap day (a Tuesday)
    ],
)
def test_working_day_deadlines_on_awkward_days(
    on: dt.date, breach_pack: dt.date, afta: dt.date
) -> None:
    assert breach_pack_due(on) == breach_pack
    assert afta_evidence_due(on) == afta


def test_a_breach_in_progress_then_ended_counts_only_failures_after_it() -> None:
    failures = [contact(D(2026, m, 2), "UAAB") for m in (3, 4, 5, 7, 8, 9)]
    in_breach = event(breach_in_progress=True)
    assert failure_dates(in_breach, failures) == []
    ended = event(last_breach_end=D(2026, 6, 30))
    assert failure_dates(ended, failures) == [D(2026, 7, 2), D(2026, 8, 2), D(2026, 9, 2)]
    assert enforcement_review_due(ended, failures, today=D(2026, 9, 3))
    assert not enforcement_review_due(ended, failures[:-1], today=D(2026, 9, 3))


@pytest.mark.parametrize(
    ("first", "corrected", "failures_after", "rar_days_after"),
    [
        ("AFTA", "AAME", 0, 0),  # evidence accepted: an acceptable absence
        ("AFTA", "UAAB", 1, 0),  # evidence not given: now a failure
        ("UAAB", "AAME", 0, 0),  # evidence arrived late: the failure is lifted
        ("AFTC", "ATTC", 0, 1),  # recorded against the wrong person: corrected to complied
        ("ATTC", "AFTC", 1, 0),  # corrected the other way: the RAR day no longer counts
    ],
)
def test_an_outcome_corrected_after_evidence_changes_every_count(
    first: str, corrected: str, failures_after: int, rar_days_after: int
) -> None:
    rar = requirement("F", 10)
    day = D(2026, 10, 26)  # the day after the clocks went back
    before = contact(day, first, requirement_id=rar.id, rar_activity=True)
    after = before.model_copy(update={"outcome_code": corrected})
    assert len(failure_dates(event(), [after])) == failures_after
    progress = rar_progress(rar, [after], today=D(2026, 11, 23))
    assert progress.completed_days == rar_days_after


def test_unpaid_work_hours_on_a_bank_holiday_and_the_short_day_count_as_credited() -> None:
    upw = requirement("W", 100)
    credited = [
        contact(D(2026, 5, 25), "ATTC", type_code="CUPA", requirement_id=upw.id,
                hours_credited_minutes=420),  # Spring bank holiday: work parties still run
        contact(D(2026, 3, 29), "ATTC", type_code="CUPA", requirement_id=upw.id,
                hours_credited_minutes=390),  # the 23-hour day: minutes are as credited
    ]  # fmt: skip
    progress = unpaid_work_progress(upw, credited)
    assert progress.completed_minutes == 810


@pytest.mark.parametrize(
    ("start", "frequency", "count", "expected_last"),
    [
        (D(2028, 2, 1), "four_weekly", 2, D(2028, 2, 29)),  # lands on the leap day
        (D(2027, 2, 1), "four_weekly", 2, D(2027, 3, 1)),  # no leap day in 2027
        (D(2026, 12, 14), "fortnightly", 2, D(2026, 12, 28)),  # onto a bank holiday: kept
        (D(2026, 10, 18), "weekly", 2, D(2026, 10, 25)),  # onto the clocks-back Sunday
    ],
)
def test_repeating_dates_on_awkward_days(
    start: dt.date, frequency: str, count: int, expected_last: dt.date
) -> None:
    # The dates are generated as asked; the warnings below tell the officer about them.
    dates = occurrence_dates(start, frequency, count=count)  # type: ignore[arg-type]
    assert dates[-1] == expected_last


def _draft(**changes: object) -> AppointmentDraft:
    base = AppointmentDraft(
        type_code="COAP",
        date=D(2026, 12, 28),
        start_time=T(10, 0),
        end_time=T(10, 30),
        location_code="N07OFF1",
        event_id=EVENT_ID,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (D(2026, 12, 28), "bank holiday (Boxing Day (observed))"),
        (D(2027, 10, 31), "weekend"),  # the Sunday the clocks go back in 2027
        (D(2028, 12, 25), "bank holiday (Christmas Day)"),
    ],
)
def test_booking_on_an_awkward_day_warns_but_allows(day: dt.date, words: str) -> None:
    check = check_appointment(_draft(date=day), [], today=D(2026, 11, 23))
    assert check.ok
    assert any(words in w for w in check.warnings), check.warnings


def test_a_past_appointment_on_a_bank_holiday_still_needs_its_outcome() -> None:
    check = check_appointment(_draft(date=D(2026, 8, 31)), [], today=D(2026, 11, 23))
    assert not check.ok
    assert [e.field for e in check.errors] == ["outcome_code"]


def test_after_a_correction_enforcement_offers_follow_the_new_outcome() -> None:
    assert allowed_enforcement_actions("UAAB", licence=False)
    assert allowed_enforcement_actions("AAME", licence=False) == []
    assert {o.code for o in allowed_outcomes("COAP")} >= {"UAAB", "AAME", "AFTA"}
