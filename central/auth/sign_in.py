"""Checking a password without stalling the service.

The Argon2 hash (half a second and 64 MiB by default) never runs inside a database
transaction: the throttle and the user are read on a plain connection, the hash is
checked with no connection held, and only the short writes that follow (count a
failure; or clear it, register the device, issue tokens) take the write lock. On
SQLite, where the write lock is the database's only one, a flood of wrong passwords
used to queue every officer's push behind it ("database is locked").

The hashes themselves pass a gate: at most half the cores hash at once in a process
(`HASHING_SLOTS`), so a flood of sign-ins cannot take the CPU an officer's push and
search need; a sign-in that cannot get a slot soon is told the service is busy. And a
global budget (`HashBudget`) bounds how many hashes a minute sign-ins from laptops
not enrolled for the user may cost at all: a flood spends the burst, then is answered
429 without hashing, while officers on their own laptops sign in as usual.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from central.auth import passwords, throttle
from central.db import transaction
from central.errors import ApiError
from central.state import AppState
from central.tables import devices, users

HASHING_SLOTS = max(1, (os.cpu_count() or 2) // 2)
HASHING_WAIT_SECONDS = 5.0
_gate = threading.BoundedSemaphore(HASHING_SLOTS)


class HashBudget:
    """The global throttle, a token bucket of Argon2 checks for sign-ins from laptops not
    enrolled for the user (one per service, `AppState.sign_in_budget`): a burst, then a
    steady rate. Past it such sign-ins are answered 429 at once, without hashing; an
    enrolled laptop's sign-in is never counted or held back."""

    def __init__(self, burst: int, per_minute: float) -> None:
        self._burst = float(burst)
        self._rate = per_minute / 60.0
        self._tokens = float(burst)
        self._at = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> int | None:
        """None when a hash may run now, else the seconds until one may."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
            self._at = now
            if self._tokens >= 1:
                self._tokens -= 1
                return None
            return max(1, math.ceil((1 - self._tokens) / self._rate))


@dataclass(frozen=True, slots=True)
class Checked:
    """A verified password: what the write transaction confirms and records."""

    username: str
    password_hash: str
    keys: list[throttle.Key]
    new_hash: str | None


def invalid_grant(message: str) -> ApiError:
    extra = {"error": "invalid_grant", "error_description": message}
    return ApiError(400, "invalid_grant", message, extra=extra)


def _busy() -> ApiError:
    return ApiError(
        503, "busy", "The server is busy; try again shortly.", headers={"Retry-After": "2"}
    )


def _verify(password_hash: str | None, password: str) -> bool:
    """The hash check (or the same time spent on an unknown user), through the gate."""
    if not _gate.acquire(timeout=HASHING_WAIT_SECONDS):
        raise _busy()
    try:
        if password_hash is None:
            passwords.burn_time()
            return False
        return passwords.verify_password(password_hash, password)
    finally:
        _gate.release()


def _enrolled(conn: Connection, username: str, device_id: str) -> bool:
    """The laptop is already registered to this user and not revoked."""
    query = select(devices.c.revoked_at).where(
        devices.c.id == device_id, devices.c.username == username
    )
    row = conn.execute(query).first()
    return row is not None and row.revoked_at is None


def check_password(
    state: AppState, username: str, password: str, *, device_id: str, source: str, now: datetime
) -> Checked:
    """The verified sign-in, or the ApiError to answer (a failure counted first)."""
    with state.engine.connect() as conn:
        enrolled = _enrolled(conn, username, device_id)
        keys = throttle.keys(username, source, state.settings, enrolled=enrolled)
        wait = throttle.retry_after(conn, keys, now)
        row = conn.execute(
            select(users.c.password_hash, users.c.active).where(users.c.username == username)
        ).first()
    if wait is None and not enrolled:
        wait = state.sign_in_budget.take()
    if wait is not None:
        raise throttle.too_many_attempts(wait)
    if not _verify(None if row is None else row.password_hash, password):
        with transaction(state.engine) as conn:
            throttle.record_failure(conn, keys, state.settings, now)
        raise invalid_grant("Wrong username or password.")
    assert row is not None
    if not row.active:
        raise invalid_grant("This account is disabled; contact an administrator.")
    stale = passwords.needs_rehash(row.password_hash)
    new_hash = passwords.hash_password(password) if stale else None
    return Checked(username, row.password_hash, keys, new_hash)


def confirm(conn: Connection, checked: Checked) -> None:
    """In the sign-in's write transaction: the password is still the one checked
    (an administrator may have reset it meanwhile); clear its counters, upgrade its hash."""
    current = conn.execute(
        select(users.c.password_hash).where(users.c.username == checked.username)
    ).scalar()
    if current != checked.password_hash:
        raise invalid_grant("Wrong username or password.")
    throttle.clear_success(conn, checked.keys)
    if checked.new_hash is not None:
        conn.execute(
            update(users)
            .where(users.c.username == checked.username)
            .values(password_hash=checked.new_hash)
        )
