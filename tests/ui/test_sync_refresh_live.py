"""The real app over the real encrypted cache and the real central service (loopback): a
sync that pulls an edit to one case re-reads that case's caseload row and nothing else;
cases reallocated in or away come and go; an open case view refreshes when its case did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from app.backend import LiveBackend
from app.cache_adapter import StorageCache
from app.session import Session, SessionState
from app.settings import Settings
from central.admin import allocate
from storage.crypto import FAST_TEST_PARAMS
from tests.sync.live import PASSWORD, Live, live_central, now, record_contact_args
from ui.main_window import MainWindow
from ui.run import make_sync
from ui.shell import Shell

pytestmark = pytest.mark.e2e


class Reads:
    """What the app asked the cache for, from any thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows: list[frozenset[str]] = []
        self.pages: list[int] = []
        self.details: list[str] = []
        rows, page, detail = (
            StorageCache.caseload_rows,
            StorageCache.caseload_page,
            StorageCache.case_detail,
        )

        def caseload_rows(cache: StorageCache, crns: Any) -> Any:
            self.rows.append(frozenset(crns))
            return rows(cache, crns)

        def caseload_page(cache: StorageCache, *, offset: int, limit: int) -> Any:
            self.pages.append(offset)
            return page(cache, offset=offset, limit=limit)

        def case_detail(cache: StorageCache, crn: str, *, today: dt.date) -> Any:
            self.details.append(crn)
            return detail(cache, crn, today=today)

        monkeypatch.setattr(StorageCache, "caseload_rows", caseload_rows)
        monkeypatch.setattr(StorageCache, "caseload_page", caseload_page)
        monkeypatch.setattr(StorageCache, "case_detail", case_detail)

    def clear(self) -> None:
        self.rows.clear()
        self.pages.clear()
        self.details.clear()


class App:
    def __init__(
        self, qtbot: Any, live: Live, folder: Any, officer: str, settings: Settings | None = None
    ) -> None:
        self.qtbot, self.live, self.officer = qtbot, live, officer
        self.backend = LiveBackend(folder, settings or Settings(), kdf=FAST_TEST_PARAMS)
        self.session = Session(self.backend)
        self.window = MainWindow()
        qtbot.addWidget(self.window)
        launch = SimpleNamespace(backend=self.backend)
        self.shell = Shell(self.session, self.window, sync_factory=make_sync(launch))
        self.shell.start()

    def sign_in(self) -> None:
        self.session.sign_in(self.live.server.url, self.officer, PASSWORD)
        self.qtbot.waitUntil(lambda: self.session.state is SessionState.READY, timeout=60_000)
        first = self.backend.last_successful_sync()
        assert first is not None
        shown = self.live.visible_caseload(self.officer)
        self.qtbot.waitUntil(lambda: self.crns() == shown, timeout=20_000)
        self.qtbot.waitUntil(  # the bridge's own first sync (it pulls nothing new)
            lambda: (
                self.shell.sync is not None
                and self.shell.sync.status.state == "idle"
                and (self.shell.sync.status.last_success or first) > first
            ),
            timeout=30_000,
        )

    def crns(self) -> set[str]:
        return {r.crn for r in self.window.caseload.model.rows()}

    def row(self, crn: str) -> Any:
        return next(r for r in self.window.caseload.model.rows() if r.crn == crn)

    def sync_pulling(self) -> None:
        """Sync now, until a sync that pulled something has finished (and been published:
        this slot is connected after the app's own)."""
        pulled: list[Any] = []

        def finished(summary: Any) -> None:
            if summary.pulled or summary.snapshots or summary.evicted:
                pulled.append(summary)

        self.shell.sync.sync_finished.connect(finished)
        try:
            self.shell.sync_now()
            self.qtbot.waitUntil(lambda: bool(pulled), timeout=30_000)
        finally:
            self.shell.sync.sync_finished.disconnect(finished)


@pytest.fixture
def live(tmp_path: Any) -> Iterator[Live]:
    with live_central(f"sqlite:///{tmp_path}/central.db") as running:
        yield running


@pytest.fixture
def app(qtbot: Any, live: Live, tmp_path: Any) -> Iterator[App]:
    made = App(qtbot, live, tmp_path / "profile", live.seed.officers[0])
    try:
        made.sign_in()
        yield made
    finally:
        made.shell.shutdown()
        made.backend.close()


def edit_centrally(live: Live, officer: str, crn: str) -> None:
    """Another laptop of the same officer records a contact today in `crn`."""
    other = live.laptop(officer)
    other.sync()
    other.store.queue("record_contact", record_contact_args(crn, notes="Called, all well"))
    assert other.sync().applied == 1


def test_a_central_edit_reloads_just_that_row(app: App, live: Live, monkeypatch) -> None:
    reads = Reads(monkeypatch)
    today = dt.date.today()
    crn = sorted(app.crns(), key=lambda c: app.row(c).last_contact == today)[0]
    before = app.row(crn)
    others = {c: app.row(c) for c in app.crns() - {crn}}
    edit_centrally(live, app.officer, crn)
    app.sync_pulling()
    app.qtbot.waitUntil(lambda: app.row(crn).last_contact == today, timeout=10_000)
    assert before.last_contact != today or app.row(crn) != before
    assert reads.rows == [{crn}]  # one read, of that case's row
    assert reads.pages == []  # no page of the whole caseload
    assert {c: app.row(c) for c in app.crns() - {crn}} == others


def test_cases_reallocated_in_and_away_come_and_go(app: App, live: Live, monkeypatch) -> None:
    reads = Reads(monkeypatch)
    other = live.seed.officers[1]
    away = sorted(app.crns())[0]
    with live.admin() as conn:
        allocate(conn, away, live.staff_code(other), now=now(), by="admin")
    app.sync_pulling()
    app.qtbot.waitUntil(lambda: away not in app.crns(), timeout=10_000)
    assert reads.rows == [{away}]
    reads.clear()
    arriving = sorted(live.visible_caseload(other) - app.crns() - {away})
    barred = {c for c, users in live.seed.exclusions.items() if app.officer in users}
    barred |= {c for c, users in live.seed.restrictions.items() if app.officer not in users}
    incoming = next(c for c in arriving if c not in barred)
    with live.admin() as conn:
        allocate(conn, incoming, live.staff_code(app.officer), now=now(), by="admin")
    app.sync_pulling()
    app.qtbot.waitUntil(lambda: incoming in app.crns(), timeout=10_000)
    assert reads.rows == [{incoming}]
    assert reads.pages == []
    assert app.window.caseload.summary.text() == f"{len(app.crns())} cases"


def test_an_open_case_refreshes_when_its_case_changed(app: App, live: Live, monkeypatch) -> None:
    reads = Reads(monkeypatch)
    opened, elsewhere = sorted(app.crns())[:2]
    app.window.open_requested.emit(opened)
    app.qtbot.waitUntil(lambda: app.window.case_view is not None, timeout=10_000)
    assert reads.details == [opened]
    edit_centrally(live, app.officer, elsewhere)
    app.sync_pulling()
    app.qtbot.waitUntil(lambda: elsewhere in set().union(*reads.rows), timeout=10_000)
    assert reads.details == [opened]  # another case changed: the open one is not re-read
    edit_centrally(live, app.officer, opened)
    app.sync_pulling()
    app.qtbot.waitUntil(lambda: reads.details == [opened, opened], timeout=10_000)
    view = app.window.case_view
    app.qtbot.waitUntil(
        lambda: any(c.notes == "Called, all well" for c in view.detail.last_contacts),
        timeout=10_000,
    )
