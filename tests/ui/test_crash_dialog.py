from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.crash_dialog import CrashDialog


def test_crashes_collect_in_one_dialog_with_copyable_details(qtbot):
    dialog = CrashDialog()
    qtbot.addWidget(dialog)
    dialog.add_crash("Traceback one\nLog file: /tmp/x/fieldcase.log")
    dialog.add_crash("Traceback two")
    assert dialog.isVisible()
    text = dialog.details.toPlainText()
    assert "Traceback one" in text
    assert "Traceback two" in text
    dialog.copy.click()
    assert QApplication.clipboard().text() == text
