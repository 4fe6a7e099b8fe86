"""Drafts are not lost track of (issue 17, item 7): listed under Needs your attention,
and a date typed as "today" comes back as the day it was typed on."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

from tests.ui.forms.test_contact_form import _open
from ui.attention_view import AttentionView


def _leave_a_draft(qtbot, world):
    form = _open(qtbot, world.runner())
    qtbot.keyClicks(form.type_picker, "ctoa")
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Rang to say the bus is late")
    qtbot.waitUntil(lambda: "bus is late" in str(world.read("SELECT data FROM draft")))
    return form


def test_a_restored_draft_keeps_the_day_it_was_typed_not_the_word_today(qtbot, world):
    form = _leave_a_draft(qtbot, world)
    assert form.date.text() == "today"
    [row] = world.read("SELECT data FROM draft")
    assert json.loads(row["data"])["date"] == "2026-11-20"  # a date, not the word
    world.now += dt.timedelta(days=1)  # restored the next morning
    again = _open(qtbot, world.runner())
    qtbot.waitUntil(again.has_draft_offer)
    qtbot.keyClick(again.type_picker, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert again.date.text() == "20/11/2026"
    assert again.date.value() == dt.date(2026, 11, 20)


def test_unsaved_drafts_are_listed_under_needs_your_attention(qtbot, world):
    _leave_a_draft(qtbot, world)
    view = AttentionView()
    qtbot.addWidget(view)
    view.runner = world.runner()
    view.reload()
    qtbot.waitUntil(lambda: len(view.drafts) == 1)
    words = view.drafts[0].findChild(type(view.summary), "unsaved_draft").text()
    assert words.startswith("Unsaved contact for Amelia Hughes (X100001), last typed ")
    assert words.endswith("open the case and press Ctrl+N to get it back.")
    assert view.summary.text() == "1 unsaved draft."
    with qtbot.waitSignal(view.case_opened) as opened:
        view.drafts[0].open.click()
    assert opened.args == ["X100001"]
