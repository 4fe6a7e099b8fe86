"""Build the window for a prepared launch and run the Qt event loop."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.changes import ChangeHub
from app.crash import CrashReporter
from app.launch import Launch
from app.session import Session
from ui.crash_dialog import CrashDialog
from ui.main_window import MainWindow
from ui.shell import Shell

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


def run(qt_app: QApplication, launch: Launch, crash: CrashReporter, log_file: Path) -> int:
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
        sync_factory=make_sync(launch),
    )
    shell.start()
    if launch.auto_sign_in is not None:
        server, username, password = launch.auto_sign_in
        QTimer.singleShot(0, lambda: session.sign_in(server, username, password))
    log.info("window shown; log file in %s", log_file.parent)
    try:
        return int(qt_app.exec())
    finally:
        shell.shutdown()
        launch.finish()
