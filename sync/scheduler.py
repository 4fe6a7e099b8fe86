"""When to sync: at start, shortly after a local change, periodically, when the network
comes back, and on "Sync now", with backoff after failures.

Plain Python (one daemon thread waiting on a condition), so the Qt bridge and the
CLI share it. Only one sync runs at a time. Failures decide what happens next:
offline -> probe /healthz cheaply until it answers, then sync; busy or a bad
answer -> capped exponential backoff with full jitter; sign-in, upgrade or wipe ->
no automatic attempts until the officer acts (`sync_now`, `resume`).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from domain.errors import FieldcaseError
from sync.engine import SyncSummary
from sync.errors import (
    BadAnswerError,
    DeviceWiped,
    OfflineError,
    QueueDiverged,
    SignInRequired,
    SyncCancelled,
    TransientError,
    UpgradeRequired,
)
from sync.progress import Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timing:
    """Seconds: periodic interval, debounce after a change, offline probe, backoff bounds."""

    period_s: float = 300.0
    debounce_s: float = 3.0
    probe_s: float = 30.0
    backoff_initial_s: float = 5.0
    backoff_max_s: float = 600.0


class SchedulerListener(Protocol):
    def sync_started(self, progress: Progress) -> None: ...

    def sync_finished(self, summary: SyncSummary) -> None: ...

    def sync_failed(self, error: FieldcaseError, offline: bool) -> None: ...


RunSync = Callable[[Progress], SyncSummary]
Probe = Callable[[], bool]
# After these the officer (or IT) must act; automatic attempts would only repeat the
# failure ("Sync now" still tries).
_STOPPING = (SignInRequired, UpgradeRequired, DeviceWiped, QueueDiverged)


class Scheduler:
    def __init__(
        self,
        run_sync: RunSync,
        probe: Probe,
        listener: SchedulerListener,
        timing: Timing | None = None,
        progress_factory: Callable[[], Progress] = Progress,
    ) -> None:
        self.run_sync = run_sync
        self.progress_factory = progress_factory
        self.probe = probe
        self.listener = listener
        self.timing = timing or Timing()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._due: float | None = None  # when the next sync should start
        self._offline = False
        self._paused = False
        self._failures = 0
        self._progress: Progress | None = None

    def start(self) -> None:
        """Begin scheduling; the first sync starts at once."""
        with self._cond:
            self._due = time.monotonic()
            self._thread = threading.Thread(target=self._loop, name="sync-scheduler", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Cancel a running sync and end the thread."""
        with self._cond:
            self._stopping = True
            if self._progress is not None:
                self._progress.cancel()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def sync_now(self) -> None:
        """The officer asked: run now, whatever the backoff or pause."""
        self._schedule(0.0, force=True)

    def local_change(self) -> None:
        """A change was saved: sync shortly, once the officer pauses (debounced)."""
        self._schedule(self.timing.debounce_s, debounce=True)

    def resume(self) -> None:
        """After sign-in: clear the pause and sync."""
        self._schedule(0.0, force=True)

    def _schedule(self, delay: float, *, force: bool = False, debounce: bool = False) -> None:
        with self._cond:
            if force:  # the officer asked: a real attempt, so they hear how it went
                self._paused = False
                self._offline = False
                self._failures = 0
            if self._paused or (self._offline and not force):
                return
            when = time.monotonic() + delay
            if debounce or self._due is None or when < self._due:
                self._due = when
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and not self._is_due():
                    self._cond.wait(timeout=self._wait_s())
                if self._stopping:
                    return
                if self._offline:
                    probe_now = True
                else:
                    probe_now = False
                    self._due = None
                    self._progress = self.progress_factory()
            if probe_now:
                self._probe()
            else:
                self._run()

    def _is_due(self) -> bool:
        return self._due is not None and time.monotonic() >= self._due

    def _wait_s(self) -> float | None:
        return None if self._due is None else max(0.0, self._due - time.monotonic())

    def _probe(self) -> None:
        reachable = self.probe()
        with self._cond:
            self._offline = not reachable
            self._due = time.monotonic() + (0.0 if reachable else self.timing.probe_s)
        if reachable:
            log.info("network is back: syncing")

    def _run(self) -> None:
        progress = self._progress
        assert progress is not None
        self.listener.sync_started(progress)
        try:
            summary = self.run_sync(progress)
        except FieldcaseError as error:
            self._after_failure(error)
            return
        with self._cond:
            self._failures = 0
            self._offline = False
            self._progress = None
            self._due = self._later(self._due, time.monotonic() + self.timing.period_s)
        self.listener.sync_finished(summary)

    @staticmethod
    def _later(current: float | None, periodic: float) -> float:
        """Keep a change-triggered sync queued during this one; else the periodic one."""
        return periodic if current is None else min(current, periodic)

    def _after_failure(self, error: FieldcaseError) -> None:
        offline = isinstance(error, OfflineError)
        with self._cond:
            self._progress = None
            now = time.monotonic()
            if isinstance(error, _STOPPING):
                self._paused, self._due = True, None
            elif isinstance(error, SyncCancelled):
                self._due = None if self._stopping else now + self.timing.period_s
            elif offline:
                self._offline, self._due = True, now + self.timing.probe_s
            elif isinstance(error, TransientError | BadAnswerError):
                self._failures += 1
                self._due = now + self.backoff_s(
                    self._failures, getattr(error, "retry_after", None)
                )
            else:
                self._failures += 1
                self._due = now + self.backoff_s(self._failures, None)
        log.info("sync failed (%s); offline=%s", type(error).__name__, offline)
        self.listener.sync_failed(error, offline)

    def backoff_s(self, failures: int, hint: float | None) -> float:
        """Full jitter over a capped exponential; a server's Retry-After is a floor."""
        ceiling = min(
            self.timing.backoff_max_s, self.timing.backoff_initial_s * 2 ** (failures - 1)
        )
        chosen = random.uniform(0.0, ceiling)  # noqa: S311 - jitter, not security
        return max(chosen, hint or 0.0)
