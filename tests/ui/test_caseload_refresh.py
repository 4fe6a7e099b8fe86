"""A change refreshes what it touched: the caseload rows of its cases (read for just those
cases, patched in place), an open case view of one of them, a diary on screen."""

from __future__ import annotations

import dataclasses
import datetime as dt

from app.changes import CASELOAD, ChangeSet
from app.rows import CaseloadUpdate
from tests.app.fakes import caseload_rows
from ui.caseload_view import ReadOrder
from ui.main_window import DIARY


def crns_shown(h) -> set[str]:
    return {r.crn for r in h.window.caseload.model.rows()}


def row_of(h, crn: str):
    return next(r for r in h.window.caseload.model.rows() if r.crn == crn)


def ready(harness):
    h = harness().ready()
    cache = h.backend.cache
    h.qtbot.waitUntil(lambda: len(h.window.caseload.model.rows()) == len(cache.rows))
    return h, cache


def test_an_edited_case_reloads_its_row_and_nothing_else(qtbot, harness):
    h, cache = ready(harness)
    pages = len(cache.pages_asked)
    table = h.window.caseload
    table.select_crn(table.model.row_at(0).crn)
    selected = table.selected_crn()
    crn = cache.rows[5].crn
    cache.rows[5] = dataclasses.replace(cache.rows[5], compliance="Breach: 3 failures to comply")
    h.shell.hub.publish(ChangeSet.of([crn], ["contact"]))
    qtbot.waitUntil(lambda: row_of(h, crn).compliance.startswith("Breach"))
    assert cache.rows_asked == [{crn}]  # one read, for that case only
    assert len(cache.pages_asked) == pages  # no page of the whole caseload
    assert table.selected_crn() == selected
    assert table.summary.text() == "30 cases"


def test_a_case_entering_appears_and_one_reallocated_away_disappears(qtbot, harness):
    h, cache = ready(harness)
    pages = len(cache.pages_asked)
    (arrived,) = [dataclasses.replace(r, crn="Z999999") for r in caseload_rows(1)]
    cache.rows.append(arrived)
    h.shell.hub.publish(ChangeSet.of([arrived.crn], [CASELOAD, "person"]))
    qtbot.waitUntil(lambda: "Z999999" in crns_shown(h))
    left = cache.rows.pop(3).crn
    h.shell.hub.publish(ChangeSet.of([left], [CASELOAD, "person"]))
    qtbot.waitUntil(lambda: left not in crns_shown(h))
    assert len(h.window.caseload.model.rows()) == 30
    assert cache.rows_asked == [{"Z999999"}, {left}]
    assert len(cache.pages_asked) == pages
    assert h.window.caseload.summary.text() == "30 cases"


def test_a_reset_still_reloads_the_whole_caseload(qtbot, harness):
    h, cache = ready(harness)
    pages = len(cache.pages_asked)
    h.shell.hub.publish(ChangeSet.all())
    qtbot.waitUntil(lambda: len(cache.pages_asked) > pages)
    assert cache.rows_asked == []


def test_an_open_case_refreshes_only_when_its_case_changed(qtbot, harness, monkeypatch):
    h, cache = ready(harness)
    read: list[str] = []
    original = cache.case_detail

    def case_detail(crn: str, *, today: dt.date):
        read.append(crn)
        return original(crn, today=today)

    monkeypatch.setattr(cache, "case_detail", case_detail)
    h.window.open_requested.emit("X100003")
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    assert read == ["X100003"]
    h.shell.hub.publish(ChangeSet.of(["X100004"], ["contact"]))  # another case: no re-read
    h.shell.hub.publish(ChangeSet.of(["X100003"], ["contact"]))
    qtbot.waitUntil(lambda: len(read) == 2)
    assert read == ["X100003", "X100003"]


def test_the_diary_on_screen_reloads_when_contacts_changed(qtbot, harness, monkeypatch):
    h, cache = ready(harness)
    asked: list[dt.date] = []
    original = cache.diary

    def diary(start: dt.date, end: dt.date):
        asked.append(start)
        return original(start, end)

    monkeypatch.setattr(cache, "diary", diary)
    h.shell.hub.publish(ChangeSet.of(["X100004"], ["contact"]))  # diary hidden: not read
    h.window.show_section(DIARY)
    qtbot.waitUntil(lambda: len(asked) == 1)
    h.shell.hub.publish(ChangeSet.of(["X100004"], ["attention"]))  # no contact: not read
    h.shell.hub.publish(ChangeSet.of(["X100004"], ["contact"]))
    qtbot.waitUntil(lambda: len(asked) == 2)
    qtbot.waitUntil(lambda: cache.rows_asked == [{"X100004"}] * 3)
    assert len(asked) == 2


def _update(*crns: str) -> CaseloadUpdate:
    rows = tuple(
        dataclasses.replace(r, crn=c) for r, c in zip(caseload_rows(len(crns)), crns, strict=True)
    )
    return CaseloadUpdate(frozenset(crns), rows)


def test_reads_finishing_out_of_order_keep_the_newest_rows() -> None:
    order = ReadOrder()
    older, newer = order.ticket(), order.ticket()
    assert order.fresh(newer, _update("A", "B")) == _update("A", "B")
    partly = order.fresh(older, _update("A", "C"))  # A was read again since
    assert partly is not None
    assert (partly.asked, [r.crn for r in partly.rows]) == ({"C"}, ["C"])
    assert order.fresh(older, _update("A")) is None
    before_whole = order.ticket()
    order.whole()
    assert order.fresh(before_whole, _update("D")) is None


def test_many_changed_cases_are_merged_in_one_go(qtbot, harness):
    from ui.caseload_view import COME_OR_GO_ONE_BY_ONE

    h, cache = ready(harness)
    view = h.window.caseload
    view.select_crn("X100007")
    many = [dataclasses.replace(r, crn=f"Y{n:06d}") for n, r in enumerate(caseload_rows(500))]
    changed = dataclasses.replace(cache.rows[7], compliance="Breach")
    update = CaseloadUpdate(
        frozenset({r.crn for r in many} | {changed.crn, cache.rows[2].crn}), (*many, changed)
    )
    assert len(update.asked) > COME_OR_GO_ONE_BY_ONE
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    view.patch(update)
    assert resets == [True]  # one reset, not 500 inserts
    shown = {r.crn: r for r in view.model.rows()}
    assert len(shown) == 30 + 500 - 1
    assert cache.rows[2].crn not in shown
    assert shown[changed.crn].compliance == "Breach"
    assert view.selected_crn() == "X100007"
    assert view.summary.text() == "529 cases"


def test_rows_whose_next_appointment_began_are_read_again(qtbot, harness):
    h, cache = ready(harness)
    now = dt.datetime.now()
    view = h.window.caseload
    later = dataclasses.replace(cache.rows[0], next_appointment=now + dt.timedelta(hours=2))
    began = dataclasses.replace(cache.rows[1], next_appointment=now - dt.timedelta(minutes=5))
    cache.rows[:2] = [later, began]
    h.shell.hub.publish(ChangeSet.of([later.crn, began.crn], ["contact"]))
    qtbot.waitUntil(lambda: {later, began} <= set(view.model.rows()))
    timer = h.shell.appointments.timer
    assert timer.isActive()
    assert timer.interval() <= 3_600_000  # at most an hour, then looked at again
    at = dt.datetime.now()
    expected = {r.crn for r in view.model.rows() if r.next_appointment and r.next_appointment <= at}
    assert began.crn in expected
    assert later.crn not in expected
    h.shell.appointments.on_timer_fired()  # as when the timer fires
    qtbot.waitUntil(lambda: len(cache.rows_asked) == 2)
    assert cache.rows_asked[1] == expected


def test_the_appointment_watch_waits_for_the_earliest_upcoming_one(qtbot):
    from ui.caseload_view import AppointmentWatch, CaseloadView

    at = dt.datetime(2026, 11, 20, 9, 0)
    clock = [at]
    view = CaseloadView()
    qtbot.addWidget(view)
    rows = [
        dataclasses.replace(r, next_appointment=at + dt.timedelta(minutes=m))
        for r, m in zip(caseload_rows(3), (-10, 30, 20), strict=True)
    ]
    view.set_rows(rows)
    watch = AppointmentWatch(view, clock=lambda: clock[0])
    watch.watch()
    assert watch.timer.interval() == (20 * 60 + 1) * 1000
    watch.watch([dataclasses.replace(rows[1], next_appointment=at + dt.timedelta(minutes=50))])
    assert watch.timer.interval() == (20 * 60 + 1) * 1000  # a later one: no change
    watch.watch([dataclasses.replace(rows[1], next_appointment=at + dt.timedelta(minutes=5))])
    assert watch.timer.interval() == (5 * 60 + 1) * 1000  # an earlier one: sooner
    clock[0] = at + dt.timedelta(minutes=21)
    with qtbot.waitSignal(watch.begun) as fired:
        watch.on_timer_fired()
    assert fired.args == [frozenset({rows[0].crn, rows[2].crn})]
    assert watch.timer.interval() == (9 * 60 + 1) * 1000  # rows[1], at +30 minutes
    watch.stop()
    assert not watch.timer.isActive()
