from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.fakes import caseload_rows
from ui.caseload_view import CaseloadView
from ui.models import roles


def test_typing_filters_the_caseload(qtbot, harness):
    h = harness().ready()
    view = h.window.caseload
    qtbot.keyClicks(view.filter, "patel")
    shown = [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]
    assert shown
    assert all("Patel" in name for name in shown)
    assert view.summary.text() == f"Showing {len(shown)} of 30 cases"
    view.filter.clear()
    assert view.summary.text() == "30 cases"


def test_enter_in_the_filter_opens_the_first_match(qtbot, harness):
    h = harness().ready()
    view = h.window.caseload
    qtbot.keyClicks(view.filter, "X100007")
    qtbot.keyClick(view.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    assert h.window.case_view.crn == "X100007"


def test_reload_keeps_the_selected_case(qtbot):
    view = CaseloadView()
    qtbot.addWidget(view)
    rows = caseload_rows(40)
    view.set_rows(rows)
    view.select_crn("X100021")
    view.set_rows(list(reversed(rows)))
    assert view.selected_crn() == "X100021"


def test_type_ahead_jumps_to_a_name(qtbot):
    view = CaseloadView()
    qtbot.addWidget(view)
    view.set_rows(caseload_rows(40))
    view.show()
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    qtbot.keyClicks(view.table, "Mia")
    assert view.table.currentIndex().data().startswith("Mia")
    assert view.table.currentIndex().data(roles.KEY)


def test_a_large_caseload_is_usable_after_its_first_page(qtbot, harness):
    from tests.app.fakes import FakeBackend, FakeCache

    h = harness(FakeBackend(cached=True, synced=True, cache=FakeCache(rows=caseload_rows(2500))))
    h.unlock()
    qtbot.waitUntil(lambda: h.window.caseload.model.rowCount() > 0)
    qtbot.waitUntil(lambda: h.window.caseload.summary.text() == "2500 cases")
    assert len(h.window.caseload.model.rows()) == 2500


def test_keyboard_only_open_a_case_and_come_back(qtbot, harness):
    h = harness().ready()
    table = h.window.caseload.table
    table.setFocus()
    table.setCurrentIndex(h.window.caseload.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    expected = table.currentIndex().data(roles.KEY)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    assert h.window.case_view.crn == expected
    qtbot.keyClick(h.window, Qt.Key.Key_Escape)
    assert h.window.case_view is None


def test_a_reload_with_the_same_cases_updates_in_place_and_keeps_the_place(qtbot):
    """After a sync most cases are unchanged: no reset, selection and sort stay put."""
    import dataclasses

    view = CaseloadView()
    qtbot.addWidget(view)
    rows = caseload_rows(40)
    view.set_rows(rows)
    view.select_crn("X100021")
    resets = []
    view.model.modelReset.connect(lambda: resets.append(1))
    moved = [
        dataclasses.replace(r, name="Aaron Aardvark") if r.crn == "X100021" else r for r in rows
    ]
    with qtbot.waitSignal(view.model.dataChanged):
        view.set_rows(list(reversed(moved)))
    assert resets == []
    assert view.selected_crn() == "X100021"
    assert view.proxy.index(0, 0).data() == "Aaron Aardvark"  # re-sorted by surname
    assert view.table.currentIndex().row() == 0  # the selection moved with its case
    view.set_rows(rows[:39])  # a case left the caseload: a full reload
    assert resets == [1]
