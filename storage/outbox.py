"""The outbox: named mutations waiting to be pushed, in the client's own gap-free order.

Rows are appended only by write.py (inside the transaction that changed the cache)
and change state only from push results, so what the server sees always matches what
the officer saw saved.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storage import state
from storage.db import CacheDb

PENDING_STATES = ("queued", "sending")


@dataclass(frozen=True, slots=True)
class OutboxRow:
    seq: int
    mutation_id: uuid.UUID
    name: str
    version: int
    args: dict[str, Any]
    crns: tuple[str, ...]
    actor: dict[str, Any]
    state: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime


def _row(row: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        seq=row["seq"],
        mutation_id=uuid.UUID(row["mutation_id"]),
        name=row["name"],
        version=row["version"],
        args=json.loads(row["args"]),
        crns=tuple(json.loads(row["crns"])),
        actor=json.loads(row["actor"]),
        state=row["state"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
    )


def append(
    cdb: CacheDb,
    *,
    mutation_id: uuid.UUID,
    name: str,
    version: int,
    args: dict[str, Any],
    crns: Iterable[str],
    base_versions: dict[str, int],
    actor: dict[str, Any],
    created_at: dt.datetime,
) -> int:
    """Queue one mutation with the next per-client seq; the caller holds the transaction."""
    seq = state.next_seq(cdb)
    cdb.execute(
        "INSERT INTO outbox (seq, mutation_id, name, version, args, crns, base_versions,"
        " actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            str(mutation_id),
            name,
            version,
            json.dumps(args, separators=(",", ":")),
            json.dumps(sorted(set(crns))),
            json.dumps(base_versions, sort_keys=True),
            json.dumps(actor, sort_keys=True),
            created_at.isoformat(),
        ),
    )
    return seq


def pending(cdb: CacheDb, limit: int = 1_000_000) -> list[OutboxRow]:
    """Undelivered mutations, oldest first."""
    rows = cdb.query(
        "SELECT * FROM outbox WHERE state IN ('queued', 'sending') ORDER BY seq LIMIT ?",
        (limit,),
    )
    return [_row(r) for r in rows]


def by_seq(cdb: CacheDb, seq: int) -> OutboxRow | None:
    rows = cdb.query("SELECT * FROM outbox WHERE seq = ?", (seq,))
    return _row(rows[0]) if rows else None


def for_cases(cdb: CacheDb, crns: Iterable[str], *, after_seq: int) -> list[OutboxRow]:
    """Mutations still to be reflected in pulled state for these cases, in seq order:
    undelivered ones, and applied ones newer than what the pull already includes."""
    wanted = sorted(set(crns))
    if not wanted:
        return []
    rows = cdb.query(
        "SELECT * FROM outbox WHERE (state IN ('queued', 'sending')"  # noqa: S608
        " OR (state = 'applied' AND seq > ?)) AND EXISTS (SELECT 1 FROM json_each(outbox.crns)"
        f" WHERE value IN ({', '.join('?' * len(wanted))})) ORDER BY seq",
        (after_seq, *wanted),
    )
    return [_row(r) for r in rows]


def still_pending(cdb: CacheDb, seqs: Iterable[int]) -> set[int]:
    """Which of these seqs are not answered yet (one statement for a whole push answer)."""
    rows = cdb.execute(
        "SELECT seq FROM outbox WHERE seq IN (SELECT value FROM json_each(?))"
        " AND state IN ('queued', 'sending')",
        (json.dumps(list(seqs)),),
    ).fetchall()
    return {seq for (seq,) in rows}


def mark_answered(cdb: CacheDb, answers: Sequence[tuple[int, str, str | None]]) -> None:
    """(seq, state, error) for many rows in one statement: what `set_state` does a row at
    a time, for a push answer of hundreds of results."""
    if answers:
        cdb.execute(
            "UPDATE outbox SET state = json_extract(a.value, '$[1]'), attempts = attempts + 1,"
            " last_error = json_extract(a.value, '$[2]') FROM json_each(?) AS a"
            " WHERE outbox.seq = json_extract(a.value, '$[0]')",
            (json.dumps(answers),),
        )


def set_state(
    cdb: CacheDb, seqs: Sequence[int], new_state: str, *, error: str | None = None
) -> None:
    for seq in seqs:
        cdb.execute(
            "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ? WHERE seq = ?",
            (new_state, error, seq),
        )


def pending_count(cdb: CacheDb) -> int:
    count: int = cdb.one("SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")
    return count


# Audit records a laptop sends (a case opened offline): not the officer's changes, so
# never counted as "changes waiting to send" (4 contacts showed as "6 changes waiting").
AUDIT_ONLY = ("case_viewed",)


def changes_waiting(cdb: CacheDb, crn: str | None = None) -> int:
    """The officer's changes not yet sent (all cases, or those touching `crn`): the one
    number the status bar, the case header and the sign-out prompt show."""
    audit = json.dumps(AUDIT_ONLY)
    sql = (
        "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')"
        " AND name NOT IN (SELECT value FROM json_each(?))"
    )
    if crn is None:
        count: int = cdb.one(sql, (audit,))
        return count
    one_case = " AND EXISTS (SELECT 1 FROM json_each(outbox.crns) WHERE value = ?)"
    counted: int = cdb.one(sql + one_case, (audit, crn))
    return counted


def oldest_pending_at(cdb: CacheDb) -> dt.datetime | None:
    created = cdb.one(
        "SELECT created_at FROM outbox WHERE state IN ('queued', 'sending') ORDER BY seq LIMIT 1"
    )
    return dt.datetime.fromisoformat(created) if created else None


def prune_delivered(cdb: CacheDb, *, before: dt.datetime) -> int:
    """Forget mutations the server answered before `before` (their problems are kept as
    rows of their own). Seq numbers are never reused: `sync_state.last_seq` remembers."""
    with cdb.atomic():
        cursor = cdb.execute(
            "DELETE FROM outbox WHERE state IN ('applied', 'conflict', 'rejected')"
            " AND created_at < ? AND seq <= (SELECT last_acked_seq FROM sync_state)",
            (before.isoformat(),),
        )
        return int(cursor.rowcount)
