"""Throttling of repeated failed sign-ins, per username, kept in the database.

Kept in `users` (not in process memory) so that several API processes behind
one load balancer agree: five failures lock the username for a while whichever
process answered them.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, update

from central.config import Settings
from central.db import as_utc
from central.errors import ApiError
from central.tables import users


def retry_after(locked_until: datetime | None, now: datetime) -> int | None:
    """Seconds until the username may try again, or None when it may try now."""
    until = as_utc(locked_until)
    if until is None or until <= now:
        return None
    return max(1, math.ceil((until - now).total_seconds()))


def too_many_attempts(seconds: int) -> ApiError:
    return ApiError(
        429,
        "too_many_attempts",
        f"Too many failed sign-ins for this username; try again in {seconds} seconds.",
        headers={"Retry-After": str(seconds)},
        extra={"error": "too_many_attempts"},
    )


def record_failure(conn: Connection, username: str, settings: Settings, now: datetime) -> None:
    """Count one failure atomically; at the limit, lock the username and restart the count."""
    failures = conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(failed_logins=users.c.failed_logins + 1)
        .returning(users.c.failed_logins)
    ).scalar()
    if failures is not None and failures >= settings.max_failed_logins:
        conn.execute(
            update(users)
            .where(users.c.username == username)
            .values(
                failed_logins=0,
                locked_until=now + timedelta(seconds=settings.throttle_seconds),
            )
        )


def clear_failures(conn: Connection, username: str) -> None:
    conn.execute(
        update(users).where(users.c.username == username).values(failed_logins=0, locked_until=None)
    )
