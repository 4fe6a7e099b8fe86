"""Idle lock: no keyboard or mouse input for the policy's minutes locks the cache.

Input is watched where the platform delivers it, on the app's top-level windows
(each window the officer focuses is added), never with an application-wide filter:
that would call into Python for every event of every object (timers, repaints,
queued signals) and, while a worker thread runs Python, make each of them wait for
the interpreter lock. One timer is restarted on input; nothing polls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

_INPUT = frozenset(
    t.value
    for t in (
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    )
)


class IdleWatcher(QObject):
    idle_timed_out = Signal()

    def __init__(self, minutes: float) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timed_out)
        self._watched: list[QWindow] = []
        self._following = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))

    def start(self) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            for window in app.topLevelWindows():
                self._watch(window)
            if not self._following:
                app.focusWindowChanged.connect(self._watch)
                self._following = True
        self._timer.start()

    def stop(self) -> None:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and self._following:
            app.focusWindowChanged.disconnect(self._watch)
        self._following = False
        for window in self._watched:
            window.removeEventFilter(self)
        self._watched = []
        self._timer.stop()

    def _watch(self, window: QWindow | None) -> None:
        if window is not None and window not in self._watched:
            window.installEventFilter(self)
            window.destroyed.connect(lambda: self._forget(window))
            self._watched.append(window)

    def _forget(self, window: QWindow) -> None:
        if window in self._watched:
            self._watched.remove(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type().value in _INPUT and self._timer.isActive():
            self._timer.start()
        return False
