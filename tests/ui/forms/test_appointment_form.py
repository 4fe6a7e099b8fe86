"""The arrange-appointment form, driven by the keyboard over the real encrypted cache."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from ui.forms.appointment_form import AppointmentForm


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
    assert form.date.text() == "27/11/2026"
    assert form.date.echo.text() == "Friday 27 November 2026"
    assert (form.start.text(), form.end.text(), form.location.text()) == (
        "10:00",
        "10:30",
        "N07OFF1",
    )
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
    replace_text(qtbot, form.date.edit, "+10")
    assert form.date.echo.text() == "Monday 30 November 2026"
    replace_text(qtbot, form.start.edit, "2.15pm")
    assert form.end.text() == "14:45"  # the same half hour, later
    qtbot.waitUntil(lambda: "Mon 30/11/2026 14:15–14:45" in form.preview.text())
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.start.edit, Qt.Key.Key_Return)
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
    qtbot.keyClick(form.ends, Qt.Key.Key_Return)
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
    replace_text(qtbot, form.end.edit, "9am")
    replace_text(qtbot, form.location, "")
    replace_text(qtbot, form.date.edit, "31/2/27")
    qtbot.keyClick(form.date.edit, Qt.Key.Key_Return)
    assert "is not a real date" in form.error_text("date")
    assert form.date.text() == "31/2/27"
    replace_text(qtbot, form.date.edit, "tue")
    qtbot.keyClick(form.date.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.error_text("end_time") != "")
    assert "must be after the start time" in form.error_text("end_time")
    assert "Choose a location" in form.error_text("location_code")
    assert form.end.text() == "9am"
    assert queued(world) == []


def test_a_phone_appointment_hides_the_location(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.type_box, "phone")
    assert form.type_code() == "COPT"
    assert not form.location.isVisibleTo(form)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.date.edit, Qt.Key.Key_Return)
    [made] = booked(world)
    assert (made["type_code"], made["location_code"]) == ("COPT", None)


def test_escape_keeps_a_draft_of_what_was_typed(qtbot, world):
    form = open_form(qtbot, world.runner())
    replace_text(qtbot, form.date.edit, "+14")
    qtbot.keyClick(form.date.edit, Qt.Key.Key_Escape)
    assert not form.isVisible()
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    again = open_form(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    qtbot.keyClick(again, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.date.text() == "+14"
