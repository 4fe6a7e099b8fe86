"""Record a contact by keyboard: the cache, the outbox and the derived figures."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from domain.mutations import NOTES_MAX
from ui.forms.contact_form import ContactForm


def _open(qtbot, runner) -> ContactForm:
    form = ContactForm(runner, "X100001", person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.setup is not None)
    form.type_picker.setFocus()
    return form


def _tab(qtbot, form, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)


def _contacts(world, type_code: str) -> list[dict]:
    rows = world.read("SELECT data FROM contact WHERE type_code = ?", (type_code,))
    return [json.loads(r["data"]) for r in rows]


def _outbox(world) -> list[tuple[str, dict]]:
    rows = world.read("SELECT name, args FROM outbox ORDER BY seq")
    return [(r["name"], json.loads(r["args"])) for r in rows]


def test_a_home_visit_with_its_outcome_and_notes_in_one_go(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "home visit")
    assert form.type_picker.code() == "CHVS"
    _tab(qtbot, form, 2)  # date stays "today"
    qtbot.keyClicks(form.focusWidget(), "9am")
    _tab(qtbot, form)
    assert form.focusWidget() is form.outcome  # no location for a home visit: skipped
    qtbot.keyClicks(form.outcome, "attc")
    _tab(qtbot, form)
    assert form.focusWidget() is form.notes  # no enforcement after a compliance: skipped
    qtbot.keyClicks(form.notes, "Seen at home; kitchen tidy, talked about work.")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    [visit] = _contacts(world, "CHVS")
    assert visit["outcome_code"] == "ATTC"
    assert (visit["attended"], visit["complied"]) == (True, True)
    assert (visit["start_time"], visit["end_time"]) == ("09:00:00", "09:30:00")
    assert visit["event_id"] == str(world.case.event.id)  # the only event, linked for us
    assert visit["notes"] == "Seen at home; kitchen tidy, talked about work."
    [(name, args)] = _outbox(world)
    assert name == "record_contact"
    assert args["contact_id"] == visit["id"]
    assert args["outcome_code"] == "ATTC"
    assert world.read("SELECT count(*) AS n FROM draft")[0]["n"] == 0


def test_a_phone_call_needs_no_time_and_enter_saves(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "ctob")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.type_picker, Qt.Key.Key_Return)
    [call] = _contacts(world, "CTOB")
    assert call["start_time"] is None
    assert call["outcome_code"] is None


def test_the_officers_most_used_types_come_first(qtbot, world):
    form = _open(qtbot, world.runner())
    first = form.type_picker.shown[0]
    assert first.code == "COAP"  # the case holds three office visits by this officer
    assert "you used it 3 times" in first.label
    qtbot.keyClicks(form.type_picker, "communication")  # by category too
    assert form.type_picker.code() in {"CTOA", "CTOB", "CMOA", "CMOB", "C326", "CT3A", "CT3B"}


def test_a_visit_that_happened_needs_its_outcome_shown_inline_with_the_text_kept(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "chvs")
    _tab(qtbot, form)
    qtbot.keyClicks(form.date, "yesterday")
    _tab(qtbot, form)
    qtbot.keyClicks(form.time, "2.30pm")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Nobody answered the door.")
    qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "record its outcome" in form.error_text("outcome_code")
    assert form.focusWidget() is form.outcome
    assert form.notes.toPlainText() == "Nobody answered the door."
    assert form.time.text() == "2.30pm"
    assert _outbox(world) == []
    qtbot.keyClicks(form.outcome, "uaab")  # unacceptable absence: enforcement is offered
    assert form.error_text("outcome_code") == ""
    assert form.enforcement.isEnabled()
    assert {i.code for i in form.enforcement.items} >= {"EA02", "NFA", "IBR"}
    _tab(qtbot, form)
    qtbot.keyClicks(form.enforcement, "ea02")
    qtbot.waitUntil(lambda: "response due by Fri 27 Nov 2026" in form.effect.text())
    assert "Failures to comply on event 1: 0 → 1" in form.effect.text()
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.enforcement, Qt.Key.Key_Return)
    [visit] = _contacts(world, "CHVS")
    assert (visit["outcome_code"], visit["enforcement_code"]) == ("UAAB", "EA02")
    assert visit["enforcement_response_by"] == "2026-11-27"


def test_notes_count_live_and_too_long_notes_are_refused_inline(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "c326")
    form.notes.setPlainText("x" * (NOTES_MAX + 1))
    assert form.notes.counter.text() == "12,001 of 12,000 characters — too long"
    qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "at most 12,000 characters" in form.error_text("notes")
    assert len(form.notes.toPlainText()) == NOTES_MAX + 1
    assert _outbox(world) == []


def test_an_unknown_type_is_named_in_its_message(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "zzzz")
    qtbot.keyClick(form.type_picker, Qt.Key.Key_Return)
    assert "No contact type matches 'zzzz'" in form.error_text("type_code")
    assert form.type_picker.text() == "zzzz"


def test_the_draft_comes_back_after_a_crash_with_the_same_contact_id(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "ctoa")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Rang to say the bus is late")
    qtbot.waitUntil(lambda: "bus is late" in str(world.read("SELECT data FROM draft")))
    first_id = form.contact_id
    # The app dies here (no close, no Esc): a new session over the same cache.
    again = _open(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    assert "unsaved contact for Amelia Hughes" in again.offer.text.text()
    qtbot.keyClick(again.type_picker, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.type_picker.code() == "CTOA"
    assert again.notes.toPlainText() == "Rang to say the bus is late"
    assert again.contact_id == first_id
    with qtbot.waitSignal(again.saved):
        qtbot.keyClick(again.type_picker, Qt.Key.Key_Return)
    [call] = _contacts(world, "CTOA")
    assert call["id"] == str(first_id)


def test_arrow_keys_move_the_choice_and_a_click_picks_one(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "home")
    assert [i.code for i in form.type_picker.shown] == ["CHVS", "COHV", "CMS47"]
    qtbot.keyClick(form.type_picker, Qt.Key.Key_Down)
    assert form.type_picker.code() == "COHV"
    assert form.type_picker.list.currentRow() == 1
    qtbot.keyClick(form.type_picker, Qt.Key.Key_Up)
    assert form.type_picker.code() == "CHVS"
    third = form.type_picker.list.item(2)
    rect = form.type_picker.list.visualItemRect(third)
    qtbot.mouseClick(form.type_picker.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert form.type_picker.code() == "CMS47"
    assert form.focusWidget() is form.type_picker


def test_evidence_handed_over_is_saved_with_the_contact(qtbot, world, tmp_path):
    from central.seed.document_files import make_pdf

    letter = tmp_path / "gp letter.pdf"
    letter.write_bytes(make_pdf(["Signed off sick"]))
    form = _open(qtbot, world.runner())
    form.documents._choose = lambda _parent: [str(letter)]
    qtbot.keyClicks(form.type_picker, "ctoa")
    form.documents.add.click()
    assert form.documents.names.text() == "gp letter.pdf"
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.type_picker, Qt.Key.Key_Return)
    [(name, args)] = _outbox(world)
    assert name == "record_contact"
    assert [d["name"] for d in args["documents"]] == ["gp letter.pdf"]
    assert world.read("SELECT count(*) AS n FROM document_blob")[0]["n"] == 1


def test_a_file_of_another_kind_is_refused_inline_and_the_notes_stay(qtbot, world, tmp_path):
    program = tmp_path / "letter.pdf"
    program.write_bytes(b"MZ\x90\x00" + bytes(100))
    form = _open(qtbot, world.runner())
    form.documents.set_paths([program])
    qtbot.keyClicks(form.type_picker, "ctoa")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Brought a letter from the GP.")
    qtbot.keyClick(form.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "is not a PDF" in form.error_text("documents"))
    assert form.notes.toPlainText() == "Brought a letter from the GP."
    assert form.type_picker.code() == "CTOA"
    assert _outbox(world) == []
