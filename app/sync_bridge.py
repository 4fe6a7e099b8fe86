"""The Qt face of the sync engine: a QObject whose worker thread runs the scheduler,
re-emitting what happens as frozen status snapshots (`status_changed`).

The engine stays plain Python (CONVENTIONS.md §5); this bridge owns its thread
and turns its callbacks into queued signals, so widgets only ever receive
immutable values on the GUI thread and a worker never touches a widget.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal

from domain.errors import FieldcaseError

if TYPE_CHECKING:  # types only: the HTTP stack loads when the bridge is made, after start-up
    from sync.client import SyncClient
    from sync.engine import SyncSummary
    from sync.progress import Progress, ProgressReport
    from sync.scheduler import Timing

log = logging.getLogger(__name__)

SyncState = Literal["idle", "syncing", "offline", "error", "signed_out"]


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """Everything the status bar shows; frozen, so a worker can hand it to the GUI."""

    state: SyncState
    pending: int
    oldest_pending_age: dt.timedelta | None
    last_success: dt.datetime | None
    conflicts: int
    rejections: int
    last_error: str | None = None
    progress: ProgressReport | None = None
    stuck_seq: int | None = None  # the oldest waiting change, failing sync after sync

    @property
    def last_successful_sync(self) -> dt.datetime | None:
        return self.last_success


class SyncBridge(QObject):
    status_changed = Signal(object)  # SyncStatus
    sync_finished = Signal(object)  # SyncSummary
    sync_failed = Signal(object)  # FieldcaseError
    sign_in_required = Signal(object)  # FieldcaseError
    device_wiped = Signal(object)  # DeviceWiped
    upgrade_required = Signal(object)  # UpgradeRequired

    def __init__(
        self,
        client: SyncClient,
        *,
        timing: Timing | None = None,
        last_success: dt.datetime | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self._lock = threading.Lock()
        self._status = SyncStatus("idle", 0, None, last_success, 0, 0)
        from sync.scheduler import Scheduler  # with the engine and the HTTP stack

        self.scheduler = Scheduler(
            client.sync,
            client.reachable,
            _Listener(self),
            timing,
            progress_factory=self._new_progress,
        )

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()

    def sync_now(self) -> None:
        self.scheduler.sync_now()

    def local_change(self) -> None:
        """Call after each committed use case: a sync follows shortly (debounced)."""
        with self._lock:  # no SQL on the GUI thread: count it, the next sync recounts
            self._status = replace(self._status, pending=self._status.pending + 1)
            status = self._status
        self.status_changed.emit(status)
        self.scheduler.local_change()

    def resume(self) -> None:
        """After the officer signed in again."""
        self.scheduler.resume()

    # Called by the scheduler on the worker thread (through _Listener).
    def on_sync_started(self, progress: Progress) -> None:
        self._publish(state="syncing", progress=progress.report)

    def on_sync_finished(self, summary: SyncSummary) -> None:
        now = dt.datetime.now(dt.UTC)
        self._publish(state="idle", last_success=now, last_error=None, progress=None)
        self.sync_finished.emit(summary)

    def on_sync_failed(self, error: FieldcaseError, offline: bool) -> None:
        from sync.errors import DeviceWiped, SignInRequired, UpgradeRequired

        state: SyncState = "offline" if offline else "error"
        if isinstance(error, SignInRequired):
            state = "signed_out"
            self.sign_in_required.emit(error)
        elif isinstance(error, DeviceWiped):
            state = "signed_out"
            self.device_wiped.emit(error)
        elif isinstance(error, UpgradeRequired):
            self.upgrade_required.emit(error)
        self._publish(
            state=state,
            last_error=error.message,
            progress=None,
            counts=not isinstance(error, DeviceWiped),
        )
        self.sync_failed.emit(error)

    def _new_progress(self) -> Progress:
        from sync.progress import Progress

        return Progress(
            lambda report: self._publish(state="syncing", progress=report, counts=False)
        )

    def _publish(
        self,
        *,
        state: SyncState | None,
        counts: bool = True,
        **changes: object,
    ) -> None:
        with self._lock:
            status = replace(self._status, **changes)  # type: ignore[arg-type]
            if state is not None:
                status = replace(status, state=state)
            if counts:
                status = self._with_counts(status)
            self._status = status
        self.status_changed.emit(status)

    def _with_counts(self, status: SyncStatus) -> SyncStatus:
        store = self.client.store
        try:
            from sync.recovery import STUCK_AFTER

            cache = store.counts()
            failing = store.push_failures()
            return replace(
                status,
                pending=(
                    cache.changes_waiting
                    if cache.changes_waiting is not None
                    else store.pending_count()
                ),
                oldest_pending_age=store.oldest_pending_age(),
                conflicts=cache.conflicts,
                rejections=cache.rejections,
                stuck_seq=failing[0] if failing and failing[1] >= STUCK_AFTER else None,
            )
        except FieldcaseError as error:
            log.info("status counts unavailable (%s)", type(error).__name__)
            return status


class _Listener:
    """Adapts the scheduler's listener calls to the bridge (whose signals use those names)."""

    def __init__(self, bridge: SyncBridge) -> None:
        self.bridge = bridge

    def sync_started(self, progress: Progress) -> None:
        self.bridge.on_sync_started(progress)

    def sync_finished(self, summary: SyncSummary) -> None:
        self.bridge.on_sync_finished(summary)

    def sync_failed(self, error: FieldcaseError, offline: bool) -> None:
        self.bridge.on_sync_failed(error, offline)
