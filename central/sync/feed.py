"""The change feed: which record writes a pull may serve, on each database.

SQLite (one writer at a time): every record write takes a value of the counter
`feed_counter` under the database's only write lock (`BEGIN IMMEDIATE`), so commit
order equals version order and a reader that saw the counter at H sees every row with
version <= H. Pull reads the counter first and never serves past it.

PostgreSQL (writers in parallel, as logical-replication consumers do): each row carries
`txid`, the transaction that last wrote it (`pg_current_xact_id()`), and versions come
from a sequence. A pull's REPEATABLE READ transaction reads the watermark X =
`pg_snapshot_xmin(pg_current_snapshot())`: every transaction below X has finished and
this snapshot sees all of those that committed, while a transaction still running holds
X at or below its own id. A page serves rows with `(txid, version)` above the cursor
and `txid < X`, in that order, and a round's cursor ends at X: a late commit is served
late, never skipped, and each `(txid, record)` exactly once. A rewrite after a page
gets a txid at or above that page's X, so it is served again in a later round.

On PostgreSQL every writer of a case's records holds that case's lock (`lock_cases`,
taken in CRN order: writers of one case queue, writers of different cases do not): a
push batch locks the cases its mutations name before it reads anything, and any other
case a mutation reads or writes before deciding it again (`central.sync.group`); a
reallocation locks its case (`central.admin`). So the rules' reads are as safe as under
the old global lock (no write skew within a case), and versions taken after the lock
rise, for each record, in the order its writers commit. On SQLite the counter row plays
both parts (`lock_feed`). Reads are never blocked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from central.tables import cases, feed_counter, records
from central.versions import parallel_writers, take_versions
from domain.errors import RuleViolation
from domain.semantics import Upsert


def lock_feed(conn: Connection) -> int:
    """SQLite: take the feed lock for this transaction; return the last committed version."""
    query = select(feed_counter.c.value).where(feed_counter.c.id == 1).with_for_update()
    return int(conn.execute(query).scalar_one())


def high_water(conn: Connection) -> int:
    """SQLite: the last committed version, every record at or below it is visible. On
    PostgreSQL: the counter as the migration to the watermark left it (older cursors)."""
    query = select(feed_counter.c.value).where(feed_counter.c.id == 1)
    return int(conn.execute(query).scalar_one())


# X and the next transaction id to be assigned, of the caller's snapshot (PostgreSQL).
WATERMARK = text(
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text, "
    "pg_snapshot_xmax(pg_current_snapshot())::text"
)


def watermark(conn: Connection) -> tuple[int, int]:
    """PostgreSQL: (X, next txid) of the caller's snapshot; next txid - X is the lag."""
    low, high = conn.execute(WATERMARK).one()
    return int(low), int(high)


def next_version(conn: Connection) -> int:
    """The next version of the feed, taken inside the caller's transaction (on SQLite
    locking the feed; on PostgreSQL lock the record first, `claim`)."""
    return take_versions(conn, 1)[0]


# One round trip for every case of a mutation, taken in CRN order (the array's).
_CASE_LOCKS = text(
    "SELECT pg_advisory_xact_lock(hashtextextended('fieldcase.case:' || crn, 0)) "
    "FROM unnest(CAST(:crns AS text[])) WITH ORDINALITY AS c(crn, n) ORDER BY n"
)


def lock_cases(conn: Connection, crns: Iterable[str]) -> None:
    """PostgreSQL: lock these cases' record writes until commit, in CRN order (so two
    writers of the same cases cannot deadlock). No-op on SQLite (one writer already)."""
    ordered = sorted(set(crns))
    if ordered and parallel_writers(conn):
        conn.execute(_CASE_LOCKS, {"crns": ordered})


_CLAIM = (
    select(records.c.id, records.c.crn, records.c.field_versions)
    .where(records.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(records.c.id)
    .with_for_update()
)


def claim(
    conn: Connection, upserts: Sequence[Upsert], read: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[int]]:
    """The stored rows the upserts replace, locked, and their new versions, taken after
    the locks. `read`: the rows found when the mutation was decided. PostgreSQL locks
    those (FOR UPDATE in id order) and reads them afresh (all upserts' ids when `read`
    is None; a row that appeared since is the caller's re-check's to catch); SQLite
    holds the write lock and uses `read` as it is."""
    if not upserts:
        return {}, []
    if parallel_writers(conn):
        ids = [str(u.id) for u in upserts] if read is None else sorted(read)
        rows = conn.execute(_CLAIM, {"ids": ids}) if ids else ()
        existing = _checked(upserts, {row.id: row for row in rows})
    else:
        existing = existing_records(conn, upserts) if read is None else read
    return existing, take_versions(conn, len(upserts))


def write_records(
    conn: Connection, upserts: Sequence[Upsert], *, actor: str, now: datetime
) -> list[int]:
    """Write the upserts of one mutation, each with its own new version; return them.

    One write on its own (a push batch writes through `central.sync.batch`). On
    PostgreSQL the caller holds the written cases' locks (`lock_cases`), as every writer
    of a case's records must; the feed's tests call it without them, to play commit
    orders the locks rule out in service. Refuses (RuleViolation) before writing
    anything, so a refusal needs no rollback.
    """
    if not upserts:
        return []
    existing, versions = claim(conn, upserts)
    return write_reserved(conn, upserts, existing, versions, actor=actor, now=now)


def existing_records(conn: Connection, upserts: Sequence[Upsert]) -> dict[str, Any]:
    """The stored rows the upserts replace; refuses an id that belongs to another case.

    Safe to ask before the feed lock: a record never moves between cases.
    """
    if not upserts:
        return {}
    return _checked(upserts, _existing(conn, [str(u.id) for u in upserts]))


def _checked(upserts: Sequence[Upsert], existing: dict[str, Any]) -> dict[str, Any]:
    if any(str(u.id) in existing and existing[str(u.id)].crn != u.crn for u in upserts):
        raise RuleViolation("This change refers to a record of another case.")
    return existing


def write_reserved(
    conn: Connection,
    upserts: Sequence[Upsert],
    existing: dict[str, Any],
    versions: Sequence[int],
    *,
    actor: str,
    now: datetime,
) -> list[int]:
    """Write the upserts at `versions` (taken by the caller, `claim`), one each.

    Per-field versions move only for the fields that changed, which is what the
    field-level merge compares an officer's base version against.
    """
    for upsert, version in zip(upserts, versions, strict=True):
        _write_one(conn, upsert, existing.get(str(upsert.id)), version, actor=actor, now=now)
    refresh_search_columns(conn, [u for u in upserts if u.kind == "person"])
    return list(versions)


_EXISTING = select(records.c.id, records.c.crn, records.c.field_versions).where(
    records.c.id.in_(bindparam("ids", expanding=True))
)


def _existing(conn: Connection, ids: list[str]) -> dict[str, Any]:
    return {row.id: row for row in conn.execute(_EXISTING, {"ids": ids})}


# Built once: every record a push writes goes through one of these.
INSERT_RECORD = records.insert()
UPDATE_RECORD = (
    update(records)
    .where(records.c.id == bindparam("record"))
    .values(
        version=bindparam("new_version"),
        deleted=False,
        data=bindparam("new_data"),
        field_versions=bindparam("new_field_versions"),
        updated_at=bindparam("at"),
        updated_by=bindparam("by"),
    )
)


def record_write(
    upsert: Upsert,
    stored_field_versions: dict[str, int] | None,
    version: int,
    *,
    actor: str,
    now: datetime,
) -> tuple[Any, dict[str, Any]]:
    """The statement and parameters that store one upsert at `version`: an INSERT when no
    row exists (`stored_field_versions` is None), else an UPDATE merging field versions.
    Shared by the one-at-a-time path and SQLite's batches so both store rows alike."""
    changed = dict.fromkeys(sorted(upsert.changed_fields), version)
    if stored_field_versions is None:
        return INSERT_RECORD, {
            "id": str(upsert.id),
            "kind": upsert.kind,
            "crn": upsert.crn,
            "version": version,
            "deleted": False,
            "data": upsert.data,
            "field_versions": changed,
            "updated_at": now,
            "updated_by": actor,
        }
    return UPDATE_RECORD, {
        "record": str(upsert.id),
        "new_version": version,
        "new_data": upsert.data,
        "new_field_versions": {**stored_field_versions, **changed},
        "at": now,
        "by": actor,
    }


def _write_one(
    conn: Connection, upsert: Upsert, row: Any, version: int, *, actor: str, now: datetime
) -> None:
    stored = None if row is None else dict(row.field_versions or {})
    conn.execute(*record_write(upsert, stored, version, actor=actor, now=now))


def refresh_search_columns(conn: Connection, people: Iterable[Upsert]) -> None:
    """Keep the lower-cased copies national search uses in step with the person record."""
    for person in people:
        data = person.data
        aliases = "; ".join(
            f"{a.get('first_name', '')} {a.get('surname', '')}".lower()
            for a in data.get("aliases") or ()
        )
        conn.execute(
            update(cases)
            .where(cases.c.crn == person.crn)
            .values(
                surname=str(data.get("surname", "")).lower(),
                first_name=str(data.get("first_name", "")).lower(),
                date_of_birth=date.fromisoformat(str(data["date_of_birth"])),
                aliases=aliases,
            )
        )
