"""The one helper that runs use cases off the GUI thread and calls back on it.

After Anki's `QueryOp`/`CollectionOp` and `taskman.py`: reads run on a small pool,
writes on ONE serialised writer thread (SQLite has one writer; queueing them here
means no busy-waiting on locks), each thread with its own connection. Results come
back to the GUI thread by a queued signal. An expected error (`FieldcaseError`) goes
to the caller's `on_error` or, by default, to `error_raised` (the main window's
inline banner); anything else is a bug and goes to `sys.excepthook` (the crash
dialog). A worker never touches a widget.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.changes import ChangeHub, ChangeSet
from app.context import AppContext
from domain.errors import FieldcaseError

log = logging.getLogger(__name__)

T = TypeVar("T")
Use = Callable[[AppContext], T]


@dataclass(frozen=True, slots=True)
class _Outcome:
    ticket: int
    key: str | None
    value: Any
    error: BaseException | None
    on_done: Callable[[Any], None] | None
    on_error: Callable[[FieldcaseError], None] | None


class Dispatcher(QObject):
    """Runs plain callables on an executor and delivers outcomes on the GUI thread."""

    error_raised = Signal(object)  # a FieldcaseError nobody handled: show it inline
    busy_changed = Signal(bool)
    _finished = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._ticket = 0
        self._latest: dict[str, int] = {}
        self._running = 0
        self._finished.connect(self._deliver)

    def submit(
        self,
        pool: ThreadPoolExecutor,
        call: Callable[[], T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[FieldcaseError], None] | None,
        key: str | None = None,
    ) -> Future[None]:
        self._ticket += 1
        ticket = self._ticket
        if key is not None:
            self._latest[key] = ticket
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        name = getattr(getattr(call, "func", call), "__name__", "call")

        def work() -> None:
            started = time.perf_counter()
            value: Any = None
            error: BaseException | None = None
            try:
                value = call()
            except BaseException as exc:  # delivered to the GUI thread, never swallowed
                error = exc
            log.debug("%s took %.1f ms", name, (time.perf_counter() - started) * 1000)
            self._finished.emit(_Outcome(ticket, key, value, error, on_done, on_error))

        return pool.submit(work)

    def _deliver(self, outcome: _Outcome) -> None:
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)
        if outcome.key is not None and self._latest.get(outcome.key) != outcome.ticket:
            return  # a newer call with the same key superseded this one
        if not self.deliverable():
            return
        if outcome.error is not None:
            self._fail(outcome)
            return
        self.delivered(outcome.value)
        if outcome.on_done is not None:
            outcome.on_done(outcome.value)

    def deliverable(self) -> bool:
        """Hook for subclasses: False drops results (e.g. after shutdown)."""
        return True

    def delivered(self, value: Any) -> None:
        """Hook for subclasses, run on the GUI thread before `on_done`."""

    def _fail(self, outcome: _Outcome) -> None:
        error = outcome.error
        assert error is not None
        if isinstance(error, FieldcaseError):
            log.info("expected error %s", type(error).__name__)
            if outcome.on_error is not None:
                outcome.on_error(error)
            else:
                self.error_raised.emit(error)
            return
        sys.excepthook(type(error), error, error.__traceback__)


class TaskRunner(Dispatcher):
    """Use cases bound to one signed-in context: reads on a pool, writes serialised."""

    def __init__(self, ctx: AppContext, hub: ChangeHub, *, readers: int = 2) -> None:
        super().__init__()
        self.ctx = ctx
        self.hub = hub
        self._reads = ThreadPoolExecutor(readers, thread_name_prefix="fieldcase-read")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="fieldcase-write")
        self.closed = False

    def query(
        self,
        use: Use[T],
        on_done: Callable[[T], None] | None = None,
        *,
        on_error: Callable[[FieldcaseError], None] | None = None,
        key: str | None = None,
    ) -> Future[None]:
        """Run a read. With `key`, only the newest call's result is delivered.

        After `shutdown` (locked, signed out) a read is not run: there is nothing to show.
        """
        if self.closed:
            done: Future[None] = Future()
            done.set_result(None)
            return done
        return self.submit(self._reads, partial(use, self.ctx), on_done, on_error, key)

    def op(
        self,
        use: Use[T],
        on_done: Callable[[T], None] | None = None,
        *,
        on_error: Callable[[FieldcaseError], None] | None = None,
    ) -> Future[None]:
        """Run a write on the serialised writer; a returned ChangeSet is published."""
        if self.closed:
            raise RuntimeError("a write was requested after the cache was closed")
        return self.submit(self._writer, partial(use, self.ctx), on_done, on_error)

    def deliverable(self) -> bool:
        return not self.closed

    def delivered(self, value: Any) -> None:
        changes = getattr(value, "changes", value)
        if isinstance(changes, ChangeSet):
            self.hub.publish(changes)

    def shutdown(self) -> None:
        """Finish queued work (writes are never dropped), then close every connection.

        Results still on their way to the GUI thread are dropped: the screens that
        asked for them are being cleared.
        """
        self.closed = True
        self._reads.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)
        self.ctx.close()
