"""The field day's first finding: plain words must never record a failure by accident.

"failed to attend" + Enter recorded AFTC (attended, failed to comply) and raised the
failure-to-comply count from 2 to 3. Here the officer types what they typed then.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from tests.ui.forms.test_outcome_form import _open
from ui.forms.outcome_form import OutcomeForm


def _two_failures_then_one_due(world):
    for days in (20, 15):
        world.appointment(days, outcome="UAAB")
    return world.appointment(1)


def test_failed_to_attend_and_enter_records_a_failure_to_attend_not_a_breach_step(qtbot, world):
    due = _two_failures_then_one_due(world)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", due.id, person="Amelia Hughes"))
    qtbot.keyClicks(form.outcome, "failed to attend")
    assert form.outcome.code() == "AFTA"
    assert form.outcome.shown[0].code == "AFTA"  # the exact description first
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    [row] = world.read("SELECT data FROM contact WHERE id = ?", (str(due.id),))
    assert json.loads(row["data"])["outcome_code"] == "AFTA"
    assert world.read("SELECT id FROM contact WHERE type_code = 'ARWS'") == []  # count stays 2


@pytest.mark.parametrize("typed", ["dna", "fta", "did not attend", "no show", "didn't turn up"])
def test_words_officers_use_for_absence_find_failed_to_attend(qtbot, world, typed):
    due = world.appointment(1)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", due.id))
    qtbot.keyClicks(form.outcome, typed)
    assert form.outcome.code() == "AFTA"
    assert "AFTC" not in form.effect.text()


def test_ambiguous_words_choose_nothing_and_enter_says_so(qtbot, world):
    due = _two_failures_then_one_due(world)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", due.id))
    qtbot.keyClicks(form.outcome, "failed to comply")  # AFTC or ATFI: both count against
    assert form.outcome.code() == ""
    assert {i.code for i in form.outcome.shown[:2]} == {"AFTC", "ATFI"}
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    assert "could mean" in form.error_text("outcome_code")
    assert world.read("SELECT count(*) AS n FROM outbox")[0]["n"] == 0
    qtbot.keyClick(form.outcome, Qt.Key.Key_Down)  # a deliberate choice is still one key
    assert form.outcome.code() in {"AFTC", "ATFI"}


def test_warning_letter_is_not_guessed_first_or_second(qtbot, world):
    due = world.appointment(1)
    form = _open(qtbot, OutcomeForm(world.runner(), "X100001", due.id))
    qtbot.keyClicks(form.outcome, "unacceptable absence")
    assert form.outcome.code() == "UAAB"  # named exactly: chosen
    qtbot.keyClick(form.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.enforcement, "warning letter")
    assert form.enforcement.code() == ""
    form.enforcement.clear()
    qtbot.keyClicks(form.enforcement, "nfa")
    assert form.enforcement.code() == "NFA"
