"""Booking next week's appointment as the officer did on the field day (issue 17, item 4).

Amelia comes on Fridays at 10:00 (the case's history). Her next appointment was moved
to Monday; the form offered a date 10 days after that instead of this Friday.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt

from domain.contacts import Contact
from storage.pulled import apply_pull_page
from tests.storage.builders import OFFICER, make_case
from tests.ui.forms.test_appointment_form import booked, open_form, replace_text


def test_the_form_offers_the_next_free_slot_in_her_usual_pattern(qtbot, world):
    world.appointment(-3, start=dt.time(14, 0))  # Monday 23 November, moved off her Friday
    form = open_form(qtbot, world.runner())
    assert form.slot.date.text() == "27/11/2026"  # her Friday, not Monday 30 November
    assert form.slot.time.text() == "10:00-10:30"


def test_a_clash_says_whose_appointment_and_when(qtbot, world):
    world.appointment(-3, start=dt.time(14, 0))
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.slot.date, "23/11")  # no year: the coming 23 November
    assert form.slot.date.echo.text() == "Monday 23 November 2026"
    replace_text(qtbot, form.slot.time, "14:15")
    qtbot.waitUntil(
        lambda: (
            "Overlaps another appointment at 14:00-14:30 (Amelia Hughes, X100001)."
            in form.preview.text()
        )
    )


def test_a_date_without_a_year_books_the_coming_one(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.slot.date, "25/12")
    assert form.slot.date.echo.text() == "Friday 25 December 2026"
    qtbot.waitUntil(lambda: "bank holiday" in form.preview.text())
    form.confirm.setChecked(True)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.slot.time, Qt.Key.Key_Return)
    assert [c["date"] for c in booked(world)] == ["2026-12-25"]


def test_the_officer_busy_at_her_usual_time_moves_the_time_not_the_week(qtbot, world):
    """Another person at 10:00 on her Friday: the form offers that Friday at a time the
    officer is free, with no warning to tick past; a week later would leave her a
    fortnight unseen (the demo offered 15 February for a 1 February clash)."""
    other = make_case("X200002", surname="Baker", first="Dan", contacts=0)
    other.contacts.append(
        Contact(id=uuid.uuid4(), crn="X200002", type_code="COAP", date=dt.date(2026, 11, 27),
                start_time=dt.time(10, 0), end_time=dt.time(10, 30),
                staff_code=OFFICER.staff_code)
    )  # fmt: skip
    apply_pull_page(world.writer, snapshots=[other.snapshot()], cursor="c2", last_applied_seq=0)
    form = open_form(qtbot, world.runner())
    assert form.slot.date.text() == "27/11/2026"  # still her Friday
    assert form.slot.time.text() == "11:30-12:00"  # an hour clear of Dan Baker's 10:00
    assert form.preview.text() == "1 appointment to book:\nFri 27/11/2026 11:30–12:00"
