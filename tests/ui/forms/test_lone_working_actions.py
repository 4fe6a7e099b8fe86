"""Lone working from an open case: going (expected back by …) and back safe, by keyboard,
queued as contacts like any change."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

import ui.lone_working_actions as actions

SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _queued(world) -> list[dict]:
    rows = world.read("SELECT name, args FROM outbox ORDER BY seq")
    return [json.loads(r["args"]) for r in rows if r["name"] == "record_contact"]


def test_going_then_back_safe_from_the_case(desk, qtbot, world, monkeypatch):
    asked: list[str] = []

    def ask(_parent, suggested: str) -> str:
        asked.append(suggested)
        return "11:30"

    monkeypatch.setattr(actions, "ask_back_by", ask)
    qtbot.keyClick(desk.tabs, Qt.Key.Key_G, SHIFT_CTRL)
    qtbot.waitUntil(lambda: "expected back by 11:30" in desk.said.text())
    assert asked == ["11:00"]  # an hour from now (10:00 on the test clock)
    qtbot.keyClick(desk.tabs, Qt.Key.Key_B, SHIFT_CTRL)
    qtbot.waitUntil(lambda: desk.said.text() == "Back safe recorded.")
    going, back = _queued(world)
    assert (going["type_code"], going["start_time"], going["end_time"]) == (
        "FCLWG",
        "10:00:00",
        "11:30:00",
    )
    assert (back["type_code"], back["crn"]) == ("FCLWB", "X100001")


def test_a_time_that_is_not_a_time_is_said_and_nothing_queued(desk, qtbot, world, monkeypatch):
    monkeypatch.setattr(actions, "ask_back_by", lambda _p, _s: "teatime")
    qtbot.keyClick(desk.tabs, Qt.Key.Key_G, SHIFT_CTRL)
    qtbot.waitUntil(lambda: bool(desk.said.text()))
    assert _queued(world) == []
