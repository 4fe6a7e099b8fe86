"""The form base: Enter saves off the GUI thread, Esc keeps a draft, messages stay inline."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from app.context import AppContext
from app.drafts import DraftKey, load_draft
from domain.errors import ValidationError
from domain.mutations import RecordContact
from domain.parsing import parse_date
from tests.storage.builders import NOW
from ui.forms.base import CaseForm, Use, flush_open_drafts
from ui.forms.host import FormHost
from ui.main_window import MainWindow


def _record_note(ctx: AppContext, *, crn: str, day: dt.date, notes: str) -> object:
    args = RecordContact(contact_id=uuid.uuid4(), crn=crn, type_code="C326", date=day, notes=notes)
    return ctx.cache().apply("record_contact", args)


class NoteForm(CaseForm):
    kind = "test-note"
    title = "Record a note"
    noun = "note"

    def build(self) -> None:
        self.day = self.add_field("date", "Date", QLineEdit(), hint="e.g. today, 1/1/26")
        self.notes = self.add_field("notes", "Notes", QPlainTextEdit())

    def build_save(self) -> Use:
        assert isinstance(self.day, QLineEdit)
        assert isinstance(self.notes, QPlainTextEdit)
        text = self.notes.toPlainText()
        if not text.strip():
            raise ValidationError("Write what happened.", field="notes")
        day = parse_date(self.day.text(), today=self.runner.ctx.today())
        return partial(_record_note, crn=self.crn, day=day, notes=text)


def _open(qtbot, runner) -> NoteForm:
    form = NoteForm(runner, "X100001", person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)  # shortcuts (Alt+R) go to the active window
    form.day.setFocus()
    return form


def _draft(world, kind: str = "test-note"):
    runner = world.runner()
    box: list[object] = []
    runner.query(partial(load_draft, key=DraftKey(kind, "X100001")), box.append)
    return runner, box


def test_enter_saves_through_the_writer_and_the_outbox(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.day, "today")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Spoke to the hostel manager")
    form.day.setFocus()
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.day, Qt.Key.Key_Return)
    queued = world.read("SELECT name, args FROM outbox")
    assert [q["name"] for q in queued] == ["record_contact"]
    assert "Spoke to the hostel manager" in queued[0]["args"]
    assert not form.isVisible()


def test_a_bad_field_shows_its_message_inline_and_keeps_the_text(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.day, "31/2/26")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Notes typed with care")
    qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "is not a real date" in form.error_text("date")
    assert form.day.text() == "31/2/26"
    assert form.notes.toPlainText() == "Notes typed with care"  # Ctrl+Enter added no line
    assert form.focusWidget() is form.day
    assert form.isVisible()
    assert world.read("SELECT count(*) AS n FROM outbox")[0]["n"] == 0
    qtbot.keyClick(form.day, Qt.Key.Key_Backspace)  # typing again clears just the message
    assert form.error_text("date") == ""
    assert form.day.text() == "31/2/2"


def test_escape_keeps_a_draft_that_is_offered_back_after_a_crash(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.day, "1/1/26")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Half-written note")
    qtbot.keyClick(form.notes, Qt.Key.Key_Escape)
    assert not form.isVisible()
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    stored = world.read("SELECT kind, crn, data FROM draft")
    assert stored[0]["kind"] == "test-note"
    assert "Half-written note" in stored[0]["data"]

    # A new session over the same cache (the app crashed and was restarted).
    again = _open(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    saved_at = f"{NOW.astimezone():%H:%M}"  # shown in the laptop's own time
    assert f"unsaved note for Amelia Hughes from {saved_at}." in again.offer.text.text()
    assert again.notes.toPlainText() == ""
    qtbot.keyClick(again, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.notes.toPlainText() == "Half-written note"
    assert again.day.text() == "1/1/26"
    with qtbot.waitSignal(again.saved):
        qtbot.keyClick(again.day, Qt.Key.Key_Return)
    assert world.read("SELECT count(*) AS n FROM draft")[0]["n"] == 0


def test_typing_autosaves_after_a_pause_and_a_lock_flushes_at_once(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.day, "today")
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)  # the debounce fired
    qtbot.keyClicks(form.day, "x")
    flush_open_drafts()  # what the main window does before an idle lock
    qtbot.waitUntil(lambda: "todayx" in world.read("SELECT data FROM draft")[0]["data"])


def test_discarding_the_offer_forgets_the_draft(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.day, "tomorrow")
    qtbot.keyClick(form.day, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    again = _open(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    qtbot.keyClick(again, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not world.read("SELECT key FROM draft"))
    assert again.day.text() == ""


def test_locking_from_the_main_window_keeps_the_open_form_as_a_draft(qtbot, world):
    window = MainWindow()
    qtbot.addWidget(window)
    form = _open(qtbot, world.runner())
    form._draft_timer.setInterval(60_000)  # the pause has not passed yet
    qtbot.keyClicks(form.day, "today")
    assert world.read("SELECT key FROM draft") == []
    with qtbot.waitSignal(window.lock_requested):
        window.request_lock()  # Ctrl+L
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)


def test_a_second_open_of_the_same_form_brings_the_first_forward(qtbot, world):
    host_widget = QWidget()
    qtbot.addWidget(host_widget)
    runner = world.runner()
    host = FormHost(host_widget, runner)
    first = host.show(NoteForm(runner, "X100001", person="Amelia Hughes"))
    qtbot.keyClicks(first.day, "today")
    again = host.show(NoteForm(runner, "X100001", person="Amelia Hughes"))
    assert again is first
    assert host.open == [first]
    other = host.show(NoteForm(runner, "X100002"))  # another case: its own form
    assert host.open == [first, other]
    with qtbot.waitSignal(host.form_closed):
        first.reject()
    assert host.open == [other]
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)  # one writer only


def test_the_lock_screen_closes_every_open_form_keeping_its_draft(qtbot, world):
    window = MainWindow()
    qtbot.addWidget(window)
    runner = world.runner()
    form = _open(qtbot, runner)
    qtbot.keyClicks(form.day, "tomorrow")
    with qtbot.waitSignal(window.lock_requested):
        window.request_lock()
    runner.shutdown()  # what the shell does: queued writes finish, connections close
    window.show_unlock("officer.one")
    assert not form.isVisible()
    assert "tomorrow" in world.read("SELECT data FROM draft")[0]["data"]


def test_saving_without_answering_the_offer_keeps_the_older_draft(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.day, "1/1/26")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "The older note")
    qtbot.keyClick(form.notes, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    again = _open(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    qtbot.keyClicks(again.day, "today")
    again.notes.setFocus()
    qtbot.keyClicks(again.notes, "A quick new note")
    with qtbot.waitSignal(again.saved):
        qtbot.keyClick(again.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "The older note" in world.read("SELECT data FROM draft")[0]["data"]
