"""The change feed: every record write takes a value of the global sequence `feed_counter`.

Choice: writers serialise on the counter row. A mutation is first decided without any
lock (scope, rules, reads) and everything that needs no version is written (audit,
pins, stored result). Only then does its transaction take its versions from the counter
row (`central.versions.reserve_versions`: an UPDATE ... RETURNING, which holds the row
lock until commit; on SQLite `BEGIN IMMEDIATE` already holds the single write lock),
check that the records it read are unchanged (if not, it rolls back and runs again with
the lock taken first, `lock_feed`), write the records and commit. So a writer can only
obtain version V after the writer of V-1 has committed or rolled back: commit order
equals version order, and a reader that saw the counter at H sees every row with
version <= H. Pull reads the counter first and never serves past it, so it cannot skip
a late commit (the committed counter is the visibility watermark).

Cost: the write step of record-changing mutations runs one at a time across the whole
service (reserve, re-check, the record writes, commit: a few round trips), which
bounds throughput at roughly 1 / (that time) however many server processes run —
hundreds of mutations a second, ample for a national probation workforce whose officers
push a few changes an hour. Reads are never blocked. Mutations that write no records
(pins, case views) never take the lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from central.tables import cases, feed_counter, records
from central.versions import reserve_versions
from domain.errors import RuleViolation
from domain.semantics import Upsert


def lock_feed(conn: Connection) -> int:
    """Take the feed lock for this transaction; return the last committed version."""
    query = select(feed_counter.c.value).where(feed_counter.c.id == 1).with_for_update()
    return int(conn.execute(query).scalar_one())


def high_water(conn: Connection) -> int:
    """The last committed version: every record at or below it is visible (no lock)."""
    query = select(feed_counter.c.value).where(feed_counter.c.id == 1)
    return int(conn.execute(query).scalar_one())


def next_version(conn: Connection) -> int:
    """The next version of the feed, taken inside (and locking for) the caller's transaction."""
    return reserve_versions(conn, 1)


def write_records(
    conn: Connection, upserts: Sequence[Upsert], *, actor: str, now: datetime
) -> list[int]:
    """Write the upserts of one mutation, each with its own new version; return them.

    Refuses (RuleViolation) before writing anything, so a refusal needs no rollback.
    """
    if not upserts:
        return []
    existing = existing_records(conn, upserts)
    first = reserve_versions(conn, len(upserts))
    return write_reserved(conn, upserts, existing, first, actor=actor, now=now)


def existing_records(conn: Connection, upserts: Sequence[Upsert]) -> dict[str, Any]:
    """The stored rows the upserts replace; refuses an id that belongs to another case.

    Safe to ask before the feed lock: a record never moves between cases.
    """
    if not upserts:
        return {}
    existing = _existing(conn, [str(u.id) for u in upserts])
    if any(str(u.id) in existing and existing[str(u.id)].crn != u.crn for u in upserts):
        raise RuleViolation("This change refers to a record of another case.")
    return existing


def write_reserved(
    conn: Connection,
    upserts: Sequence[Upsert],
    existing: dict[str, Any],
    first: int,
    *,
    actor: str,
    now: datetime,
) -> list[int]:
    """Write the upserts at versions `first`, `first + 1`, ... (reserved by the caller).

    Per-field versions move only for the fields that changed, which is what the
    field-level merge compares an officer's base version against.
    """
    versions = []
    for offset, upsert in enumerate(upserts):
        version = first + offset
        versions.append(version)
        _write_one(conn, upsert, existing.get(str(upsert.id)), version, actor=actor, now=now)
    refresh_search_columns(conn, [u for u in upserts if u.kind == "person"])
    return versions


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
