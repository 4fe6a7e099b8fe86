"""The small object through which a caller watches and stops a running sync.

The engine is plain Python (CONVENTIONS.md §5): it reports what it is doing to a
`Progress` and checks it for cancellation between steps and while backing off,
so a GUI thread (via app/sync_bridge.py) or the CLI can drive it alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from sync.errors import SyncCancelled


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """A frozen view of progress: phase ("push", "pull", "verify"), done and total."""

    phase: str
    done: int
    total: int | None


class Progress:
    """Thread-safe progress and cancel flag, with an optional listener."""

    def __init__(self, listener: Callable[[ProgressReport], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._listener = listener
        self._lock = threading.Lock()
        self._report = ProgressReport("idle", 0, None)

    @property
    def report(self) -> ProgressReport:
        with self._lock:
            return self._report

    def update(self, phase: str, done: int, total: int | None = None) -> None:
        report = ProgressReport(phase, done, total)
        with self._lock:
            self._report = report
        if self._listener is not None:
            self._listener(report)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise SyncCancelled if someone asked to stop."""
        if self._cancel.is_set():
            raise SyncCancelled

    def wait(self, seconds: float) -> None:
        """Back off for `seconds`, waking at once (and raising) if cancelled."""
        if self._cancel.wait(timeout=max(0.0, seconds)):
            raise SyncCancelled
