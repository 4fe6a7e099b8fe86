"""Arranging sends the appointment letter and the calendar entry; a reschedule updates it."""

from __future__ import annotations

import icalendar
from PySide6.QtCore import Qt

from ui import letter_preview
from ui.forms.appointment_form import AppointmentForm
from ui.forms.reschedule_form import RescheduleForm


def _show(qtbot, form):
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return form


def _event(path):
    [event] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return event


def test_arranging_then_rescheduling_updates_one_calendar_entry(qtbot, world, handed_to_calendar):
    runner = world.runner()
    form = _show(qtbot, AppointmentForm(runner, "X100001", person="Amelia Hughes"))
    qtbot.waitUntil(lambda: form.setup is not None)
    qtbot.keyClick(form, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # tick the letter
    assert form.outputs.letter is not None
    assert form.outputs.letter.isChecked()
    assert form.outputs.calendar.isChecked()
    qtbot.waitUntil(lambda: form.previewed is not None)
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    booked = saved.args[0]
    qtbot.waitUntil(lambda: len(handed_to_calendar) == 1)
    first = _event(handed_to_calendar[0])
    assert booked.letter is not None
    preview = letter_preview._open[-1]
    qtbot.addWidget(preview)
    qtbot.waitUntil(preview.pdf_button.isEnabled)
    assert "Please bring this letter" in preview.page.toPlainText()
    preview.close()
    move = _show(qtbot, RescheduleForm(world.runner(), "X100001", booked.contact_ids[0]))
    qtbot.waitUntil(lambda: move.old is not None)
    move.focus_first_field()
    qtbot.keyClick(move.reason, Qt.Key.Key_S)  # at the service's request
    qtbot.keyClick(move.reason, Qt.Key.Key_Tab)
    qtbot.keyClicks(move.slot.date, "mon")
    qtbot.keyClick(move.slot.date, Qt.Key.Key_Tab)
    qtbot.keyClick(move.slot.time, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(move.slot.time, "4pm")
    qtbot.waitUntil(lambda: "16:00" in move.preview.text())
    assert move.outputs.calendar.text() == "Update my calendar"
    with qtbot.waitSignal(move.saved):
        qtbot.keyClick(move.slot.time, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(handed_to_calendar) == 2)
    second = _event(handed_to_calendar[1])
    assert second["uid"] == first["uid"]
    assert second["sequence"] == first["sequence"] + 1
    assert second.decoded("dtstart").hour == 16


def test_the_diary_sends_the_week_shown_in_one_file(qtbot, world, handed_to_calendar):
    from app.usecases import appointments as uc
    from ui.diary_view import DiaryView

    runner = world.runner()
    booked = uc.arrange_appointment(
        runner.ctx, uc.arrange_setup(runner.ctx, "X100001").defaults, accept_warnings=True
    )
    diary = DiaryView(runner.ctx.today)
    qtbot.addWidget(diary)
    diary.runner = runner
    diary.day = booked.first_date
    diary.show()
    diary.activateWindow()
    qtbot.waitUntil(diary.isActiveWindow)
    diary.table.setFocus()
    qtbot.keyClick(
        diary.table,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: len(handed_to_calendar) == 1)
    calendar = icalendar.Calendar.from_ical(handed_to_calendar[0].read_bytes())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["X100001 Planned Office Visit"]
    assert diary.calendar_keys.said.text() == "Sent to your calendar."
