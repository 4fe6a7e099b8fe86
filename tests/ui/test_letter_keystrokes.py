"""Keystroke counts for the letter tasks, driven from the case view by keyboard alone
(counted like tests/ui/test_keystrokes.py; recorded in docs/usability.md)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.test_keystrokes import Keys, _form, desk, world  # noqa: F401 - fixtures
from ui import letter_preview

WARNING_LETTER_PDF_KEYS = 8


def test_unacceptable_absence_with_a_first_warning_to_its_pdf(qtbot, world, desk):  # noqa: F811
    missed = world.appointment(2)
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier, "Ctrl+O")
    form = _form(qtbot, desk)
    # Outcomes and warnings count against the person: one letter names neither
    # unambiguously (domain/picking.py), so the officer picks with Down, deliberately.
    keys.type("u")
    keys.press(Qt.Key.Key_Down)
    assert form.outcome.code() == "UAAB"
    keys.press(Qt.Key.Key_Tab)
    keys.type("f")  # "First Warning Letter Sent"
    keys.press(Qt.Key.Key_Down)
    assert form.enforcement.code() == "EA02"
    assert form.letter.box.isChecked()  # the letter is offered, ticked: no key
    with qtbot.waitSignal(form.saved):
        keys.press(Qt.Key.Key_Return, name="Enter")
    qtbot.waitUntil(lambda: bool(letter_preview._open))
    preview = letter_preview._open[-1]
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.isActiveWindow() and preview.pdf_button.hasFocus())
    opened: list[Path] = []
    preview.open_file = lambda path: opened.append(path) or True
    keys.press(Qt.Key.Key_Return, name="Enter")  # the one extra key: the PDF
    qtbot.waitUntil(lambda: bool(opened))
    assert opened[0].suffix == ".pdf"
    assert world.read("SELECT 1 FROM contact WHERE type_code = 'AWLI'")
    assert missed.id
    print("warning letter to PDF:", " ".join(keys.said), "=", keys.count)
    assert keys.count == WARNING_LETTER_PDF_KEYS
    preview.close()
