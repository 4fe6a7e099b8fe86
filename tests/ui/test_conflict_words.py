"""The conflict screen names the person, the field, the value before, and who changed it;
once the officer chooses, the status bar says what was kept (issue 17, item 3)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtWidgets import QLabel, QRadioButton

from app.rows import Attention, FieldChoice
from tests.app.fakes import FakeBackend, FakeCache, sample_attention
from ui.main_window import ATTENTION


def _own_laptop_conflict() -> Attention:
    sample = sample_attention()
    conflict = dataclasses.replace(
        sample.conflicts[0],
        what="Contact details (X100001)",
        person="Oliver Hughes",
        changed_by="you, on another laptop",
        changed_at=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
        fields=(
            FieldChoice(
                "phone", "0117 496 0770", "07700 900999", "0117 496 0000", label="Phone number"
            ),
            FieldChoice(
                "mobile", None, "07700 1", "07700 2", label="Mobile number", original_known=False
            ),
        ),
    )
    return Attention((conflict,), ())


def test_the_conflict_says_whose_case_which_field_and_who_changed_it(qtbot, harness):
    cache = FakeCache(attention_items=_own_laptop_conflict())
    h = harness(FakeBackend(cached=True, synced=True, cache=cache)).ready()
    h.window.show_section(ATTENTION)
    view = h.window.attention
    qtbot.waitUntil(lambda: len(view.conflicts) == 1)
    box = view.conflicts[0]
    assert box.title() == "Conflict: Oliver Hughes (X100001) – Contact details"
    lead = box.findChild(QLabel, "who_changed_it").text()
    assert lead.startswith("Changed by you, on another laptop (Fri 20 Nov ")
    buttons = {b.accessibleName(): b for b in box.findChildren(QRadioButton)}
    assert buttons["Phone number: Before either change"].text() == "0117 496 0770"
    unknown = buttons["Mobile number: Before either change"]
    assert unknown.text() == "(not known on this laptop)"  # never "(empty)" for a lost value
    assert not unknown.isEnabled()
    buttons["Phone number: Central now"].click()
    with qtbot.waitSignal(view.resolved) as said:
        box.apply.click()
    assert said.args[0].startswith(
        "Conflict resolved for Oliver Hughes. Kept Phone number: 0117 496 0000"
    )
    qtbot.waitUntil(lambda: "Conflict resolved" in h.window.status.currentMessage())
