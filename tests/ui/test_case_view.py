from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar

from domain.mutations import CaseViewed
from ui.case_view import TABS
from ui.risk_flags import FlagButton


def _open(qtbot, h, crn="X100003"):
    h.window.open_requested.emit(crn)
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    return h.window.case_view


def test_opening_a_case_shows_risk_first_and_audits_the_view(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    badges = [b.text() for b in view.header.findChildren(FlagButton)]
    assert badges[:3] == ["Risk to staff", "Low RoSH", "MAPPA level 2, category 1"]
    texts = " ".join(label.text() for label in view.header.findChildren(QLabel))
    assert "CRN X100003" in texts
    assert "age 36" in texts
    assert "1 change waiting to send" in texts
    name, args = h.backend.cache.applied[-1]
    assert name == "case_viewed"
    assert isinstance(args, CaseViewed)
    assert args.crn == "X100003"


def test_every_tab_is_there_and_progress_shows_in_words(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [*TABS, "Compliance"]
    bars = {b.accessibleName(): b.text() for b in view.tabs.widget(0).findChildren(QProgressBar)}
    assert bars == {
        "RAR days": "8 of 20 days done, 2 booked",
        "Unpaid work hours": "42.5 of 120 hours done",
    }


def test_contact_log_pages_filters_and_marks(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    view.tabs.setCurrentIndex(TABS.index("Contact log"))
    log = view.contacts
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 1–50 of 120")
    assert log.model.index(0, 4).data() == "Sensitive, Waiting to send"
    assert not log.previous.isEnabled()
    qtbot.mouseClick(log.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 51–100 of 120")
    log.sensitive.setChecked(True)
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 1–12 of 12")
    log.sensitive.setChecked(False)
    qtbot.keyClicks(log.search, "housing")
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 1–40 of 40")


def test_escape_goes_back_to_the_list(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    qtbot.mouseClick(view.back, Qt.MouseButton.LeftButton)
    assert h.window.case_view is None
    assert h.window.pages.currentWidget() is h.window.caseload


def test_a_case_no_longer_here_is_an_inline_message(qtbot, harness):
    h = harness().ready()
    h.window.open_requested.emit("Z999999")
    qtbot.waitUntil(h.window.banner.isVisible)
    assert h.window.banner.title.text() == "Case not on this laptop"
    assert h.window.case_view is None


# -- case work over the in-memory cache (the forms' reads: records, usage, drafts) ----


def _window_active(qtbot, h):
    h.window.show()
    h.window.activateWindow()
    qtbot.waitUntil(h.window.isActiveWindow)


def _form_open(qtbot, view):
    qtbot.waitUntil(lambda: bool(view.forms) and view.forms[-1].isActiveWindow())
    return view.forms[-1]


def test_adding_to_the_notes_of_the_selected_contact(qtbot, harness):
    from domain.mutations import AppendContactNote
    from ui.forms.note_form import NoteForm

    h = harness().ready()
    _window_active(qtbot, h)
    view = _open(qtbot, h)
    view.tabs.setCurrentIndex(TABS.index("Contact log"))
    qtbot.waitUntil(lambda: view.contacts.model.rowCount() > 2)
    view.contacts.table.setFocus()
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_Down)
    chosen = view.selected_contact()
    assert chosen is not None
    shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_N, shift)
    form = _form_open(qtbot, view)
    assert isinstance(form, NoteForm)
    qtbot.waitUntil(lambda: chosen.notes in form.existing.toPlainText())
    qtbot.keyClicks(form.focusWidget(), "Letter from the GP handed in.")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    name, args = h.backend.cache.applied[-1]
    assert name == "append_contact_note"
    assert isinstance(args, AppendContactNote)
    assert (str(args.contact_id), args.text) == (chosen.id, "Letter from the GP handed in.")


def test_a_lock_keeps_what_was_typed_as_a_draft(qtbot, harness):
    from app.drafts import DraftKey

    h = harness().ready()
    _window_active(qtbot, h)
    view = _open(qtbot, h)
    qtbot.keyClick(view.tabs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = _form_open(qtbot, view)
    qtbot.waitUntil(lambda: form.type_picker.items[0].code == "COAP")  # most used first
    qtbot.keyClicks(form.notes, "Half-typed note before the lock")
    qtbot.keyClick(form.notes, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # at once
    qtbot.waitUntil(lambda: h.window.screens.currentWidget() is h.window.unlock)
    draft = h.backend.cache.drafts[DraftKey("contact", "X100003")]
    assert draft.values["notes"] == "Half-typed note before the lock"


def test_an_idle_lock_writes_the_draft_at_that_moment(qtbot, harness):
    from app.drafts import DraftKey

    h = harness().ready()
    _window_active(qtbot, h)
    view = _open(qtbot, h)
    qtbot.keyClick(view.tabs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = _form_open(qtbot, view)
    form.DRAFT_DELAY_MS = 60_000  # the autosave has not run yet when the lock comes
    form._draft_timer.setInterval(form.DRAFT_DELAY_MS)
    qtbot.keyClicks(form.notes, "Typed just before the idle lock")
    h.shell.idle.idle_timed_out.emit()
    qtbot.waitUntil(lambda: h.window.screens.currentWidget() is h.window.unlock)
    draft = h.backend.cache.drafts.get(DraftKey("contact", "X100003"))
    assert draft is not None
    assert draft.values["notes"] == "Typed just before the idle lock"


def test_escape_from_a_case_gives_the_keys_back_to_the_caseload(qtbot, harness):
    h = harness().ready()
    h.window.activateWindow()
    view = _open(qtbot, h)
    qtbot.waitUntil(view.tabs.hasFocus)
    qtbot.keyClick(view.tabs, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: h.window.case_view is None)
    assert h.window.caseload.table.hasFocus()


def test_a_risk_flag_opens_its_level_notes_and_review_date(qtbot, harness):
    from PySide6.QtWidgets import QMessageBox

    h = harness().ready()
    view = _open(qtbot, h)
    mappa = next(b for b in view.header.findChildren(FlagButton) if b.text().startswith("MAPPA"))
    mappa.setFocus()
    qtbot.keyClick(mappa, Qt.Key.Key_Space)  # as a button: Space or a click
    box = mappa.findChild(QMessageBox, "risk_flag_detail")
    qtbot.waitUntil(box.isVisible)
    assert box.text().startswith("MAPPA level 2, category 1 (")
    assert "Next review: " in box.text()
    box.close()
