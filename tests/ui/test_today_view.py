"""Today, driven by the keyboard over a real encrypted cache: the day's visits in order,
the risk at the door, tomorrow one key away, check-ins and the briefing saved as chosen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.changes import ChangeHub
from app.tasks import TaskRunner
from tests.storage.builders import TODAY
from tests.support.field_day import field_day_context
from ui.models.today import TodayModel
from ui.today_view import TodayView


@pytest.fixture
def ctx(tmp_path):
    with field_day_context(tmp_path) as context:
        yield context


@pytest.fixture
def view(qtbot, ctx, tmp_path):
    chosen: list[str] = []
    asked: list[str] = []

    def choose(name: str) -> str | None:
        asked.append(name)
        return chosen.pop(0) if chosen else None

    today = TodayView(lambda: TODAY, choose_path=choose)
    today.chosen, today.asked = chosen, asked
    qtbot.addWidget(today)
    runner = TaskRunner(ctx, ChangeHub())
    today.runner = runner
    today.show()
    today.reload()
    qtbot.waitUntil(lambda: today.model.rowCount() == 2)
    yield today
    runner.shutdown()


def _texts(model: TodayModel, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_todays_visits_in_time_order_with_the_risk_at_the_door(view, qtmodeltester):
    qtmodeltester.check(view.model)
    first, second = _texts(view.model, 0), _texts(view.model, 1)
    assert first[:4] == [
        "09:30–10:30",
        "Noah Patel (X100002)",
        "Home Visit to Case (NS)",
        "Fake Street, ZZ1 1ZZ",
    ]
    assert first[4].startswith("RISK TO STAFF: Threatened staff when drunk; High RoSH")
    assert "MAPPA level 2, category 1" in first[4]
    assert second[1] == "Amelia Hughes (X100001)"
    staff_risk = view.model.index(0, 4).data(Qt.ItemDataRole.BackgroundRole)
    assert staff_risk is not None  # shown in colour as well as words
    detail = view.detail.toPlainText()
    for words in ("Dog in the back garden", "Child (aged 6)", "Victim", "Curfew requirement"):
        assert words in detail


def test_tomorrow_is_one_key_away(view, qtbot):
    qtbot.keyClick(view.table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert _texts(view.model, 0)[0] == "10:00–11:00"
    assert view.when.text().startswith("Saturday")
    qtbot.keyClick(view.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)


def test_enter_opens_the_case(view, qtbot):
    view.table.setFocus()
    with qtbot.waitSignal(view.case_opened) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == ["X100002"]


def test_going_then_back_safe_from_the_keyboard(view, qtbot, ctx):
    view.back_by.setText("11:45")
    qtbot.keyClick(view.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _texts(view.model, 0)[6].startswith("Going: back by 11:45"))
    qtbot.keyClick(view.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _texts(view.model, 0)[6].startswith("Back safe at 10:00"))
    names = [r["name"] for r in ctx.cache().cdb.query("SELECT name FROM outbox")]
    assert names == ["record_contact", "record_contact"]


def test_a_bad_back_by_time_is_said_and_nothing_is_queued(view, qtbot, ctx):
    view.back_by.setText("nonsense")
    qtbot.keyClick(view.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert view.said.text()
    assert ctx.cache().cdb.query("SELECT name FROM outbox") == []


def test_the_days_briefing_goes_only_where_chosen_and_is_audited(view, qtbot, ctx, tmp_path):
    target = tmp_path / "my briefings" / "today.pdf"
    target.parent.mkdir()
    view.chosen.append(str(target))
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.table, Qt.Key.Key_P, modifiers)
    qtbot.waitUntil(lambda: "Briefing saved" in view.said.text())
    assert target.exists()
    assert target.read_bytes().startswith(b"%PDF")
    cdb = ctx.cache().cdb
    qtbot.waitUntil(lambda: len(cdb.query("SELECT seq FROM outbox")) == 2)
    audit = {(r["crn"], r["action"]) for r in cdb.query("SELECT crn, action FROM audit_queue")}
    assert audit == {("X100001", "briefing_pdf"), ("X100002", "briefing_pdf")}


def test_cancelling_the_save_writes_nothing_and_audits_nothing(view, qtbot, ctx, tmp_path):
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.asked == ["Visit briefing 2026-11-20.pdf"])
    assert list(tmp_path.rglob("*.pdf")) == []
    assert ctx.cache().cdb.query("SELECT seq FROM outbox") == []


def test_an_empty_day_says_so(view, qtbot):
    view.day = TODAY + dt.timedelta(days=5)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    qtbot.waitUntil(lambda: "No appointments" in view.said.text())
