from __future__ import annotations

import sys
import threading

import pytest

from app.crash import CrashReporter


@pytest.fixture
def reporter():
    crash = CrashReporter("9.9.9")
    crash.install()
    yield crash
    crash.uninstall()


@pytest.mark.allow_warnings
def test_unhandled_exception_becomes_one_signal_with_details(qtbot, reporter):
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        info = sys.exc_info()
    with qtbot.waitSignal(reporter.crash_happened) as blocker:
        sys.excepthook(*info)
    details = blocker.args[0]
    assert "Fieldcase 9.9.9" in details
    assert "ZeroDivisionError: boom" in details
    assert "Log file:" in details


@pytest.mark.allow_warnings
def test_worker_thread_crash_reaches_the_gui_thread(qtbot, reporter):
    def bad() -> None:
        raise RuntimeError("in a worker")

    with qtbot.waitSignal(reporter.crash_happened) as blocker:
        worker = threading.Thread(target=bad)
        worker.start()
        worker.join()
    assert "RuntimeError: in a worker" in blocker.args[0]


def test_uninstall_restores_previous_hooks():
    before = sys.excepthook
    crash = CrashReporter("1")
    crash.install()
    assert sys.excepthook == crash.on_exception
    crash.uninstall()
    assert sys.excepthook is before
