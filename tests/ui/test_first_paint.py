"""The sign-in paints at once; slow start-up work waits for that paint and runs off the UI
thread (issue 17, item 8: "the window is black for 1-3 s on first launch before sign-in
appears").

The demo started its local service (seeding it on a first launch) on the UI thread before
any window existed, then showed the window and at once started the sign-in, whose work
held the GIL from the first paint. Here the slow step is a seam held open by the test:
the sign-in must be painted, say what is happening and keep answering while it runs.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.crash import CrashReporter
from app.launch import Launch
from app.session import SessionState
from app.settings import Settings
from tests.app.fakes import FakeBackend
from ui.run import build


class Paints(QObject):
    """Counts the paint events of one window's widgets, from any moment on."""

    def __init__(self) -> None:
        super().__init__()
        self.window: QWidget | None = None
        self.count = 0
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and self.window is not None
            and watched.window() is self.window
        ):
            self.count += 1
        return False

    def close(self) -> None:
        QApplication.instance().removeEventFilter(self)


def test_sign_in_paints_and_answers_while_the_slow_start_runs(qtbot, tmp_path):
    gate, seen = threading.Event(), {}
    paints = Paints()

    def slow_start() -> tuple[str, str, str]:
        """The demo's service starting (seconds; a first launch's seed far longer)."""
        seen["thread"] = threading.current_thread()
        seen["paints"] = paints.count
        gate.wait(30)
        return "http://127.0.0.1:9", "officer1", "correct horse"

    backend = FakeBackend()
    launch = Launch(
        tmp_path, Settings(), backend, demo=True, start=slow_start, starting_words="Starting…"
    )
    windows_before = set(QApplication.topLevelWidgets())
    started = None
    try:
        started = build(launch, CrashReporter("test"), sync_factory=lambda *_: None)
        paints.window = started.window
        qtbot.addWidget(started.window)
        assert not gate.is_set()
        qtbot.waitUntil(lambda: "thread" in seen)
        assert seen["thread"] is not threading.main_thread()  # never on the UI thread
        assert seen["paints"] > 0  # and only after the window had painted its sign-in
        screen = started.window.sign_in
        assert screen.isVisible()
        assert screen.progress_words.text() == "Starting…"

        # Still answering while the work runs: a timer fires, the window repaints.
        before = paints.count
        ticked: list[bool] = []
        QTimer.singleShot(10, lambda: ticked.append(True))
        qtbot.waitUntil(lambda: bool(ticked))
        started.window.update()
        qtbot.waitUntil(lambda: paints.count > before)
        assert not gate.is_set()

        gate.set()  # the service is up: the sign-in goes on without typing
        qtbot.waitUntil(lambda: started.session.state is SessionState.READY, timeout=10_000)
        assert screen.username.text() == "officer1"
    finally:
        gate.set()
        paints.close()
        if started is not None:
            started.shell.shutdown()
        for widget in set(QApplication.topLevelWidgets()) - windows_before:
            widget.close()
