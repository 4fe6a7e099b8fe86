"""The arrange-appointment form, driven by the keyboard over the real encrypted cache."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.case_view import TABS
from ui.forms.appointment_form import AppointmentForm
from ui.forms.details_form import DetailsForm
from ui.forms.note_form import NoteForm
from ui.forms.reschedule_form import RescheduleForm


def open_form(qtbot, runner) -> AppointmentForm:
    form = AppointmentForm(runner, "X100001", person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.preview.preview is not None)  # defaults in, dates worked out
    return form


def booked(world) -> list[dict]:
    rows = world.read("SELECT data FROM contact WHERE crn = 'X100001' AND pending = 1")
    return sorted((json.loads(r["data"]) for r in rows), key=lambda c: c["date"])


def queued(world) -> list[str]:
    return [r["name"] for r in world.read("SELECT name FROM outbox ORDER BY seq")]


def replace_text(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def test_next_weeks_appointment_is_one_key_once_the_form_is_open(qtbot, world):
    form = open_form(qtbot, world.runner())
    assert form.slot.date.text() == "27/11/2026"
    assert form.slot.date.echo.text() == "Friday 27 November 2026"
    assert (form.slot.time.text(), form.location.text()) == ("10:00-10:30", "N07OFF1")
    assert form.type_code() == "COAP"
    assert "1 appointment to book" in form.preview.text()
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.focusWidget() or form, Qt.Key.Key_Return)
    [made] = booked(world)
    assert (made["date"], made["start_time"], made["type_code"]) == (
        "2026-11-27",
        "10:00:00",
        "COAP",
    )
    assert made["event_id"] == str(world.case.event.id)
    assert queued(world) == ["arrange_appointment"]


def test_typed_date_and_start_move_the_end_and_the_preview(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.slot.date, "+10")
    assert form.slot.date.echo.text() == "Monday 30 November 2026"
    replace_text(qtbot, form.slot.time, "2.15pm")
    # the same half hour, later
    qtbot.waitUntil(lambda: "Mon 30/11/2026 14:15–14:45" in form.preview.text())
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.slot.time, Qt.Key.Key_Return)
    assert [(c["date"], c["end_time"]) for c in booked(world)] == [("2026-11-30", "14:45:00")]


def test_a_series_lists_its_dates_and_needs_a_conscious_confirm_for_christmas(qtbot, world):
    form = open_form(qtbot, world.runner())
    form.frequency.setFocus()
    qtbot.keyClick(form.frequency, Qt.Key.Key_W)  # "Weekly", chosen by typing
    assert form.frequency.currentData() == "weekly"
    qtbot.keyClicks(form.ends, "5")
    qtbot.waitUntil(lambda: "5 appointments to book, 1 with warnings" in form.preview.text())
    text = form.preview.text()
    for day in ("27/11/2026", "04/12/2026", "11/12/2026", "18/12/2026", "25/12/2026"):
        assert day in text
    assert "⚠ Friday 25 December 2026 is a bank holiday (Christmas Day)." in text
    assert form.confirm.isVisibleTo(form)
    form.notes.setFocus()
    qtbot.keyClick(form.notes, Qt.Key.Key_Tab)
    assert form.focusWidget() is form.preview  # a Tab stop, for a screen reader
    qtbot.keyClick(form.preview, Qt.Key.Key_Return)
    assert "Tick" in form.error_text("confirm") or "confirm" in form.error_text("confirm")
    assert form.focusWidget() is form.confirm
    assert booked(world) == []
    qtbot.keyClick(form.confirm, Qt.Key.Key_Space)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.ends, Qt.Key.Key_Return)
    assert [c["date"] for c in booked(world)][-1] == "2026-12-25"
    assert len(booked(world)) == 5
    assert queued(world) == ["arrange_appointment"]


def test_errors_show_under_their_fields_and_keep_the_typing(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.slot.time, "14:00-13:00")
    replace_text(qtbot, form.location, "")
    replace_text(qtbot, form.slot.date, "31/2/27")
    qtbot.keyClick(form.slot.date, Qt.Key.Key_Return)
    assert "is not a real date" in form.error_text("date")
    assert form.slot.date.text() == "31/2/27"
    replace_text(qtbot, form.slot.date, "tue")
    qtbot.keyClick(form.slot.date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.error_text("start_time") != "")
    assert "must be after the start time" in form.error_text("start_time")
    assert "Choose a location" in form.error_text("location_code")
    assert form.slot.time.text() == "14:00-13:00"
    assert queued(world) == []


def test_a_phone_appointment_hides_the_location(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.type_box, "phone")
    assert form.type_code() == "COPT"
    assert not form.location.isVisibleTo(form)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.slot.date, Qt.Key.Key_Return)
    [made] = booked(world)
    assert (made["type_code"], made["location_code"]) == ("COPT", None)


def test_escape_keeps_a_draft_of_what_was_typed(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.slot.date, "+14")
    qtbot.keyClick(form.slot.date, Qt.Key.Key_Escape)
    assert not form.isVisible()
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    again = open_form(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    qtbot.keyClick(again, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.slot.date.text() == "04/12/2026"  # the day "+14" meant when typed


# -- from the case view -------------------------------------------------------------


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_from(qtbot, view, key: Qt.Key):
    qtbot.keyClick(view.tabs, key, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(view.forms) and view.forms[-1].isActiveWindow())
    return view.forms[-1]


def back_in_case(qtbot, view) -> None:
    qtbot.waitUntil(lambda: not view.forms)
    qtbot.waitUntil(lambda: view.window().isActiveWindow())


def select_contact(qtbot, view, row: int) -> None:
    """Contact log tab, then the arrow keys down the table (newest first)."""
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.contacts.model.rowCount() > row)
    view.contacts.table.setFocus()
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(row):
        qtbot.keyClick(view.contacts.table, Qt.Key.Key_Down)


def test_ctrl_shift_a_arranges_from_the_case_and_says_so(qtbot, world, desk):
    form = open_from(qtbot, desk, Qt.Key.Key_A)
    assert isinstance(form, AppointmentForm)
    assert form.windowTitle() == "Arrange an appointment — Amelia Hughes"
    qtbot.waitUntil(lambda: form.preview.preview is not None)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Return)
    # What the officer tells the person before they leave: the day and the time.
    qtbot.waitUntil(lambda: desk.said.text().startswith("Appointment booked for Fri 27 Nov 2026"))
    assert [c["date"] for c in booked(world)] == ["2026-11-27"]


def test_reschedule_and_note_act_on_the_selected_contact(qtbot, world, desk):
    qtbot.keyClick(desk.tabs, Qt.Key.Key_R, CTRL_SHIFT)  # none selected, none booked
    qtbot.waitUntil(lambda: "no booked appointment to reschedule" in desk.said.text())
    assert not desk.forms
    select_contact(qtbot, desk, 0)  # last week's appointment (it has an outcome)
    note = open_from(qtbot, desk, Qt.Key.Key_N)
    assert isinstance(note, NoteForm)
    assert note.contact_id == world.case.contacts[0].id  # newest first
    qtbot.keyClick(note.focusWidget(), Qt.Key.Key_Escape)
    back_in_case(qtbot, desk)
    select_contact(qtbot, desk, 0)
    moving = open_from(qtbot, desk, Qt.Key.Key_R)
    assert isinstance(moving, RescheduleForm)
    qtbot.waitUntil(lambda: moving.banner.isVisibleTo(moving))
    assert "already has an outcome" in moving.banner.message.text()


def test_details_from_the_personal_details_tab(qtbot, world, desk):
    desk.tabs.setCurrentIndex(TABS.index("Personal details"))
    button = desk.tabs.currentWidget().findChild(QPushButton, "update_details")
    assert button is not None
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(desk.forms) and desk.forms[-1].isActiveWindow())
    assert isinstance(desk.forms[-1], DetailsForm)
    qtbot.keyClick(desk.forms[-1].focusWidget(), Qt.Key.Key_Escape)
    back_in_case(qtbot, desk)
    assert isinstance(open_from(qtbot, desk, Qt.Key.Key_D), DetailsForm)
    desk.show_detail(desk.detail)  # a refresh rebuilds the tabs: the button comes back
    assert desk.tabs.currentIndex() == TABS.index("Personal details")
    assert desk.tabs.currentWidget().findChild(QPushButton, "update_details") is not None
