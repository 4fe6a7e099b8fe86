"""Search: local hits at once, national ones appended, offline said plainly, pinning."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.changes import OUTBOX
from app.rows import SearchHit
from sync.errors import OfflineError
from tests.app.fakes import FakeBackend, FakeNationalSearch
from ui.main_window import SEARCH

OUTSIDER = SearchHit("Z111222", "Harriet Hughes", dt.date(1985, 2, 3), "Leeds North", False)


def _search(qtbot, harness, national: FakeNationalSearch, text: str = "hughes"):
    h = harness(FakeBackend(cached=True, synced=True, national=national)).ready()
    h.window.show_section(SEARCH)
    search = h.window.search
    qtbot.keyClicks(search.box, text)
    qtbot.waitUntil(lambda: search.model.rowCount() > 0)
    return h, search


def test_national_results_are_appended_after_the_local_ones(qtbot, harness):
    national = FakeNationalSearch(hits=[OUTSIDER])
    _h, search = _search(qtbot, harness, national)
    local = search.model.rowCount()
    assert all(r.on_this_laptop for r in search.model.rows())
    assert national.asked == []  # typing searches this laptop only (the server audits)
    qtbot.keyClick(search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.model.rowCount() == local + 1, timeout=3000)
    crns = [r.crn for r in search.model.rows()]
    found = crns.index("Z111222")
    assert not search.model.rows()[found].on_this_laptop
    assert search.model.index(found, 4).data() == "National search"
    assert search.summary.text().endswith("1 more nationally")
    assert national.asked == ["hughes"]


def test_offline_national_search_is_one_plain_line_not_an_error(qtbot, harness):
    national = FakeNationalSearch(error=OfflineError("Could not reach the case service."))
    _h, search = _search(qtbot, harness, national)
    local = search.model.rowCount()
    qtbot.mouseClick(search.national, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "needs a connection" in search.note.text(), timeout=3000)
    assert search.note.isVisible()
    assert not search.banner.isVisible()
    assert search.model.rowCount() == local  # the local results stay


def test_enter_searches_nationally_at_once(qtbot, harness):
    national = FakeNationalSearch(hits=[OUTSIDER])
    _h, search = _search(qtbot, harness, national)
    qtbot.keyClick(search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(not r.on_this_laptop for r in search.model.rows()), timeout=1000)


def test_a_stale_national_answer_is_dropped(qtbot, harness):
    national = FakeNationalSearch(hits=[OUTSIDER])
    _h, search = _search(qtbot, harness, national)
    from app.usecases.search import NationalAnswer

    rows = search.model.rowCount()
    search.show_national(NationalAnswer("hug", (OUTSIDER,)))  # asked before the last keys
    assert search.model.rowCount() == rows


def test_keep_on_this_laptop_pins_a_case_from_outside_the_caseload(qtbot, harness):
    national = FakeNationalSearch(hits=[OUTSIDER])
    h, search = _search(qtbot, harness, national)
    qtbot.keyClick(search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Z111222" in [r.crn for r in search.model.rows()], timeout=3000)
    assert not search.pin.isEnabled()
    row = [r.crn for r in search.model.rows()].index("Z111222")
    search.table.setCurrentIndex(search.model.index(row, 0))
    search.table.clicked.emit(search.model.index(row, 0))
    assert search.pin.isEnabled()
    qtbot.keyClick(search.table, Qt.Key.Key_Return)
    assert "not on this laptop yet" in search.summary.text()  # opening needs it here first
    qtbot.mouseClick(search.pin, Qt.MouseButton.LeftButton)
    dialog = search.keep_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # no reason yet: refused inline
    assert dialog.isVisible()
    assert "Choose a reason" in dialog.error.text()
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # "other" needs words
    assert "few words" in dialog.error.text()
    qtbot.keyClicks(dialog.why, "Joint home visit")
    with qtbot.waitSignal(h.shell.hub.changes_applied) as published:
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert published.args[0].touches_kind(OUTBOX)  # the sync is told a change waits
    (name, args), *_ = h.backend.cache.applied
    assert (name, args.crn) == ("pin_case", "Z111222")
    assert (args.reason, args.reason_text) == ("other", "Joint home visit")
    qtbot.waitUntil(lambda: "next sync" in search.summary.text())
    assert "next sync" in search.model.rows()[row].detail
    assert not search.pin.isEnabled()


def test_a_national_answer_that_beats_the_local_one_is_kept(qtbot, harness):
    from app.usecases.search import NationalAnswer

    _h, search = _search(qtbot, harness, FakeNationalSearch())
    local = search.model.rows()
    search.show_national(NationalAnswer("hughes", (OUTSIDER,)))
    search.show_hits(local)  # the local answer, later
    assert "Z111222" in [r.crn for r in search.model.rows()]
    assert search.summary.text().endswith("1 more nationally")
