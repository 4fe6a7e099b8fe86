"""Offices are said by name, not code, wherever a place is shown (issue 17, item 8).

On the field day every place read "N07A00O1". The office names come with the letter kit
(the team's offices, in the cache's `office_location`); a code the laptop cannot name
still shows as the code. Over the real encrypted cache, as the officer opens each screen.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from storage.local import replace_offices
from tests.storage.builders import TODAY
from ui.case_view import CaseView
from ui.diary_view import DiaryView
from ui.forms.appointment_form import AppointmentForm
from ui.forms.contact_form import ContactForm
from ui.forms.reschedule_form import RescheduleForm
from ui.today_view import TodayView

CODE, NAME = "N07A00O1", "Bristol Central Probation Office"


def _with_offices(world) -> None:
    replace_offices(world.writer, [{"code": CODE, "description": NAME, "address": "1 Quay St"}])


def _listed(qtbot, view, runner):
    """Today or the diary, opened on Friday 20 November: one appointment listed."""
    qtbot.addWidget(view)
    view.runner = runner
    view.show()
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    return view


def _shown(qtbot, form) -> None:
    qtbot.addWidget(form)
    form.show()


def test_each_screen_names_the_office_of_an_appointment(qtbot, world):
    _with_offices(world)
    world.appointment(0, location=CODE)  # today
    ahead = world.appointment(-3, location=CODE)  # booked for Monday
    world.appointment(1, location="N99Z99O1", start=dt.time(14))  # another team's
    runner = world.runner()

    today, diary = (_listed(qtbot, view(lambda: TODAY), runner) for view in (TodayView, DiaryView))
    assert today.model.row_at(0).place == NAME
    column = [diary.model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert diary.model.index(0, column.index("Location")).data() == NAME

    detail = runner.ctx.cache().case_detail("X100001", today=TODAY)
    case = CaseView(runner, detail)
    qtbot.addWidget(case)
    case.show()
    said = [label.text() for label in case.findChildren(QLabel)]
    assert f"Fri 20 Nov 09:00 · {NAME}" in said  # the next appointment
    assert f"20 Nov 2026 · 09:00 · Planned Office Visit (NS) · {NAME}" in said  # last contacts
    assert "19 Nov 2026 · 14:00 · Planned Office Visit (NS) · N99Z99O1" in said  # not known
    assert not any(CODE in t for t in said)

    case.tabs.setCurrentWidget(case.contacts)
    log = case.contacts
    qtbot.waitUntil(lambda: bool(log.model.rows()))
    log.table.setCurrentIndex(log.model.index(log.model.row_of_key(str(ahead.id)), 0))
    assert log.reading.toPlainText().splitlines()[0].endswith(f" · {NAME}")

    arrange = AppointmentForm(runner, "X100001", person="Amelia Hughes")
    _shown(qtbot, arrange)
    qtbot.waitUntil(lambda: arrange.location.text() == NAME)  # the last office, by name
    assert arrange.location.code() == CODE  # and booked by its code
    offered = arrange.location.completer().model().stringList()
    assert f"{NAME} ({CODE})" in offered
    arrange.location.setFocus()
    qtbot.keyClick(arrange.location, Qt.Key.Key_Down)  # Down lists the offices
    qtbot.waitUntil(arrange.location.completer().popup().isVisible)

    move = RescheduleForm(runner, "X100001", ahead.id, person="Amelia Hughes")
    _shown(qtbot, move)
    qtbot.waitUntil(lambda: move.moving.text().endswith(f"at {NAME}"))
    assert move.location.text() == NAME
    assert move.location.code() == CODE

    record = ContactForm(runner, "X100001", person="Amelia Hughes")
    _shown(qtbot, record)
    qtbot.waitUntil(lambda: f"{NAME} ({CODE})" in record.location.completer().model().stringList())
    record.location.setText(NAME.lower())  # typed by name
    assert record.location.code() == CODE
