"""Updating contact details and address by keyboard, with inline checks that keep typing."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from ui.forms.details_form import DetailsForm


def open_form(qtbot, runner) -> DetailsForm:
    form = DetailsForm(runner, "X100001", person="Amelia Hughes")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.before is not None)
    form.focus_first_field()
    return form


def person(world) -> dict:
    return json.loads(world.read("SELECT data FROM person WHERE crn = 'X100001'")[0]["data"])


def addresses(world) -> list[dict]:
    rows = world.read("SELECT data FROM address WHERE crn = 'X100001' ORDER BY seq")
    return [json.loads(r["data"]) for r in rows]


def outbox(world) -> list[str]:
    return [r["name"] for r in world.read("SELECT name FROM outbox ORDER BY seq")]


def test_a_new_mobile_is_typed_tabbed_to_and_saved_with_enter(qtbot, world):
    form = open_form(qtbot, world.runner())
    assert form.focusWidget() is form.edits["phone"]
    assert form.edits["street_name"].text() == "Fake Street"
    qtbot.keyClick(form.edits["phone"], Qt.Key.Key_Tab)
    qtbot.keyClicks(form.edits["mobile"], "07700 900 123")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.edits["mobile"], Qt.Key.Key_Return)
    assert person(world)["mobile"] == "07700900123"
    assert outbox(world) == ["update_contact_details"]


def test_a_wrong_number_is_flagged_on_leaving_and_the_text_is_kept(qtbot, world):
    form = open_form(qtbot, world.runner())
    qtbot.keyClicks(form.edits["phone"], "0161 49")
    qtbot.keyClick(form.edits["phone"], Qt.Key.Key_Tab)
    assert "10 or 11 digits" in form.error_text("phone")
    assert form.focusWidget() is form.edits["mobile"]  # Tab is never trapped
    qtbot.keyClicks(form.edits["mobile"], "not a number")
    form.edits["email"].setFocus()
    qtbot.keyClicks(form.edits["email"], "amelia@")
    qtbot.keyClick(form.edits["email"], Qt.Key.Key_Return)
    assert "10 or 11 digits" in form.error_text("phone")
    assert "only hold digits" in form.error_text("mobile")
    assert form.error_text("email") == "Enter an email address like name@example.com."
    assert form.edits["phone"].text() == "0161 49"
    assert form.edits["email"].text() == "amelia@"
    assert form.focusWidget() is form.edits["phone"]
    qtbot.keyClicks(form.edits["phone"], "6 0000")
    assert form.error_text("phone") == ""  # typing again clears just that message
    assert outbox(world) == []


def test_moving_house_by_keyboard(qtbot, world):
    form = open_form(qtbot, world.runner())
    qtbot.keyClick(form, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert form.moved.isChecked()
    assert form.edits["street_name"].text() == ""
    assert form.focusWidget() is form.edits["building_name"]
    qtbot.keyClick(form.edits["building_name"], Qt.Key.Key_Tab)
    qtbot.keyClicks(form.edits["address_number"], "3")
    qtbot.keyClick(form.edits["address_number"], Qt.Key.Key_Tab)
    qtbot.keyClicks(form.edits["street_name"], "New Road")
    form.edits["postcode"].setFocus()
    qtbot.keyClicks(form.edits["postcode"], "ls14ap")
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.edits["postcode"], Qt.Key.Key_Return)
    old, new = addresses(world)
    assert old["status"] == "previous"
    assert (new["status"], new["street_name"], new["postcode"]) == ("main", "New Road", "LS1 4AP")
    assert outbox(world) == ["update_address"]


def test_a_move_without_a_postcode_is_refused_inline(qtbot, world):
    form = open_form(qtbot, world.runner())
    qtbot.keyClick(form, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(form.edits["building_name"], "Hostel")
    qtbot.keyClick(form.edits["building_name"], Qt.Key.Key_Return)
    assert "postcode" in form.error_text("postcode")
    assert form.edits["building_name"].text() == "Hostel"
    assert outbox(world) == []


def test_escape_keeps_a_half_typed_move_and_offers_it_back(qtbot, world):
    form = open_form(qtbot, world.runner())
    qtbot.keyClick(form, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(form.edits["building_name"], "Riverside Hostel")
    qtbot.keyClick(form.edits["building_name"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(world.read("SELECT key FROM draft")) == 1)
    again = open_form(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    assert again.edits["street_name"].text() == "Fake Street"  # nothing restored unasked
    qtbot.keyClick(again, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.moved.isChecked()
    assert again.edits["building_name"].text() == "Riverside Hostel"
    assert again.edits["street_name"].text() == ""
    assert outbox(world) == []
