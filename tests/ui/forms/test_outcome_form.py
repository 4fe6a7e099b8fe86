"""Record and correct outcomes by keyboard; the effect is shown before saving."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.storage.builders import TODAY
from ui.case_view import TABS, CaseView
from ui.diary_view import DiaryView, NeedsOutcomeView
from ui.forms.outcome_form import CorrectOutcomeForm, OutcomeForm, parse_hours


def _open(qtbot, form):
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.target is not None)
    form.outcome.setFocus()
    return form


def _contact(world, contact_id) -> dict:
    row = world.read("SELECT data FROM contact WHERE id = ?", (str(contact_id),))
    return json.loads(row[0]["data"])


def test_attended_complied_is_four_letters_and_enter(qtbot, world):
    session = world.appointment(1, rar=True)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", session.id, person="Amelia Hughes"))
    assert "Planned Office Visit" in form.heading.text()
    qtbot.keyClicks(form.outcome, "attc")
    qtbot.waitUntil(lambda: "RAR days: 0 → 1 of 20." in form.effect.text())
    assert not form.enforcement.isEnabled()  # nothing to enforce after a compliance
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    saved = _contact(world, session.id)
    assert (saved["outcome_code"], saved["complied"]) == ("ATTC", True)
    [row] = world.read("SELECT name, args FROM outbox")
    assert row["name"] == "record_outcome"
    assert json.loads(row["args"])["base_version"] == 2  # the version the officer saw


def test_only_the_outcomes_and_actions_that_apply_are_offered(qtbot, world):
    missed = world.appointment(2)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", missed.id))
    codes = {i.code for i in form.outcome.items}
    assert {"ATTC", "UAAB", "AFTA", "AAME"} <= codes
    assert not codes & {"RSSR", "RSOF"}  # set by rescheduling, never picked
    qtbot.keyClicks(form.outcome, "unacceptable")
    assert form.outcome.code() == "UAAB"
    actions = {i.code for i in form.enforcement.items}
    assert actions == {"ROM", "EA02", "EA03", "EA08", "IBR", "NFA", "EA12"}  # no licence letter
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.enforcement, "first warning")
    assert form.enforcement.code() == "EA02"
    qtbot.waitUntil(lambda: "response due by Fri 27 Nov 2026" in form.effect.text())
    assert "Failures to comply on event 1: 0 → 1 (limit 2 in 12 months)." in form.effect.text()
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.enforcement, Qt.Key.Key_Return)
    saved = _contact(world, missed.id)
    assert (saved["enforcement_code"], saved["enforcement_response_by"]) == ("EA02", "2026-11-27")


def test_a_third_failure_shows_the_review_task_before_saving(qtbot, world):
    for days in (20, 15):
        world.appointment(days, outcome="UAAB")
    latest = world.appointment(1)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", latest.id))
    qtbot.keyClicks(form.outcome, "aftc")
    qtbot.waitUntil(lambda: "Review enforcement status" in form.effect.text())
    assert "2 → 3" in form.effect.text()
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    assert len(world.read("SELECT id FROM contact WHERE type_code = 'ARWS'")) == 1


def test_no_outcome_chosen_is_said_inline(qtbot, world):
    session = world.appointment(1)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", session.id))
    qtbot.keyClicks(form.outcome, "qqq")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    assert "No outcome for this appointment matches 'qqq'" in form.error_text("outcome_code")
    assert form.outcome.text() == "qqq"
    assert world.read("SELECT count(*) AS n FROM outbox")[0]["n"] == 0


def test_correcting_a_failure_to_an_acceptable_absence_shows_and_lifts_the_warning(qtbot, world):
    missed = world.appointment(4, outcome="UAAB")
    form = _open(qtbot, CorrectOutcomeForm(world.runner(), "X100001", missed.id))
    assert "Now: UAAB – Unacceptable absence" in form.heading.text()
    qtbot.keyClicks(form.outcome, "aame")
    qtbot.waitUntil(lambda: "Failures to comply on event 1: 1 → 0" in form.effect.text())
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    assert "Say why" in form.error_text("reason")  # a reason is needed
    qtbot.keyClicks(form.notes, "Hospital letter received")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    saved = _contact(world, missed.id)
    assert saved["outcome_code"] == "AAME"
    # Said in words, not just the code, so the officer sees what the case now holds.
    assert form.saved_message(None).startswith("Outcome corrected: Acceptable absence")
    assert (saved["attended"], saved["complied"]) == (False, None)  # an acceptable absence
    [row] = world.read("SELECT name, args FROM outbox")
    assert (row["name"], json.loads(row["args"])["reason"]) == (
        "correct_outcome",
        "Hospital letter received",
    )


def test_correcting_shows_what_is_lifted(qtbot, world):
    missed = world.appointment(4)
    runner = world.runner()
    first = _open(qtbot, OutcomeForm(runner, "X100001", missed.id))
    qtbot.keyClicks(first.outcome, "uaab")
    qtbot.keyClick(first.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(first.enforcement, "ea02")
    first.letter.box.setChecked(False)  # no letter preview to take the window from the next form
    with qtbot.waitSignal(first.saved):
        qtbot.keyClick(first.enforcement, Qt.Key.Key_Return)
    form = _open(qtbot, CorrectOutcomeForm(runner, "X100001", missed.id))
    qtbot.keyClicks(form.outcome, "aafc")
    qtbot.waitUntil(lambda: "Lifts: First Warning Letter Sent (EA02)." in form.effect.text())


def test_hours_are_typed_as_officers_say_them():
    assert parse_hours("6") == 360
    assert parse_hours("5:30") == 330
    assert parse_hours("2h30") == 150
    assert parse_hours("2.5") == 150
    assert parse_hours(" ") is None


# -- from the lists: Needs an outcome and the case view --------------------------------


def _shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def test_enter_on_a_needs_an_outcome_row_records_it_and_the_row_goes(qtbot, world):
    older, newer = world.appointment(6), world.appointment(2)
    view = _shown(qtbot, NeedsOutcomeView())
    view.runner = world.runner()
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert [r.contact_id for r in view.model.rows()] == [str(older.id), str(newer.id)]
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.forms) and view.forms[0].target is not None)
    form = view.forms[0]
    assert form.contact_id == older.id
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClicks(form.focusWidget(), "attc")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [r.contact_id for r in view.model.rows()] == [str(newer.id)])
    assert view.table.currentIndex().row() == 0  # ready for the next one


def _case_view(qtbot, world) -> CaseView:
    runner = world.runner()
    detail = runner.ctx.cache().case_detail("X100001", today=runner.ctx.today())
    view = _shown(qtbot, CaseView(runner, detail))
    view.tabs.setCurrentIndex(TABS.index("Contact log"))
    qtbot.waitUntil(lambda: view.contacts.model.rowCount() > 0)
    view.contacts.table.setFocus()
    return view


def _select(view: CaseView, contact_id) -> None:
    row = view.contacts.model.row_of_key(str(contact_id))
    assert row is not None
    view.contacts.table.setCurrentIndex(view.contacts.model.index(row, 0))


def test_ctrl_o_records_the_selected_appointment_and_ctrl_shift_o_corrects_it(qtbot, world):
    world.appointment(9)  # an older one also waiting: the selection wins
    chosen = world.appointment(3)
    view = _case_view(qtbot, world)
    _select(view, chosen.id)
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(view.forms) and view.forms[0].target is not None)
    assert view.forms[0].contact_id == chosen.id
    view.forms[0].reject()
    qtbot.waitUntil(lambda: not view.forms)

    done = world.appointment(7, outcome="ATTC")
    view.contacts.reload()
    qtbot.waitUntil(lambda: view.contacts.model.row_of_key(str(done.id)) is not None)
    _select(view, done.id)
    view.contacts.table.setFocus()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_O, keys)
    qtbot.waitUntil(lambda: bool(view.forms) and view.forms[0].target is not None)
    assert isinstance(view.forms[0], CorrectOutcomeForm)


def test_correcting_with_nothing_selected_says_what_to_do(qtbot, world):
    view = _case_view(qtbot, world)
    view.contacts.table.clearSelection()
    view.contacts.table.setCurrentIndex(view.contacts.model.index(-1, 0))
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_O, keys)
    assert "Select an appointment with an outcome" in view.said.text()
    assert not view.forms
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "No appointment of this case is waiting" in view.said.text())


def test_ctrl_o_in_the_diary_records_the_selected_appointment(qtbot, world):
    today = world.appointment(0)
    view = _shown(qtbot, DiaryView(lambda: TODAY))
    view.runner = world.runner()
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(view.outcomes.forms) and view.outcomes.forms[0].target is not None)
    form = view.outcomes.forms[0]
    assert form.contact_id == today.id
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClicks(form.focusWidget(), "a")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model.rows()[0].outcome_text == "Attended and complied")
