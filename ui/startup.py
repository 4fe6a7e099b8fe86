"""The first window paints before any start-up work, and that work runs off the UI thread.

On the field day the window was black for 1–3 s on first launch before sign-in appeared:
the demo started (and on a first launch seeded) its local service on the UI thread before
any window existed, then mapped the window and at once handed the GIL to the sign-in's
imports and key derivation, so the first paint waited behind them. Now the window is
shown, its first paint is awaited, and only then does slow work begin: on a thread, with
the sign-in screen saying what is happening and still answering the keyboard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

PAINTED = "fieldcase_painted"  # a window property: True once it has painted content


class _FirstPaint(QObject):
    """Watches one window's widgets for their first paint, then calls back once."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.then = window, then
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            # After this paint has been flushed to the screen, not inside it.
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        self.window.setProperty(PAINTED, True)
        self.then()
        self.deleteLater()


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Call `then` once `window` has painted (at once if it already has)."""
    if window.property(PAINTED):
        then()
    else:
        _FirstPaint(window, then)


class Background(QObject):
    """One piece of start-up work on its own thread; its answer comes back on the UI thread."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.worker: threading.Thread | None = None

    def start(self) -> None:
        # A daemon: quitting while the demo service starts does not wait for it (the
        # service itself exits with the app: its stdin pipe closes).
        self.worker = threading.Thread(target=self._run, name="fieldcase-start", daemon=True)
        self.worker.start()

    def _run(self) -> None:
        try:
            value = self._work()
        except Exception as error:
            self.failed.emit(error)
        else:
            self.finished.emit(value)
