"""The last team caseload read from the server, kept for reading offline.

The team caseload is online (it is every case of the team, not this laptop's), but an
officer at a door with no signal may still want to see who manages whom: the last
answer is kept as it came, in the encrypted cache, with when it was read. Only one copy
is kept; a newer answer replaces it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.db import CacheDb


@dataclass(frozen=True, slots=True)
class TeamCopy:
    fetched_at: dt.datetime
    body: str  # the server's JSON, as received


def save(cdb: CacheDb, body: str, fetched_at: dt.datetime) -> None:
    with cdb.atomic():
        cdb.execute(
            "INSERT INTO team_copy (id, fetched_at, body) VALUES (1, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET fetched_at = excluded.fetched_at,"
            " body = excluded.body",
            (fetched_at.astimezone(dt.UTC).isoformat(), body),
        )


def load(cdb: CacheDb) -> TeamCopy | None:
    rows = cdb.query("SELECT fetched_at, body FROM team_copy WHERE id = 1")
    if not rows:
        return None
    return TeamCopy(dt.datetime.fromisoformat(rows[0]["fetched_at"]), rows[0]["body"])
