from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from app.idle import IdleWatcher


def test_no_input_for_the_policy_time_times_out(qtbot):
    watcher = IdleWatcher(minutes=0.001)  # 60 ms
    watcher.start()
    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        pass
    watcher.stop()


def test_typing_restarts_the_idle_timer(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    watcher = IdleWatcher(minutes=0.005)  # 300 ms
    watcher.start()
    qtbot.waitUntil(lambda: watcher._timer.remainingTime() < 150)
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QCoreApplication.sendEvent(field, press)
    assert watcher._timer.remainingTime() > 200
    assert field.text() == "a"
    watcher.stop()
