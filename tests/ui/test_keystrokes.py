"""Keystroke counts of the three commonest tasks, driven from the case view by keyboard.

Every key press counts once (a chord such as Ctrl+N is one press); the characters of
the note text are not counted (they are the officer's words, not the software's cost).
The counts are asserted so a change that makes a task longer fails here, and are
recorded with their key sequences in docs/usability.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from app.usecases.case import read_case
from tests.ui.forms.conftest import World, make_world
from ui.case_view import CaseView
from ui.forms.base import CaseForm

HOME_VISIT_KEYS = 12
ATTENDED_COMPLIED_KEYS = 3
ARRANGE_NEXT_WEEK_KEYS = 2

NOTE = "Seen at home with his partner; tenancy secure, starts work Monday."


@dataclass
class Keys:
    """Presses keys where the keyboard focus is, as the officer's fingers would."""

    qtbot: object
    count: int = 0
    said: list[str] = field(default_factory=list)

    def _target(self) -> QWidget:
        focus = QApplication.focusWidget()
        assert focus is not None, "no keyboard focus: a mouse would be needed"
        return focus

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, name: str = "") -> None:
        self.qtbot.keyClick(self._target(), key, modifier)
        self.count += 1
        self.said.append(name or key.name.removeprefix("Key_"))

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self._target(), text)
        self.count += len(text)
        self.said.append(f'"{text}"')

    def dictate(self, text: str) -> None:
        """The note itself: typed, but not counted."""
        self.qtbot.keyClicks(self._target(), text)
        self.said.append("<note>")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


@pytest.fixture
def desk(qtbot, world: World):
    """The case view over the real encrypted cache, refreshing on each change as the
    app's shell does, in an active window with the keyboard focus in the case."""
    runner = world.runner()
    detail = runner.ctx.cache().case_detail("X100001", today=runner.ctx.today())
    view = CaseView(runner, detail)

    def refresh(crn: str) -> None:
        runner.query(partial(read_case, crn=crn), view.show_detail, key="case")

    runner.hub.changes_applied.connect(view.on_changes)
    view.refresh_requested.connect(refresh)
    window = QWidget()
    QVBoxLayout(window).addWidget(view)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.tabs.setFocus()
    yield view  # (the window stays referenced until the test ends)
    window.close()


def _form(qtbot, view: CaseView) -> CaseForm:
    qtbot.waitUntil(lambda: bool(view.forms) and view.forms[-1].isActiveWindow())
    form = view.forms[-1]
    qtbot.waitUntil(lambda: form._loaded)  # its choices are in (no keystroke)
    return form


def _back_in_case(qtbot, view: CaseView) -> None:
    qtbot.waitUntil(lambda: not view.forms)
    qtbot.waitUntil(lambda: view.window().isActiveWindow())
    qtbot.waitUntil(lambda: view.isAncestorOf(QApplication.focusWidget()))


def test_record_a_home_visit_with_notes(qtbot, world, desk):
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier, "Ctrl+N")
    form = _form(qtbot, desk)
    keys.type("h")  # type-ahead: the best match is chosen and shown highlighted
    assert form.type_picker.code() == "CHVS"
    keys.press(Qt.Key.Key_Tab)  # date: today already
    keys.press(Qt.Key.Key_Tab)
    keys.type("10am")
    keys.press(Qt.Key.Key_Tab)  # the only event is linked; no location for a home visit
    keys.type("a")
    assert form.outcome.code() == "ATTC"  # "ATTC — Attended - Complied" highlighted
    keys.press(Qt.Key.Key_Tab)
    keys.dictate(NOTE)
    with qtbot.waitSignal(form.saved):
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "Ctrl+Enter")
    rows = world.read("SELECT data FROM contact WHERE type_code = 'CHVS'")
    [visit] = [json.loads(r["data"]) for r in rows]
    assert (visit["outcome_code"], visit["start_time"], visit["notes"]) == (
        "ATTC",
        "10:00:00",
        NOTE,
    )
    qtbot.waitUntil(lambda: any(c.type_code == "CHVS" for c in desk.detail.last_contacts))
    _back_in_case(qtbot, desk)
    print("home visit:", " ".join(keys.said), "=", keys.count)
    assert keys.count == HOME_VISIT_KEYS


def test_record_attended_complied_on_the_appointment_due(qtbot, world, desk):
    due = world.appointment(0)  # this morning's office appointment, no outcome yet
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier, "Ctrl+O")
    form = _form(qtbot, desk)
    keys.type("a")
    assert form.outcome.code() == "ATTC"
    qtbot.waitUntil(lambda: "Recorded as: Attended and complied." in form.effect.text())
    with qtbot.waitSignal(form.saved):
        keys.press(Qt.Key.Key_Return, name="Enter")
    row = world.read("SELECT data FROM contact WHERE id = ?", (str(due.id),))
    assert json.loads(row[0]["data"])["outcome_code"] == "ATTC"
    _back_in_case(qtbot, desk)
    print("attended-complied:", " ".join(keys.said), "=", keys.count)
    assert keys.count == ATTENDED_COMPLIED_KEYS


def test_arrange_next_weeks_appointment(qtbot, world, desk):
    world.appointment(0, outcome="ATTC")  # this morning's (9:00, once; she usually comes at 10)
    keys = Keys(qtbot)
    keys.press(
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        "Ctrl+Shift+A",
    )
    form = _form(qtbot, desk)
    with qtbot.waitSignal(form.saved):
        keys.press(Qt.Key.Key_Return, name="Enter")
    rows = [json.loads(r["data"]) for r in world.read("SELECT data FROM contact")]
    booked = [c for c in rows if c["date"] == "2026-11-27"]
    # her usual Friday 10:00, the next free slot in her pattern
    assert [(c["type_code"], c["start_time"]) for c in booked] == [("COAP", "10:00:00")]
    _back_in_case(qtbot, desk)
    print("arrange next week:", " ".join(keys.said), "=", keys.count)
    assert keys.count == ARRANGE_NEXT_WEEK_KEYS
