"""Rescheduling by keyboard: who asked is a conscious choice, the new slot is previewed."""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Qt

from app.usecases import appointments as uc
from ui.forms.reschedule_form import RescheduleForm


def book(runner, **changes) -> str:
    request = replace(uc.arrange_setup(runner.ctx, "X100001").defaults, **changes)
    return str(uc.arrange_appointment(runner.ctx, request).contact_ids[0])


def open_form(qtbot, runner, contact_id: str) -> RescheduleForm:
    form = RescheduleForm(runner, "X100001", contact_id, person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.old is not None)
    form.focus_first_field()
    return form


def contact(world, contact_id: str) -> dict:
    return json.loads(world.read("SELECT data FROM contact WHERE id = ?", (contact_id,))[0]["data"])


def test_the_persons_request_moves_it_and_records_rsof(qtbot, world):
    runner = world.runner()
    old_id = book(runner)
    form = open_form(qtbot, runner, old_id)
    assert form.moving.text() == "Planned Office Visit (NS), Fri 27/11/2026 10:00 at N07OFF1"
    assert form.focusWidget() is form.reason
    qtbot.keyClick(form.reason, Qt.Key.Key_P)
    assert form.reason.currentData() == "person"
    qtbot.keyClick(form.reason, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.slot.date, "mon")
    assert form.slot.date.echo.text() == "Monday 23 November 2026"
    qtbot.keyClick(form.slot.date, Qt.Key.Key_Tab)
    assert form.focusWidget() is form.slot.time
    assert form.slot.time.text() == "10:00-10:30"  # the old time, selected: typing replaces
    qtbot.keyClick(form.slot.time, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.slot.time, "2pm")
    qtbot.waitUntil(lambda: "Mon 23/11/2026 14:00–14:30" in form.preview.text())
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.slot.time, Qt.Key.Key_Return)
    assert contact(world, old_id)["outcome_code"] == "RSOF"
    new_id = contact(world, old_id)["rescheduled_to"]
    moved = contact(world, new_id)
    assert (moved["date"], moved["start_time"], moved["location_code"]) == (
        "2026-11-23",
        "14:00:00",
        "N07OFF1",
    )
    names = [r["name"] for r in world.read("SELECT name FROM outbox ORDER BY seq")]
    assert names == ["arrange_appointment", "reschedule_appointment"]


def test_who_asked_has_no_default_and_a_weekend_needs_confirming(qtbot, world):
    runner = world.runner()
    old_id = book(runner)
    form = open_form(qtbot, runner, old_id)
    form.slot.date.setFocus()
    qtbot.keyClick(form.slot.date, Qt.Key.Key_Return)
    assert form.error_text("date") == "Enter the date (e.g. +7, tue, 1/12/26)."
    qtbot.keyClicks(form.slot.date, "sat")
    qtbot.waitUntil(lambda: "is a weekend" in form.preview.text())
    qtbot.keyClick(form.slot.date, Qt.Key.Key_Return)
    assert "Say who asked" in form.error_text("requested_by")
    assert form.focusWidget() is form.reason
    qtbot.keyClick(form.reason, Qt.Key.Key_S)
    assert form.reason.currentData() == "service"
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    assert "Book anyway" in form.error_text("confirm")
    qtbot.keyClick(form.confirm, Qt.Key.Key_Space)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.confirm, Qt.Key.Key_Return)
    assert contact(world, old_id)["outcome_code"] == "RSSR"


def test_an_appointment_with_an_outcome_cannot_be_moved(qtbot, world):
    runner = world.runner()
    past = str(world.case.contacts[0].id)  # attended - complied last week
    form = RescheduleForm(runner, "X100001", past, person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.banner.isVisibleTo(form))
    assert "already has an outcome" in form.banner.message.text()
    assert not form.save_button.isEnabled()
