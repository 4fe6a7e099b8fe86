"""RAR days and unpaid-work hours, as officers read them before an appointment."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

from domain.rules.progress import (
    RarProgress,
    UnpaidWorkProgress,
    rar_progress,
    unpaid_work_progress,
)
from tests.domain.builders import contact, requirement

D = dt.date
TODAY = D(2026, 11, 23)


def test_rar_days_completed_scheduled_and_ordered() -> None:
    rar = requirement("F", 20)
    on_rar = {"requirement_id": rar.id, "rar_activity": True}
    contacts = [
        contact(D(2026, 10, 5), "ATTC", **on_rar),
        contact(D(2026, 10, 12), "ATTC", **on_rar),
        contact(D(2026, 10, 12), "ATTC", type_code="C089", **on_rar),  # same day: one RAR day
        contact(D(2026, 10, 19), "ATSS", **on_rar),  # attended, no compliance recorded: counts
        contact(D(2026, 10, 26), "AFTC", **on_rar),  # failed to comply: does not count
        contact(D(2026, 11, 2), "UAAB", **on_rar),
        contact(D(2026, 11, 9), "ATTC", requirement_id=rar.id),  # not a RAR activity
        contact(D(2026, 11, 10), "ATTC", rar_activity=True, requirement_id=uuid4()),
        contact(D(2026, 11, 16), **on_rar),  # past, no outcome yet: neither
        contact(TODAY, **on_rar),  # today, not yet attended: scheduled
        contact(D(2026, 11, 30), **on_rar),
        contact(D(2026, 11, 30), type_code="CTOB", **on_rar),  # a phone call is not booked
        contact(D(2026, 12, 7), "AAHO", **on_rar),  # absence agreed in advance: not scheduled
    ]
    progress = rar_progress(rar, contacts, today=TODAY)
    assert progress == RarProgress(completed_days=3, scheduled_days=2, ordered_days=20)
    assert progress.remaining_days == 17
    assert progress.unscheduled_days == 15
    assert progress.text == "3 of 20 RAR days completed, 2 scheduled"


def test_rar_never_shows_negative_remaining() -> None:
    progress = RarProgress(completed_days=12, scheduled_days=3, ordered_days=10)
    assert progress.remaining_days == 0
    assert progress.unscheduled_days == 0


def test_rar_without_a_length_orders_nothing() -> None:
    rar = requirement("F", 0).model_copy(update={"length": None})
    assert rar_progress(rar, [], today=TODAY) == RarProgress(0, 0, 0)


def test_unpaid_work_sums_minutes_on_unpaid_work_appointments() -> None:
    upw = requirement("W", 100)
    contacts = [
        contact(D(2026, 10, 3), "ATTC", type_code="CUPA", requirement_id=upw.id,
                hours_credited_minutes=7 * 60),
        contact(D(2026, 10, 10), "ATTC", type_code="CUPA", requirement_id=upw.id,
                hours_credited_minutes=5 * 60 + 30),
        contact(D(2026, 10, 17), "UAAB", type_code="CUPA", requirement_id=upw.id),
        contact(D(2026, 10, 24), "ATTC", type_code="COAP", requirement_id=upw.id,
                hours_credited_minutes=60),  # not an unpaid-work appointment
        contact(D(2026, 10, 31), "ATTC", type_code="CUPA", requirement_id=uuid4(),
                hours_credited_minutes=60),  # another requirement
    ]  # fmt: skip
    progress = unpaid_work_progress(upw, contacts)
    assert progress == UnpaidWorkProgress(completed_minutes=750, ordered_hours=100)
    assert progress.remaining_minutes == 100 * 60 - 750
    assert progress.text == "12h 30m of 100 hours completed"


def test_unpaid_work_text_in_whole_hours() -> None:
    assert UnpaidWorkProgress(completed_minutes=120, ordered_hours=40).text == (
        "2h of 40 hours completed"
    )
    assert UnpaidWorkProgress(completed_minutes=50 * 60, ordered_hours=40).remaining_minutes == 0
