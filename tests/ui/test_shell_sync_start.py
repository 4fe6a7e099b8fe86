"""The background sync starts once the caseload is on screen, not during its first paint."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.session import Session
from tests.app.fakes import FakeBackend
from ui import shell as shell_module
from ui.main_window import MainWindow
from ui.shell import Shell


class FakeBridge(QObject):
    status_changed = Signal(object)
    sign_in_required = Signal(object)
    upgrade_required = Signal(object)
    device_wiped = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.rows_when_started: int | None = None
        self.stopped = False

    def start(self) -> None:
        self.rows_when_started = len(self.window.caseload.model.rows())

    def stop(self) -> None:
        self.stopped = True


def test_sync_starts_after_the_whole_caseload_is_shown(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(shell_module, "SYNC_START_LATEST_MS", 600_000)  # no fallback here
    backend = FakeBackend(cached=True, synced=True)
    session = Session(backend)
    window = MainWindow()
    qtbot.addWidget(window)
    bridges: list[FakeBridge] = []

    def factory(_session, _hub) -> FakeBridge:
        bridges.append(FakeBridge(window))
        return bridges[-1]

    shell = Shell(session, window, profile=tmp_path, sync_factory=factory)
    shell.start()
    try:
        qtbot.keyClicks(window.unlock.password, backend.password)
        qtbot.keyClick(window.unlock.password, "\r")
        qtbot.waitUntil(lambda: bool(bridges) and bridges[0].rows_when_started is not None)
        assert bridges[0].rows_when_started == len(backend.cache.rows)
    finally:
        shell.shutdown()
    assert bridges[0].stopped
