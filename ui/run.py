"""Build the window for a prepared launch and run the Qt event loop."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from app.changes import ChangeHub
from app.crash import CrashReporter
from app.launch import Launch
from app.session import Session
from domain.errors import FieldcaseError
from ui.crash_dialog import CrashDialog
from ui.main_window import MainWindow
from ui.shell import Shell
from ui.startup import Background, after_first_paint

if TYPE_CHECKING:
    from app.sync_bridge import SyncBridge

log = logging.getLogger(__name__)


def make_sync(launch: Launch) -> Any:
    """The factory the shell calls once the session is ready: a bridge over the live client."""

    def factory(session: Session, hub: ChangeHub) -> SyncBridge:
        from app.sync_bridge import SyncBridge  # made once the caseload has painted

        client = launch.backend.ensure_client()
        bridge = SyncBridge(client, last_success=launch.backend.last_successful_sync())
        pulled = launch.backend.pulled

        def on_ended(_outcome: Any) -> None:
            """What the sync's pages and push answers changed (reported by the cache as they
            were written), one change set a sync: views refresh just those cases. Also
            after a failed sync: the pages written before the failure are kept."""
            hub.publish(pulled.take())

        bridge.sync_finished.connect(on_ended)
        bridge.sync_failed.connect(on_ended)
        return bridge

    return factory


@dataclass
class Started:
    """What `build` made: kept alive for the event loop, and handed to tests."""

    session: Session
    window: MainWindow
    shell: Shell
    dialog: CrashDialog
    background: Background | None = None


def _sign_in_when_started(started: Started, launch: Launch) -> None:
    """Once the window has painted: the launch's slow start on a thread (the demo's
    service), the sign-in screen saying so, then the sign-in without typing."""
    screen = started.window.sign_in
    if launch.start is None:
        return
    screen.set_busy(True)
    screen.progress_words.setText(launch.starting_words)

    def started_up(answer: tuple[str, str, str]) -> None:
        server, username, password = answer
        screen.server.setText(server)
        screen.username.setText(username)
        screen.progress_words.setText(f"Signing in as {username}…")
        started.session.sign_in(server, username, password)

    def failed(error: Exception) -> None:
        if not isinstance(error, FieldcaseError):
            raise error  # a bug: the crash reporter's, not a sign-in message
        screen.show_error(error)

    work = Background(launch.start, started.window)
    work.finished.connect(started_up)
    work.failed.connect(failed)
    started.background = work
    work.start()


def build(launch: Launch, crash: CrashReporter, *, sync_factory: Any | None = None) -> Started:
    """The window shown with its first screen; slow start-up work waits for its paint."""
    dialog = CrashDialog()
    crash.crash_happened.connect(dialog.add_crash)
    session = Session(launch.backend)
    window = MainWindow(demo=launch.demo)
    window.sign_in.server.setText(launch.settings.server_url)
    window.sign_in.username.setText(launch.settings.username)
    shell = Shell(
        session,
        window,
        profile=None if launch.demo else launch.profile,
        settings=launch.settings,
        sync_factory=sync_factory or make_sync(launch),
    )
    started = Started(session, window, shell, dialog)
    shell.start()
    after_first_paint(window, lambda: _sign_in_when_started(started, launch))
    return started


def run(qt_app: QApplication, launch: Launch, crash: CrashReporter, log_file: Path) -> int:
    started = build(launch, crash)
    log.info("window shown; log file in %s", log_file.parent)
    try:
        return int(qt_app.exec())
    finally:
        started.shell.shutdown()
        launch.finish()
