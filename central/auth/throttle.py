"""Throttling of repeated failed sign-ins, per username, kept in the database.

Kept in `sign_in_throttle` (not in process memory) so that several API
processes behind one load balancer agree: a few failures lock the username for
a while whichever process answered them. Usernames that do not exist are
throttled the same way, so a 429 never reveals which usernames are real.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central.config import Settings
from central.db import as_utc
from central.errors import ApiError
from central.tables import sign_in_throttle

MAX_USERNAME = 200


def _key(username: str) -> str:
    return username[:MAX_USERNAME]


def retry_after(conn: Connection, username: str, now: datetime) -> int | None:
    """Seconds until the username may try again, or None when it may try now."""
    until = as_utc(
        conn.execute(
            select(sign_in_throttle.c.locked_until).where(
                sign_in_throttle.c.username == _key(username)
            )
        ).scalar()
    )
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
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(sign_in_throttle)
        .values(username=_key(username), failures=1)
        .on_conflict_do_update(
            index_elements=[sign_in_throttle.c.username],
            set_={"failures": sign_in_throttle.c.failures + 1},
        )
        .returning(sign_in_throttle.c.failures)
    )
    failures = conn.execute(statement).scalar_one()
    if failures >= settings.max_failed_logins:
        conn.execute(
            update(sign_in_throttle)
            .where(sign_in_throttle.c.username == _key(username))
            .values(failures=0, locked_until=now + timedelta(seconds=settings.throttle_seconds))
        )


def clear_failures(conn: Connection, username: str) -> None:
    conn.execute(delete(sign_in_throttle).where(sign_in_throttle.c.username == _key(username)))
