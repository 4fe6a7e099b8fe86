"""The real app layer and windows over a real central service on loopback, for the
end-to-end app tests: the server process (stopped and started at will) and the app as
`fieldcase` wires it (shell, sync bridge, encrypted cache), shut down afterwards."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from app.backend import LiveBackend
from app.session import Session
from app.settings import Settings
from central.audit import case_audit
from central.db import make_engine
from central.seed import SeedResult, seed_database
from storage.crypto import FAST_TEST_PARAMS
from ui.main_window import MainWindow
from ui.shell import Shell

PASSWORD = "synthetic-officer-pw"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Central:
    def __init__(self, folder: Path) -> None:
        self.url_db = f"sqlite:///{folder / 'central.db'}"
        self.secret = folder / "jwt-secret"
        self.secret.write_text(secrets.token_hex(32))  # a weak key is refused at start-up
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "central.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.seeded: SeedResult | None = None
        self.officer = ""  # the first seeded officer's username

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


@contextmanager
def seeded_central(
    qtbot, folder: Path, *, officers: int, cases_per_officer: int, seed: int
) -> Iterator[Central]:
    """A central seeded with synthetic people, serving until the block ends."""
    server = Central(folder)
    server.seeded = seed_database(
        server.url_db,
        officers=officers,
        cases_per_officer=cases_per_officer,
        seed=seed,
        password=PASSWORD,
    )
    server.officer = server.seeded.officers[0]
    server.start(qtbot)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class LiveApp:
    backend: LiveBackend
    session: Session
    window: MainWindow
    shell: Shell


@contextmanager
def live_app(qtbot, profile: Path) -> Iterator[LiveApp]:
    """The app on `profile`, signed out, with the real sync bridge (as `fieldcase`)."""
    from ui.run import make_sync

    backend = LiveBackend(profile, Settings(), kdf=FAST_TEST_PARAMS)
    launch = type("L", (), {"backend": backend})()
    session = Session(backend)
    window = MainWindow()
    qtbot.addWidget(window)
    shell = Shell(session, window, profile=profile, sync_factory=make_sync(launch))
    shell.start()
    try:
        yield LiveApp(backend, session, window, shell)
    finally:
        shell.shutdown()
        backend.close()
