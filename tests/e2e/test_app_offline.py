"""The real app layer and windows against the real central service over loopback HTTP:
sign in and sync, lose the server, keep working, get it back, see the work arrive."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt

from app.backend import LiveBackend
from app.session import Session, SessionState
from app.settings import Settings
from central.audit import case_audit
from central.db import make_engine
from central.seed import seed_database
from storage.crypto import FAST_TEST_PARAMS
from ui.main_window import MainWindow
from ui.shell import Shell

PASSWORD = "synthetic-officer-pw"
pytestmark = pytest.mark.e2e


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Central:
    def __init__(self, folder: Path) -> None:
        self.url_db = f"sqlite:///{folder / 'central.db'}"
        self.secret = folder / "jwt-secret"
        self.secret.write_text("0" * 64)
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "central.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, qtbot) -> None:
        command = [sys.executable, "-m", "central.cli", "serve", "--database-url", self.url_db,
                   "--port", str(self.port), "--jwt-secret-file", str(self.secret),
                   "--log-level", "WARNING"]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=out)
        qtbot.waitUntil(self.healthy, timeout=30_000)

    def healthy(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=0.5).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def audit(self, crn: str) -> list[str]:
        engine = make_engine(self.url_db)
        try:
            with engine.connect() as conn:
                return [e.action for e in case_audit(conn, crn)]
        finally:
            engine.dispose()


@pytest.fixture
def central(tmp_path, qtbot):
    server = Central(tmp_path)
    result = seed_database(
        server.url_db, officers=1, cases_per_officer=4, seed=7, password=PASSWORD
    )
    server.officer = result.officers[0]
    server.start(qtbot)
    yield server
    server.stop()


@pytest.mark.allow_warnings  # the sync engine logs the lost connection at WARNING
def test_work_done_while_the_server_is_down_arrives_when_it_is_back(qtbot, tmp_path, central):
    from ui.run import make_sync

    profile = tmp_path / "profile"
    backend = LiveBackend(profile, Settings(), kdf=FAST_TEST_PARAMS)
    launch = type("L", (), {"backend": backend})()
    session = Session(backend)
    window = MainWindow()
    qtbot.addWidget(window)
    shell = Shell(session, window, profile=profile, sync_factory=make_sync(launch))
    shell.start()
    try:
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
        qtbot.waitUntil(lambda: backend.pending_count() >= 1, timeout=10_000)
        qtbot.waitUntil(
            lambda: window.status.connection.text().startswith("Offline"), timeout=10_000
        )

        central.start(qtbot)
        window.status.sync_now.click()
        qtbot.waitUntil(lambda: backend.pending_count() == 0, timeout=60_000)
        assert "case_viewed" in " ".join(central.audit(crn))
        qtbot.waitUntil(lambda: window.status.waiting.text() == "Everything sent", timeout=10_000)

        shell.lock()  # the key leaves memory; the password opens the cache again, offline
        assert window.screens.currentWidget() is window.unlock
        assert backend.cache is None
        qtbot.keyClicks(window.unlock.password, PASSWORD)
        qtbot.keyClick(window.unlock.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 4, timeout=30_000)
    finally:
        shell.shutdown()
        backend.close()
