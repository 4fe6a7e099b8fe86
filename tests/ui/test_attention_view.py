from __future__ import annotations

from PySide6.QtWidgets import QApplication

from domain.mutations import UpdateContactDetails
from tests.app.fakes import FakeBackend, FakeCache, sample_attention
from ui.main_window import ATTENTION


def _attention(qtbot, harness):
    backend = FakeBackend(
        cached=True, synced=True, cache=FakeCache(attention_items=sample_attention())
    )
    h = harness(backend).ready()
    h.window.show_section(ATTENTION)
    view = h.window.attention
    qtbot.waitUntil(lambda: len(view.conflicts) == 1 and len(view.rejections) == 1)
    return h, view


def test_conflict_shows_three_values_and_applies_the_choice_per_field(qtbot, harness):
    h, view = _attention(qtbot, harness)
    assert view.summary.text() == "2 items to decide and a sync problem."
    box = view.conflicts[0]
    buttons = {
        b.accessibleName(): b
        for b in box.findChildren(type(next(iter(box.groups["mobile"].buttons()))))
    }
    assert buttons["Mobile number: Yours"].text() == "07700 900002"
    assert buttons["Mobile number: Central now"].text() == "07700 900003"
    assert buttons["Mobile number: Before either change"].text() == "07700 900001"
    assert buttons["Mobile number: Yours"].isChecked()  # the officer's own value is the default
    buttons["Mobile number: Central now"].click()
    box.apply.click()
    qtbot.waitUntil(lambda: len(view.conflicts) == 0)
    (name, args), (logged, _) = h.backend.cache.applied[-2:]
    assert (name, logged) == ("update_contact_details", "record_contact")
    assert isinstance(args, UpdateContactDetails)
    assert args.mobile == "07700 900003"
    assert args.email == "oh2@example.invalid"
    assert args.base_version == 7


def test_rejection_text_can_be_copied_retried_or_discarded_after_confirming(qtbot, harness):
    h, view = _attention(qtbot, harness)
    box = view.rejections[0]
    assert "transferred" in box.findChild(type(view.summary), "reason").text()
    box.copy.click()
    assert QApplication.clipboard().text() == "Home visit: discussed housing, all well."
    box.discard.click()
    assert len(view.rejections) == 1  # the first click only asks
    assert box.discard.text() == "Click again to discard for good"
    box.discard.click()
    qtbot.waitUntil(lambda: len(view.rejections) == 0)
    assert ("retry", "r1") not in h.backend.cache.applied


def test_retry_queues_the_change_again(qtbot, harness):
    h, view = _attention(qtbot, harness)
    view.rejections[0].retry.click()
    qtbot.waitUntil(lambda: len(view.rejections) == 0)
    assert ("retry", "r1") in h.backend.cache.applied


def test_nothing_to_do_says_so(qtbot, harness):
    h = harness().ready()
    h.window.show_section(ATTENTION)
    qtbot.waitUntil(lambda: "Nothing needs your attention" in h.window.attention.summary.text())
