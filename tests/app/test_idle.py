from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.idle import IdleWatcher


def test_no_input_for_the_policy_time_times_out(qtbot: QtBot) -> None:
    watcher = IdleWatcher(minutes=0.001)  # 60 ms
    watcher.start()
    with qtbot.waitSignal(watcher.idle_timed_out, timeout=2000):
        pass
    watcher.stop()


def _shown_field(qtbot: QtBot) -> QLineEdit:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    field.setFocus()
    return field


def test_typing_restarts_the_idle_timer(qtbot: QtBot) -> None:
    field = _shown_field(qtbot)
    watcher = IdleWatcher(minutes=0.005)  # 300 ms
    watcher.start()
    qtbot.waitUntil(lambda: watcher._timer.remainingTime() < 150)
    window = field.window().windowHandle()
    QTest.keyClick(window, Qt.Key.Key_A)  # through the platform's path: window, then widget
    assert watcher._timer.remainingTime() > 200
    assert field.text() == "a"
    watcher.stop()


def test_moving_the_mouse_restarts_it(qtbot: QtBot) -> None:
    field = _shown_field(qtbot)
    watcher = IdleWatcher(minutes=0.005)
    watcher.start()
    qtbot.waitUntil(lambda: watcher._timer.remainingTime() < 150)
    QTest.mouseMove(field.window().windowHandle(), QPoint(5, 5))
    assert watcher._timer.remainingTime() > 200
    watcher.stop()


def test_stopped_watcher_ignores_input_and_never_fires(qtbot: QtBot) -> None:
    field = _shown_field(qtbot)
    watcher = IdleWatcher(minutes=0.001)
    watcher.start()
    watcher.stop()
    QTest.keyClick(field.window().windowHandle(), Qt.Key.Key_B)
    assert not watcher._timer.isActive()


def test_typing_in_a_window_opened_later_restarts_it_too(qtbot: QtBot) -> None:
    """A case-work form is its own window, opened after sign-in: typing there counts."""
    _shown_field(qtbot)
    watcher = IdleWatcher(minutes=0.005)
    watcher.start()
    form = _shown_field(qtbot)  # a second top-level window, now focused
    qtbot.waitUntil(lambda: form.windowHandle() in watcher._watched)
    qtbot.waitUntil(lambda: watcher._timer.remainingTime() < 150)
    QTest.keyClick(form.windowHandle(), Qt.Key.Key_A)
    assert watcher._timer.remainingTime() > 200
    assert form.text() == "a"
    watcher.stop()
