"""The window comes back the size and place the officer left it, the caseload sorted and
the diary by day or week as they were left, and saving that changes nothing else in the
settings file."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt

from app import settings as settings_store
from app.rows import CaseloadUpdate
from app.session import Session, SessionState
from app.settings import Settings
from tests.app.fakes import FakeBackend, caseload_rows
from ui import window_state
from ui.main_window import DIARY, MainWindow
from ui.models.caseload import CRN, NAME, NEXT, RISK
from ui.shell import Shell


def _open(qtbot, profile) -> tuple[Shell, MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    backend = FakeBackend(cached=True, synced=True)
    shell = Shell(Session(backend), window, profile=profile, settings=settings_store.load(profile))
    shell.start()
    return shell, window


def test_the_window_comes_back_the_size_it_was_left(qtbot, tmp_path):
    settings_store.save(tmp_path, Settings(username="synthetic.officer", staff_code="N07A001"))
    shell, window = _open(qtbot, tmp_path)
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1100, 700))
    shell.shutdown()

    saved = settings_store.load(tmp_path)
    assert saved.window_geometry
    assert (saved.username, saved.staff_code) == ("synthetic.officer", "N07A001")

    shell, again = _open(qtbot, tmp_path)
    try:
        # the offscreen test screen is 800 wide, so Qt fits the width back on it; the
        # height (a first run's is 736 there) shows the saved geometry came back
        assert again.height() == 700
    finally:
        shell.shutdown()


def _first_run_size(window: MainWindow) -> tuple[int, int]:
    room = window.screen().availableGeometry()
    share = window_state.FIRST_RUN_SHARE
    cap_width, cap_height = window_state.FIRST_RUN_MAX
    least = window.minimumSizeHint()
    return (
        max(least.width(), min(cap_width, int(room.width() * share))),
        max(least.height(), min(cap_height, int(room.height() * share))),
    )


def test_a_first_run_fills_most_of_the_screen_centred(qtbot, tmp_path):
    shell, window = _open(qtbot, tmp_path)
    try:
        room = window.screen().availableGeometry()
        assert (window.width(), window.height()) == _first_run_size(window)
        # the offscreen screen (800 x 800) is narrower than the window's least width:
        # its left and top edges stay on the screen, and it is centred top to bottom
        assert window.geometry().left() == room.left()
        assert room.top() <= window.geometry().top()
        assert abs(window.geometry().center().y() - room.center().y()) <= 1
    finally:
        shell.shutdown()


def test_an_unreadable_saved_geometry_leaves_the_first_run_size(qtbot, tmp_path):
    settings_store.save(tmp_path, Settings(window_geometry="bm90IGEgZ2VvbWV0cnk="))
    shell, window = _open(qtbot, tmp_path)
    try:
        assert (window.width(), window.height()) == _first_run_size(window)
    finally:
        shell.shutdown()


# -- the caseload's sort and the diary's day or week ---------------------------------


def _ready(qtbot, shell: Shell, window: MainWindow) -> None:
    qtbot.keyClicks(window.unlock.password, "correct horse")
    qtbot.keyClick(window.unlock.password, "\r")
    qtbot.waitUntil(lambda: shell.session.state is SessionState.READY)
    qtbot.waitUntil(lambda: window.caseload.summary.text() == "30 cases")


def _crns_shown(window: MainWindow) -> list[str]:
    proxy = window.caseload.proxy
    return [proxy.index(row, CRN).data() for row in range(proxy.rowCount())]


def _click_header(qtbot, window: MainWindow, column: int) -> None:
    header = window.caseload.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_the_caseload_comes_back_sorted_as_it_was_left(qtbot, tmp_path):
    shell, window = _open(qtbot, tmp_path)
    _ready(qtbot, shell, window)
    by_name = _crns_shown(window)
    for _ in range(2):  # the second click turns the order round
        _click_header(qtbot, window, RISK)
    chosen = window.caseload.sort_choice()
    assert chosen[0] == RISK
    shown = _crns_shown(window)
    assert shown != by_name
    shell.shutdown()

    saved = settings_store.load(tmp_path)
    assert (saved.caseload_sort_column, saved.caseload_sort_descending) == chosen

    shell, again = _open(qtbot, tmp_path)
    try:
        assert again.caseload.sort_choice() == chosen  # before the first page
        _ready(qtbot, shell, again)
        assert _crns_shown(again) == shown
    finally:
        shell.shutdown()


def test_the_sort_is_saved_as_soon_as_it_changes(qtbot, tmp_path):
    shell, window = _open(qtbot, tmp_path)  # the shell keeps them from start()
    try:
        window.caseload.table.sortByColumn(NEXT, Qt.SortOrder.DescendingOrder)
        saved = settings_store.load(tmp_path)
        assert (saved.caseload_sort_column, saved.caseload_sort_descending) == (NEXT, True)
        window.diary.toggle_week()
        assert settings_store.load(tmp_path).diary_week_view
    finally:
        shell.shutdown()


def test_a_saved_column_that_no_longer_exists_gives_the_default_sort(qtbot, tmp_path):
    settings_store.save(tmp_path, Settings(caseload_sort_column=42, caseload_sort_descending=True))
    shell, window = _open(qtbot, tmp_path)
    try:
        assert window.caseload.sort_choice() == (NAME, False)
        _ready(qtbot, shell, window)
        names = [window.caseload.model.row_at(n).name for n in range(30)]
        assert names == sorted(
            names, key=lambda name: name.split()[-1].casefold() + name.casefold()
        )
    finally:
        shell.shutdown()
    assert settings_store.load(tmp_path).caseload_sort_column == NAME


def test_cases_patched_in_after_a_sync_keep_the_restored_sort(qtbot, tmp_path):
    settings_store.save(
        tmp_path, Settings(caseload_sort_column=NEXT, caseload_sort_descending=True)
    )
    shell, window = _open(qtbot, tmp_path)
    try:
        _ready(qtbot, shell, window)
        rows = caseload_rows(31)
        latest = window.caseload.model.row_at(0)
        assert latest.next_appointment == max(r.next_appointment for r in rows[:30])
        earliest = replace(latest, next_appointment=dt.datetime(2026, 11, 1, 9, 0))
        window.caseload.patch(
            CaseloadUpdate(frozenset({latest.crn, rows[30].crn}), (earliest, rows[30]))
        )
        shown = _crns_shown(window)
        assert shown[0] == rows[30].crn  # the newcomer has the latest appointment
        assert shown[-1] == latest.crn
        assert window.caseload.sort_choice() == (NEXT, True)
    finally:
        shell.shutdown()


def test_the_diary_comes_back_showing_the_week(qtbot, tmp_path):
    shell, window = _open(qtbot, tmp_path)
    qtbot.mouseClick(window.diary.toggle, Qt.MouseButton.LeftButton)
    assert window.diary.week
    shell.shutdown()
    assert settings_store.load(tmp_path).diary_week_view

    shell, again = _open(qtbot, tmp_path)
    try:
        assert again.diary.week
        assert again.diary.toggle.text() == "Show day (Alt+W)"
        _ready(qtbot, shell, again)
        again.show_section(DIARY)
        assert again.diary.when.text().startswith("Week of")
    finally:
        shell.shutdown()


def test_without_a_profile_nothing_is_written(qtbot, tmp_path):
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    shell = Shell(Session(FakeBackend(cached=True, synced=True)), window, profile=None)
    shell.start()
    assert window_state.keep(window, None) is None
    window.caseload.table.sortByColumn(RISK, Qt.SortOrder.DescendingOrder)
    window.diary.toggle_week()
    shell.shutdown()
    assert list(tmp_path.iterdir()) == []
