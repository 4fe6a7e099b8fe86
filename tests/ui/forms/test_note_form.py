"""Appending to notes by keyboard: the old text is shown read only and never replaced."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from ui.forms.note_form import NoteForm


def open_form(qtbot, runner, contact_id) -> NoteForm:
    form = NoteForm(runner, "X100001", contact_id, person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.found is not None)
    form.focus_first_field()
    return form


def notes_of(world, contact_id) -> dict:
    row = world.read("SELECT data FROM contact WHERE id = ?", (str(contact_id),))[0]
    return json.loads(row["data"])


def test_ctrl_enter_appends_a_dated_paragraph_under_the_old_notes(qtbot, world):
    past = world.case.contacts[0]
    form = open_form(qtbot, world.runner(), past.id)
    assert form.existing.toPlainText() == past.notes
    assert form.existing.isReadOnly()
    assert form.focusWidget() is form.text
    qtbot.keyClicks(form.text, "Phoned after: confirmed the new job starts Monday.")
    qtbot.keyClick(form.text, Qt.Key.Key_Return)  # a new line, not a save
    qtbot.keyClicks(form.text, "Will bring the contract.")
    assert form.isVisible()
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    held = notes_of(world, past.id)
    assert held["notes"] == (
        f"{past.notes}\n\nComment added by officer.one on 20/11/2026 at 10:00\n"
        "Phoned after: confirmed the new job starts Monday.\nWill bring the contract."
    )
    rows = world.read("SELECT name, args FROM outbox")
    assert [r["name"] for r in rows] == ["append_contact_note"]
    assert json.loads(rows[0]["args"])["text"].startswith("Phoned after")


def test_blank_is_refused_inline_and_sensitive_is_set_by_keyboard(qtbot, world):
    past = world.case.contacts[1]
    form = open_form(qtbot, world.runner(), past.id)
    qtbot.keyClick(form.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.error_text("text") == "Write something to add to the notes."
    qtbot.keyClicks(form.text, "Disclosed a health condition.")
    qtbot.keyClick(form.text, Qt.Key.Key_Tab)
    assert form.focusWidget() is form.sensitive
    qtbot.keyClick(form.sensitive, Qt.Key.Key_Space)
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.sensitive, Qt.Key.Key_Return)
    assert notes_of(world, past.id)["sensitive"] is True
    again = open_form(qtbot, world.runner(), past.id)
    assert again.sensitive.isChecked()
    assert not again.sensitive.isEnabled()


def test_too_long_is_refused_with_the_typing_kept(qtbot, world):
    past = world.case.contacts[2]
    form = open_form(qtbot, world.runner(), past.id)
    form.text.setPlainText("x" * 11_990)
    qtbot.keyClick(form.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.error_text("text") != "")
    assert "too long" in form.error_text("text")
    assert len(form.text.toPlainText()) == 11_990
    assert world.read("SELECT count(*) AS n FROM outbox")[0]["n"] == 0
    assert notes_of(world, past.id)["notes"] == past.notes


def test_escape_keeps_the_addition_as_a_draft_for_that_contact(qtbot, world):
    past = world.case.contacts[0]
    form = open_form(qtbot, world.runner(), past.id)
    qtbot.keyClicks(form.text, "Half a thought")
    qtbot.keyClick(form.text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    [draft] = world.read("SELECT kind, contact_id FROM draft")
    assert (draft["kind"], draft["contact_id"]) == ("note", str(past.id))  # one per contact
    again = open_form(qtbot, world.runner(), past.id)
    qtbot.waitUntil(again.has_draft_offer)
    qtbot.keyClick(again, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.text.toPlainText() == "Half a thought"
