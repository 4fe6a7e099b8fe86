"""Bugs go to one crash dialog with copyable details and the log file's location.

`sys.excepthook` and `threading.excepthook` may fire on any thread; they only log
and emit `crash_happened`, which Qt queues to the GUI thread where `ui/` shows the
dialog. Expected errors never come here (they are shown inline).
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from app.logging_setup import current_log_file

log = logging.getLogger(__name__)


def crash_details(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None, version: str
) -> str:
    """The text an officer copies into a support ticket."""
    lines = [
        f"Fieldcase {version} on Python {platform.python_version()} ({platform.platform()})",
        f"Log file: {current_log_file() or 'not set up'}",
        "",
        *traceback.format_exception(kind, value, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class CrashReporter(QObject):
    crash_happened = Signal(str)

    def __init__(self, version: str) -> None:
        super().__init__()
        self.version = version
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        sys.excepthook = self.on_exception
        threading.excepthook = self.on_thread_exception

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def on_exception(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, value, tb)
            return
        log.critical("unhandled %s", kind.__name__, exc_info=(kind, value, tb))
        self.crash_happened.emit(crash_details(kind, value, tb, self.version))

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        value = args.exc_value or RuntimeError("thread ended with no exception value")
        self.on_exception(args.exc_type, value, args.exc_traceback)
