"""The compliance picture against hand-worked examples (nDelius's compliance summary)."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

from domain.rules.compliance import compliance_picture
from tests.domain.builders import contact, event

D = dt.date
TODAY = D(2026, 11, 23)  # window: 24 Nov 2025 to 23 Nov 2026


def year_of_contacts() -> list:  # type: ignore[type-arg]
    return [
        contact(D(2025, 10, 1), "UAAB"),  # before the window: not counted anywhere
        contact(D(2026, 1, 5), "AAME"),  # acceptable absence 1
        contact(D(2026, 1, 12), "AACL"),  # acceptable absence 2
        contact(D(2026, 2, 2), "UAAB", enforcement_code="EA02"),  # unacceptable, letter, FTC 1
        contact(D(2026, 3, 2), "AFTC"),  # attended but failed to comply 1, FTC 2
        contact(D(2026, 4, 6), "RSSR"),  # rescheduled by staff
        contact(D(2026, 4, 13), "RSOF"),  # rescheduled by the person 1
        contact(D(2026, 5, 4), "RSOF"),  # rescheduled by the person 2
        contact(D(2026, 6, 1), "ATTC"),  # complied: in no count
        contact(D(2026, 6, 8), "ATSH"),  # attended but failed to comply 2, FTC 3 (> 2)
        contact(D(2026, 11, 2), "AFTA"),  # awaiting evidence; due 9 Nov: overdue
        contact(D(2026, 11, 20), "AFTA"),  # awaiting evidence; due 27 Nov: not yet
        contact(D(2026, 11, 16)),  # no outcome, in the past: not recorded
        contact(D(2026, 11, 23)),  # no outcome, today: not yet "not recorded"
        contact(D(2026, 11, 30)),  # future appointment: outside the window
        contact(D(2026, 5, 10), type_code="C326"),  # not an appointment
        contact(D(2026, 2, 2), "UAAB", event_id=uuid4()),  # another event's
    ]


def test_a_year_of_appointments_counted_as_the_national_summary_counts_them() -> None:
    picture = compliance_picture(event(), year_of_contacts(), today=TODAY)
    assert picture.acceptable_absences == 2
    assert picture.unacceptable_absences == 1
    assert picture.awaiting_evidence == 2
    assert picture.evidence_overdue == 1
    assert picture.attended_failed_to_comply == 2
    assert picture.outcomes_not_recorded == 1
    assert picture.rescheduled_by_staff == 1
    assert picture.rescheduled_by_person == 2
    assert picture.warning_letters == 1
    assert picture.breach_in_progress is False
    assert picture.previous_breaches == 0
    assert (picture.failures_to_comply, picture.failure_limit) == (3, 2)
    assert picture.over_limit


def test_what_needs_doing_in_plain_words_most_pressing_first() -> None:
    picture = compliance_picture(event(), year_of_contacts(), today=TODAY)
    assert picture.actions == ("Review enforcement", "Evidence overdue", "1 outcome to record")
    assert dict(picture.lines())["Failures to comply"] == "3 of 2 allowed"
    assert dict(picture.lines())["Absences awaiting evidence"] == "2"


def test_needs_action_orders_review_before_overdue_evidence_before_quiet_cases() -> None:
    review = compliance_picture(event(), year_of_contacts(), today=TODAY)
    overdue = compliance_picture(event(), [contact(D(2026, 11, 2), "AFTA")], today=TODAY)
    quiet = compliance_picture(event(), [contact(D(2026, 11, 2), "ATTC")], today=TODAY)
    assert review.action_score > overdue.action_score > quiet.action_score == 0
    assert quiet.actions == ()


def test_breach_actions_close_together_are_one_breach_and_the_current_one_is_not_previous() -> None:
    contacts = [
        contact(D(2026, 1, 10), "UAAB", enforcement_code="IBR"),  # an earlier breach
        contact(D(2026, 7, 1), "UAAB", enforcement_code="EA08"),  # breach letter ...
        contact(D(2026, 7, 10), "UAAB", enforcement_code="IBR"),  # ... then laid: one breach
    ]
    in_breach = compliance_picture(event(breach_in_progress=True), contacts, today=TODAY)
    assert in_breach.breach_in_progress
    assert in_breach.previous_breaches == 1
    assert in_breach.failures_to_comply == 0  # the court has the matter
    assert in_breach.actions == ()
    settled = compliance_picture(event(), contacts, today=TODAY)
    assert settled.previous_breaches == 2


def test_a_breach_that_ended_in_the_window_is_a_previous_breach() -> None:
    ended = compliance_picture(event(last_breach_end=D(2026, 3, 1)), [], today=TODAY)
    assert ended.previous_breaches == 1
    long_ago = compliance_picture(event(last_breach_end=D(2025, 3, 1)), [], today=TODAY)
    assert long_ago.previous_breaches == 0


def test_licence_warning_letters_count() -> None:
    picture = compliance_picture(
        event(), [contact(D(2026, 9, 1), "UAAB", enforcement_code="LCL")], today=TODAY
    )
    assert picture.warning_letters == 1
