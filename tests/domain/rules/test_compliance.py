"""Failures to comply, the enforcement review, and compliance in plain words."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import pytest

from domain.rules.compliance import (
    compliance_summary,
    enforcement_review_due,
    failure_dates,
    failure_to_comply_count,
)
from tests.domain.builders import contact, event

D = dt.date
TODAY = D(2026, 11, 23)


def test_distinct_failure_dates_are_counted() -> None:
    contacts = [
        contact(D(2026, 3, 2), "UAAB"),
        contact(D(2026, 3, 2), "AFTC"),  # a second failure the same day counts once
        contact(D(2026, 4, 6), "ATSH"),
        contact(D(2026, 5, 4), "ATTC"),
    ]
    assert failure_to_comply_count(event(), contacts) == 2
    assert failure_dates(event(), contacts) == [D(2026, 3, 2), D(2026, 4, 6)]


@pytest.mark.parametrize(
    "outcome", ["ATTC", "ATSS", "AFTA", "AAME", "AACL", "CO05", "RSSR", "RSOF", None]
)
def test_outcomes_that_are_not_failures_do_not_count(outcome: str | None) -> None:
    assert failure_to_comply_count(event(), [contact(D(2026, 3, 2), outcome)]) == 0


def test_only_national_standards_contacts_count() -> None:
    contacts = [
        contact(D(2026, 3, 2), "UAAB", type_code="COSR"),  # not a national-standards type
        contact(D(2026, 3, 3), "UAAB", type_code="C357"),
        contact(D(2026, 3, 4), "UAAB", type_code="ZZZZ"),  # unknown type: not counted
    ]
    assert failure_to_comply_count(event(), contacts) == 0


def test_only_the_events_own_contacts_count() -> None:
    contacts = [
        contact(D(2026, 3, 2), "UAAB", event_id=uuid4()),
        contact(D(2026, 3, 3), "UAAB", event_id=None),
    ]
    assert failure_to_comply_count(event(), contacts) == 0


def test_failures_before_the_sentence_started_do_not_count() -> None:
    contacts = [contact(D(2025, 1, 3), "UAAB"), contact(D(2025, 1, 6), "UAAB")]
    assert failure_to_comply_count(event(start=D(2025, 1, 6)), contacts) == 1


def test_counting_restarts_after_the_last_breach_ended() -> None:
    contacts = [
        contact(D(2026, 2, 2), "UAAB"),
        contact(D(2026, 3, 2), "UAAB"),  # part of the breach that ended on this day
        contact(D(2026, 3, 3), "UAAB"),
    ]
    assert failure_to_comply_count(event(last_breach_end=D(2026, 3, 2)), contacts) == 1


def test_a_breach_in_progress_adds_no_new_failures() -> None:
    contacts = [contact(D(2026, 9, 1), "UAAB"), contact(D(2026, 10, 1), "UAAB")]
    in_breach = event(breach_in_progress=True)
    assert failure_to_comply_count(in_breach, contacts) == 0
    assert not enforcement_review_due(in_breach, contacts, today=TODAY)


def test_no_sentence_no_failures() -> None:
    no_sentence = event().model_copy(update={"sentence": None})
    assert failure_to_comply_count(no_sentence, [contact(D(2026, 3, 2), "UAAB")]) == 0
    assert not enforcement_review_due(no_sentence, [], today=TODAY)


@pytest.mark.parametrize(
    ("dates", "due"),
    [
        ([D(2026, 1, 5), D(2026, 2, 2)], False),  # at the limit of 2: no review yet
        ([D(2026, 1, 5), D(2026, 2, 2), D(2026, 3, 2)], True),  # above it
        ([D(2025, 11, 23), D(2026, 2, 2), D(2026, 3, 2)], False),  # one is 12 months ago today
        ([D(2025, 11, 24), D(2026, 2, 2), D(2026, 3, 2)], True),  # just inside the window
    ],
)
def test_review_is_due_above_the_limit_within_twelve_months(
    dates: list[dt.date], due: bool
) -> None:
    contacts = [contact(day, "UAAB") for day in dates]
    assert enforcement_review_due(event(), contacts, today=TODAY) is due


def test_three_failures_on_one_day_do_not_trigger_a_review() -> None:
    day = D(2026, 3, 2)
    contacts = [contact(day, "UAAB"), contact(day, "AFTC"), contact(day, "ATSH")]
    assert not enforcement_review_due(event(), contacts, today=TODAY)


def test_an_outcome_corrected_after_evidence_lifts_the_review() -> None:
    failed = [contact(D(2026, m, 2), "UAAB") for m in (6, 7, 8)]
    assert enforcement_review_due(event(), failed, today=TODAY)
    corrected = [*failed[:2], failed[2].model_copy(update={"outcome_code": "AAME"})]
    assert not enforcement_review_due(event(), corrected, today=TODAY)
    assert failure_to_comply_count(event(), corrected) == 2


def test_afta_waits_for_evidence_then_counts_only_if_judged_unacceptable() -> None:
    earlier = [contact(D(2026, 6, 2), "UAAB"), contact(D(2026, 7, 2), "UAAB")]
    afta = contact(D(2026, 8, 3), "AFTA")
    assert failure_to_comply_count(event(), [*earlier, afta]) == 2  # not yet a failure
    assert not enforcement_review_due(event(), [*earlier, afta], today=TODAY)
    unacceptable = afta.model_copy(update={"outcome_code": "UAAB"})
    assert enforcement_review_due(event(), [*earlier, unacceptable], today=TODAY)
    accepted = afta.model_copy(update={"outcome_code": "AAME"})
    assert not enforcement_review_due(event(), [*earlier, accepted], today=TODAY)


def test_leap_day_window() -> None:
    # 29 February 2028 is within "the last 12 months" on 28 February 2029, not on 1 March.
    contacts = [contact(d, "UAAB") for d in (D(2028, 2, 29), D(2028, 6, 1), D(2028, 9, 1))]
    assert enforcement_review_due(event(), contacts, today=D(2029, 2, 28))
    assert not enforcement_review_due(event(), contacts, today=D(2029, 3, 1))


def test_window_on_a_leap_day_itself() -> None:
    # On 29 February 2028, twelve months back is 28 February 2027 (no 29th that year).
    contacts = [contact(d, "UAAB") for d in (D(2027, 2, 28), D(2027, 6, 1), D(2027, 9, 1))]
    assert not enforcement_review_due(event(), contacts, today=D(2028, 2, 29))
    assert enforcement_review_due(event(), contacts, today=D(2028, 2, 27))


def test_summary_in_plain_words() -> None:
    contacts = [
        contact(D(2026, 6, 1), "ATTC"),
        contact(D(2026, 6, 8), "ATTC"),
        contact(D(2026, 6, 15), "UAAB"),
        contact(D(2026, 6, 22), "AFTC"),
        contact(D(2026, 6, 29), "AAME"),
        contact(D(2026, 7, 6), "RSOF"),
        contact(D(2026, 7, 13), "RSSR"),
        contact(D(2026, 7, 20), "ATSS"),
        contact(D(2024, 7, 20), "UAAB"),  # outside the window
        contact(D(2026, 12, 1)),  # booked, not yet happened
    ]
    summary = compliance_summary(event(start=D(2024, 1, 1)), contacts, today=TODAY)
    assert summary.failures_to_comply == 2
    assert summary.failures_text == "2 failures to comply in the last 12 months"
    assert summary.attended == 4  # ATTC x2, AFTC, ATSS
    assert summary.acceptable_absences == 1
    assert summary.unacceptable_absences == 1
    assert summary.absences_text == "1 acceptable and 1 unacceptable absences"
    assert summary.pattern_text == (
        "1 failed to attend, 1 attended but failed to comply, 2 rescheduled (1 at their request)"
    )
    assert summary.status == "2 failures to comply"
    assert summary.status_kind == "failures"


def test_one_failure_is_singular() -> None:
    summary = compliance_summary(event(), [contact(D(2026, 6, 15), "UAAB")], today=TODAY)
    assert summary.failures_text == "1 failure to comply in the last 12 months"
    assert summary.status == "1 failure to comply"


@pytest.mark.parametrize(
    ("contacts", "breach", "kind", "status"),
    [
        ([], False, "ok", "Compliant"),
        ([contact(D(2026, 6, 1), "ATTC")], False, "ok", "Compliant"),
        ([contact(D(2026, 6, 1), "UAAB")], True, "breach", "Breach in progress"),
        (
            [contact(D(2026, m, 1), "UAAB") for m in (6, 7, 8)],
            False,
            "review",
            "Review enforcement",
        ),
        # AFTA on Wed 18 Nov: evidence due Wed 25 Nov, so still waiting on the 23rd
        ([contact(D(2026, 11, 18), "AFTA")], False, "awaiting_evidence", None),
        # AFTA on Mon 9 Nov: evidence was due Mon 16 Nov
        ([contact(D(2026, 11, 9), "AFTA")], False, "evidence_overdue", None),
    ],
)
def test_status_line(contacts: list, breach: bool, kind: str, status: str | None) -> None:
    summary = compliance_summary(event(breach_in_progress=breach), contacts, today=TODAY)
    assert summary.status_kind == kind
    if status is not None:
        assert summary.status == status


def test_afta_deadline_counts_working_days_over_christmas() -> None:
    # AFTA on 23 Dec 2026: evidence due 4 Jan 2027 (Christmas, Boxing Day observed, New Year).
    afta = [contact(D(2026, 12, 23), "AFTA")]
    waiting = compliance_summary(event(), afta, today=D(2027, 1, 4))
    overdue = compliance_summary(event(), afta, today=D(2027, 1, 5))
    assert waiting.status_kind == "awaiting_evidence"
    assert overdue.status_kind == "evidence_overdue"
