"""The officer's session: signed out -> signing in -> first sync -> ready (or locked).

Security policy lives here (DESIGN.md): the cache opens only with the password;
idle lock after the server's minutes; after the server's maximum days offline the
cache stays locked until an online sign-in; sign-out never discards waiting
changes silently. Everything slow (Argon2 unwrap, HTTP, the first sync) runs off
the GUI thread through the `Dispatcher`.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.context import AppContext, Officer
from app.tasks import Dispatcher
from domain.errors import FieldcaseError

log = logging.getLogger(__name__)


class SessionState(enum.Enum):
    SIGNED_OUT = "signed out"
    SIGNING_IN = "signing in"
    FIRST_SYNC = "first sync"
    READY = "ready"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class Policy:
    """Set by the server at sign-in and kept (encrypted) for offline unlocks."""

    idle_lock_minutes: int = 15
    max_offline_days: int = 7


class OfflineTooLong(FieldcaseError):
    title = "Sign in online to continue"


class ChangesWaiting(FieldcaseError):
    """Raised by `sign_out` so the UI can ask; the changes stay on this laptop."""

    title = "Changes not sent yet"

    def __init__(self, count: int) -> None:
        noun = "change is" if count == 1 else "changes are"
        super().__init__(
            f"{count} {noun} waiting to send. They stay safely on this laptop and are sent "
            "the next time you sign in with a connection."
        )
        self.count = count


class SessionBackend(Protocol):
    """The lower layers a session needs (keys, cache, auth, sync); see app/backend.py."""

    def has_cache(self) -> bool: ...

    def remembered_user(self) -> str: ...

    def sign_in(self, server_url: str, username: str, password: str) -> tuple[Officer, Policy]: ...

    def unlock(self, username: str, password: str) -> tuple[Officer, Policy]: ...

    def first_sync_done(self) -> bool: ...

    def first_sync(
        self, on_progress: Callable[[int, int], None], cancelled: threading.Event
    ) -> None:
        """Download the caseload; resumable, stops at a page boundary when cancelled."""
        ...

    def last_successful_sync(self) -> dt.datetime | None: ...

    def pending_count(self) -> int: ...

    def open_context(self, officer: Officer) -> AppContext: ...

    def lock(self) -> None:
        """Close the cache and drop the key from memory; the password opens it again."""
        ...

    def sign_out(self) -> None:
        """Forget the tokens; the encrypted cache and its outbox stay."""
        ...


class Session(QObject):
    state_changed = Signal(object)  # SessionState
    first_sync_progressed = Signal(int, int)  # done, total
    sign_in_failed = Signal(object)  # FieldcaseError
    unlock_failed = Signal(object)  # FieldcaseError

    def __init__(
        self, backend: SessionBackend, *, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        super().__init__()
        self.backend = backend
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="fieldcase-session")
        self._calls = Dispatcher()
        self._cancel = threading.Event()
        self.state = SessionState.LOCKED if backend.has_cache() else SessionState.SIGNED_OUT
        self.officer: Officer | None = None
        self.policy = Policy()
        self.context: AppContext | None = None

    # -- transitions -------------------------------------------------------
    def _enter(self, state: SessionState) -> None:
        if state is not self.state:
            log.info("session %s -> %s", self.state.value, state.value)
            self.state = state
            self.state_changed.emit(state)

    def sign_in(self, server_url: str, username: str, password: str) -> None:
        """Online sign-in, then the first sync if the caseload is not here yet."""
        self._enter(SessionState.SIGNING_IN)

        def failed(error: FieldcaseError) -> None:
            self._enter(SessionState.SIGNED_OUT)
            self.sign_in_failed.emit(error)

        self._calls.submit(
            self._pool,
            lambda: self.backend.sign_in(server_url, username, password),
            self._on_signed_in,
            failed,
        )

    def _on_signed_in(self, result: tuple[Officer, Policy]) -> None:
        self.officer, self.policy = result
        if self.backend.first_sync_done():
            self._become_ready()
            return
        self._enter(SessionState.FIRST_SYNC)
        self._cancel.clear()
        self._calls.submit(
            self._pool,
            lambda: self.backend.first_sync(self.first_sync_progressed.emit, self._cancel),
            lambda _: self._become_ready(),
            self._first_sync_failed,
        )

    def _first_sync_failed(self, error: FieldcaseError) -> None:
        """The download stops where it got to; the officer works with what arrived."""
        self._become_ready()
        self.sign_in_failed.emit(error)

    def cancel_first_sync(self) -> None:
        self._cancel.set()

    def unlock(self, password: str) -> None:
        """Offline unlock with the password (refused after too long offline)."""
        username = self.backend.remembered_user()
        self._calls.submit(
            self._pool,
            lambda: self._unlock(username, password),
            self._on_unlocked,
            self.unlock_failed.emit,
        )

    def _unlock(self, username: str, password: str) -> tuple[Officer, Policy]:
        officer, policy = self.backend.unlock(username, password)
        last = self.backend.last_successful_sync()
        if last is not None and self._clock() - last > dt.timedelta(days=policy.max_offline_days):
            self.backend.lock()  # the key leaves memory again
            raise OfflineTooLong(
                f"This laptop has not reached the case system for more than "
                f"{policy.max_offline_days} days, so the cache stays locked. Connect to a "
                "network and sign in."
            )
        return officer, policy

    def _on_unlocked(self, result: tuple[Officer, Policy]) -> None:
        self.officer, self.policy = result
        self._become_ready()

    def _become_ready(self) -> None:
        assert self.officer is not None
        if self.context is None:
            self.context = self.backend.open_context(self.officer)
        self._enter(SessionState.READY)

    def lock(self) -> None:
        """Close the cache (the caller shuts its TaskRunner first); unlock needs the password."""
        if self.state is not SessionState.READY:
            return
        self._drop_context()
        self.backend.lock()
        self._enter(SessionState.LOCKED)

    def sign_out(self, *, confirmed: bool = False) -> None:
        """Raises ChangesWaiting unless `confirmed`; waiting changes are never discarded."""
        if self.context is not None and not confirmed:
            pending = self.backend.pending_count()
            if pending:
                raise ChangesWaiting(pending)
        self._drop_context()
        self.backend.sign_out()
        self._enter(SessionState.SIGNED_OUT)

    def _drop_context(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None

    def shutdown(self) -> None:
        self._cancel.set()
        self._pool.shutdown(wait=True)
        self._drop_context()
