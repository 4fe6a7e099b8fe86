"""Throttling of repeated failed sign-ins, kept in the database, under three keys.

- **username at one source address**: a few failures lock that pair. An attacker
  elsewhere cannot lock the officer out by typing their username.
- **username from anywhere** (a higher limit): slows a guesser spread over many
  addresses; it never applies to a laptop already enrolled for that user.
- **source address** (any username): stops one machine spraying guesses over many
  usernames before any of them reaches its own limit, again except enrolled laptops.

Kept in `sign_in_throttle` (not in process memory) so that several API processes
behind one load balancer agree. Usernames that do not exist are throttled the same
way, so a 429 never reveals which usernames are real. The CPU the hashes may take
is bounded separately, per process, by `central.auth.sign_in`'s hashing gate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central.config import Settings
from central.db import as_utc
from central.errors import ApiError
from central.tables import sign_in_throttle

MAX_KEY = 200
MAX_SOURCE = 64
_SEP = "\t"  # never in a username typed into a form field, nor in an address
_SOURCE = "source" + _SEP


@dataclass(frozen=True, slots=True)
class Key:
    """One counter and the failures that lock it."""

    value: str
    limit: int


def keys(username: str, source: str, settings: Settings, *, enrolled: bool) -> list[Key]:
    """The counters a sign-in of `username` from `source` is judged and counted on."""
    source = source[:MAX_SOURCE]
    pair = f"{username[: MAX_KEY - MAX_SOURCE - 1]}{_SEP}{source}"
    found = [Key(pair, settings.max_failed_logins)]
    if not enrolled:
        found.append(Key(username[:MAX_KEY], settings.max_failed_per_username))
        found.append(Key(_SOURCE + source, settings.max_failed_per_source))
    return found


def retry_after(conn: Connection, judged: Sequence[Key], now: datetime) -> int | None:
    """Seconds until every counter lets a sign-in try again, or None when it may now."""
    values = [k.value for k in judged]
    rows = conn.execute(
        select(sign_in_throttle.c.locked_until).where(sign_in_throttle.c.username.in_(values))
    ).scalars()
    waits = [until for until in (as_utc(r) for r in rows) if until is not None and until > now]
    if not waits:
        return None
    return max(1, math.ceil((max(waits) - now).total_seconds()))


def too_many_attempts(seconds: int) -> ApiError:
    return ApiError(
        429,
        "too_many_attempts",
        f"Too many failed sign-ins; try again in {seconds} seconds.",
        headers={"Retry-After": str(seconds)},
        extra={"error": "too_many_attempts"},
    )


def record_failure(
    conn: Connection, counted: Sequence[Key], settings: Settings, now: datetime
) -> None:
    """Count one failure on each key atomically; a key at its limit locks and restarts."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    for key in counted:
        statement = (
            insert(sign_in_throttle)
            .values(username=key.value, failures=1)
            .on_conflict_do_update(
                index_elements=[sign_in_throttle.c.username],
                set_={"failures": sign_in_throttle.c.failures + 1},
            )
            .returning(sign_in_throttle.c.failures)
        )
        if conn.execute(statement).scalar_one() >= key.limit:
            conn.execute(
                update(sign_in_throttle)
                .where(sign_in_throttle.c.username == key.value)
                .values(failures=0, locked_until=now + timedelta(seconds=settings.throttle_seconds))
            )


def clear_success(conn: Connection, judged: Sequence[Key]) -> None:
    """A good sign-in clears its pair and username counters, never its source's."""
    values = [k.value for k in judged if not k.value.startswith(_SOURCE)]
    conn.execute(delete(sign_in_throttle).where(sign_in_throttle.c.username.in_(values)))


def clear_failures(conn: Connection, username: str) -> None:
    """Lift every lock on `username` (an administrator reset the password)."""
    name = username[:MAX_KEY]
    pair = sign_in_throttle.c.username.startswith(
        username[: MAX_KEY - MAX_SOURCE - 1] + _SEP, autoescape=True
    )
    conn.execute(delete(sign_in_throttle).where(or_(sign_in_throttle.c.username == name, pair)))
