"""The real app layer and windows against the real central service over loopback HTTP:
sign in and sync, lose the server, keep working, get it back, see the work arrive."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.session import SessionState
from tests.e2e.live_app import PASSWORD, live_app, seeded_central

pytestmark = pytest.mark.e2e


@pytest.fixture
def central(tmp_path, qtbot):
    with seeded_central(qtbot, tmp_path, officers=1, cases_per_officer=4, seed=7) as server:
        yield server


@pytest.mark.allow_warnings  # the sync engine logs the lost connection at WARNING
def test_work_done_while_the_server_is_down_arrives_when_it_is_back(qtbot, tmp_path, central):
    with live_app(qtbot, tmp_path / "profile") as app:
        backend, session, window, shell = app.backend, app.session, app.window, app.shell
        screen = window.sign_in
        qtbot.keyClicks(screen.server, central.url)
        qtbot.keyClicks(screen.username, central.officer)
        qtbot.keyClicks(screen.password, PASSWORD)
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: session.state is SessionState.READY, timeout=60_000)
        qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 4, timeout=10_000)
        qtbot.waitUntil(
            lambda: shell.sync is not None and shell.sync.status.state == "idle", timeout=30_000
        )

        central.stop()
        crn = window.caseload.model.row_at(0).crn
        window.open_requested.emit(crn)  # works offline; queues the audit of this view
        qtbot.waitUntil(lambda: window.case_view is not None, timeout=10_000)
        assert window.case_view.crn == crn
        window.status.sync_now.click()
        qtbot.waitUntil(lambda: shell.sync.status.state == "offline", timeout=60_000)
        # the audit of the view waits in the outbox (not counted as an officer's change)
        qtbot.waitUntil(lambda: backend.cache.pending_count() >= 1, timeout=10_000)
        assert backend.pending_count() == 0
        qtbot.waitUntil(
            lambda: window.status.connection.text().startswith("Offline"), timeout=10_000
        )

        central.start(qtbot)
        window.status.sync_now.click()
        qtbot.waitUntil(lambda: backend.cache.pending_count() == 0, timeout=60_000)
        assert "case_viewed" in " ".join(central.audit(crn))
        qtbot.waitUntil(lambda: window.status.waiting.text() == "Everything sent", timeout=10_000)

        shell.lock()  # the key leaves memory; the password opens the cache again, offline
        assert window.screens.currentWidget() is window.unlock
        assert backend.cache is None
        qtbot.keyClicks(window.unlock.password, PASSWORD)
        qtbot.keyClick(window.unlock.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 4, timeout=30_000)
