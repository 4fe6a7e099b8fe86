"""Editing a phone number replaces it (issue 17, item 5: it appended to the old one)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.forms.test_details_form import open_form, person


def test_typing_into_the_phone_field_replaces_the_old_number(qtbot, world):
    runner = world.runner()
    first = open_form(qtbot, runner)
    qtbot.keyClicks(first.edits["phone"], "0117 496 0770")
    with qtbot.waitSignal(first.saved):
        qtbot.keyClick(first.edits["phone"], Qt.Key.Key_Return)
    form = open_form(qtbot, runner)  # later that day: the number changed again
    phone = form.edits["phone"]
    old = phone.text()
    assert old.replace(" ", "") == "01174960770"
    assert form.focusWidget() is phone
    qtbot.waitUntil(lambda: phone.selectedText() == old)
    qtbot.keyClicks(phone, "07700 900999")
    assert phone.text() == "07700 900999"
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(phone, Qt.Key.Key_Return)
    assert person(world)["phone"].replace(" ", "") == "07700900999"


def test_a_field_tabbed_into_is_replaced_too(qtbot, world):
    form = open_form(qtbot, world.runner())
    street = form.edits["street_name"]
    street.setFocus(Qt.FocusReason.ShortcutFocusReason)  # Alt+its access key
    qtbot.waitUntil(lambda: street.selectedText() == "Fake Street")
    qtbot.keyClicks(street, "High Street")
    assert street.text() == "High Street"


def test_a_click_places_the_cursor_without_selecting(qtbot, world):
    form = open_form(qtbot, world.runner())
    street = form.edits["street_name"]
    street.setFocus(Qt.FocusReason.MouseFocusReason)
    QApplication.processEvents()  # let a wrongly queued selection run, if there were one
    assert street.selectedText() == ""
