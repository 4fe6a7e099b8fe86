"""A push batch's group commit, on both databases: decided and written in one transaction.

The batch's run (`central.sync.group`) makes sure nothing it reads can change under it:
on SQLite `BEGIN IMMEDIATE` holds the database's only write lock from the first
statement to the commit; on PostgreSQL the batch holds the lock of every case it reads
or writes (`central.sync.feed.lock_cases`), which every writer of a case's records takes.
That lets a batch:

- read once what every mutation needs to be decided: the client's `last_applied_seq`,
  which of the batch's mutation ids are taken, the officer's scope, and the records the
  arguments name (`BatchRecords`; a record not read yet is read on demand);
- keep those reads current with its own writes (a later mutation sees an earlier one's
  record exactly as the database would);
- take versions in mutation order: on SQLite from the counter read once and moved once
  at the end (checked: it must return the first version handed out), on PostgreSQL from
  the sequence in blocks taken under the case locks (`SequenceVersions`);
- write records, results and audit with one executemany per run of one statement, the
  client's seq once.

Queries the batch cannot answer from memory (a case's records, the diary) first flush
the pending record writes, so they read what a mutation-by-mutation run would. Every
write stays in the one transaction: a failure anywhere rolls back the whole batch and
answers none of it. On PostgreSQL the batch checks, after its writes and before the
commit, that every record of a locked case it relied on is as it left it
(`BatchRecords.verify`): a writer that skipped the case lock is caught, never overwritten.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, String, bindparam, func, select, tuple_
from sqlalchemy.sql.dml import Insert, Update

from central.auth.deps import Principal
from central.bulk import BulkInsert
from central.sync import clients
from central.sync.batch_log import BatchLog
from central.sync.feed import INSERT_RECORD, lock_feed, record_write, refresh_search_columns
from central.sync.reader import SqlCaseReader
from central.tables import applied_mutations, records
from central.versions import parallel_writers, reserve_versions, take_versions
from domain.contacts import Contact
from domain.errors import RuleViolation
from domain.semantics import RecordKind, StoredRecord, Upsert
from sync.protocol import MutationEnvelope

# A batch's ids travel as one JSON array (`json_each`): no IN (...) list for SQLAlchemy to
# expand on every call, and no limit on bound variables. Each id is still looked up in the
# primary or unique index.
_IDS = select(func.json_each(bindparam("ids", type_=String)).table_valued("value").c.value)

_COLUMNS = (
    records.c.id,
    records.c.kind,
    records.c.crn,
    records.c.version,
    records.c.deleted,
    records.c.data,
    records.c.field_versions,
)
_ROWS = select(*_COLUMNS).where(records.c.id.in_(_IDS))
# PostgreSQL: an expanding IN (psycopg sends the ids as parameters; the plan is cached
# per list length by SQLAlchemy).
_ROWS_PG = select(*_COLUMNS).where(records.c.id.in_(bindparam("ids", expanding=True)))
_VERSIONS_PG = select(records.c.id, records.c.version, records.c.deleted).where(
    records.c.id.in_(bindparam("ids", expanding=True))
)
_LISTED_PG = select(records.c.crn, records.c.kind, records.c.id, records.c.version).where(
    tuple_(records.c.crn, records.c.kind).in_(bindparam("lists", expanding=True)),
    records.c.deleted.is_(False),
)

_INSERT_RECORDS = BulkInsert(records, skip={"txid"})  # SQLite: stays 0

_TAKEN = select(applied_mutations.c.mutation_id).where(applied_mutations.c.mutation_id.in_(_IDS))


@dataclass(slots=True)
class Row:
    """One record as stored (or as this batch has written it, not yet flushed)."""

    id: str
    kind: str
    crn: str
    version: int
    deleted: bool
    data: dict[str, Any] | None
    field_versions: dict[str, int]


def candidate_ids(mutations: Iterable[MutationEnvelope]) -> list[str]:
    """Ids the mutations' arguments name (read ahead in one query; a miss is read later)."""
    found = []
    for env in mutations:
        for key, value in env.args.items():
            if key.endswith("id") and isinstance(value, str) and len(value) == 36:
                found.append(value.lower())
    return found


class ChangedUnderBatch(Exception):
    """A record the batch relied on changed outside its case locks (PostgreSQL): the
    batch is rolled back and run again (`central.sync.push`); nothing is overwritten."""


class BatchRecords:
    """Every record the batch read or wrote, by id, and its record writes not yet flushed.

    Also what it listed by case (`case_records`), so that PostgreSQL's `verify` can
    check, before the commit, that the database holds what the batch decided on.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._postgres = parallel_writers(conn)
        self._rows: dict[str, Row | None] = {}
        self._pending: list[tuple[Insert | Update, dict[str, Any]]] = []
        # (crn, kind) listed -> {id: version} as listed, updated by the batch's own writes.
        self._listed: dict[tuple[str, str], dict[str, int]] = {}

    def load(self, ids: Iterable[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._rows]
        if not wanted:
            return
        if self._postgres:
            found_rows = self._conn.execute(_ROWS_PG, {"ids": wanted})
        else:
            found_rows = self._conn.execute(_ROWS, {"ids": json.dumps(wanted)})
        found = {
            row.id: Row(
                row.id,
                row.kind,
                row.crn,
                int(row.version),
                bool(row.deleted),
                row.data,
                {k: int(v) for k, v in (row.field_versions or {}).items()},
            )
            for row in found_rows
        }
        for record_id in wanted:
            self._rows[record_id] = found.get(record_id)

    def row(self, record_id: str) -> Row | None:
        if record_id not in self._rows:
            self.load([record_id])
        return self._rows[record_id]

    def crns(self) -> set[str]:
        """The cases of the records read so far."""
        return {row.crn for row in self._rows.values() if row is not None}

    def forget(self, crns: set[str]) -> None:
        """Drop what was read of these cases, and every miss, before relying on them:
        the batch has just locked these cases, and what it read before may be old."""
        self._rows = {
            i: row for i, row in self._rows.items() if row is not None and row.crn not in crns
        }
        self._listed = {key: seen for key, seen in self._listed.items() if key[0] not in crns}

    def listed(self, crn: str, kind: str, found: Iterable[StoredRecord]) -> None:
        """A case's records of one kind as the batch read them (after a flush)."""
        self._listed[(crn, kind)] = {str(r.id): r.version for r in found}

    def existing(self, upserts: Sequence[Upsert]) -> None:
        """`feed.existing_records`' check: refuse an id that belongs to another case."""
        ids = [str(u.id) for u in upserts]
        self.load(ids)
        for upsert, record_id in zip(upserts, ids, strict=True):
            row = self._rows[record_id]
            if row is not None and row.crn != upsert.crn:
                raise RuleViolation("This change refers to a record of another case.")

    def write(self, upsert: Upsert, version: int, *, actor: str, now: dt.datetime) -> None:
        """`feed._write_one`, queued; the row as it will be stored is known at once."""
        record_id = str(upsert.id)
        row = self.row(record_id)
        stored = None if row is None else dict(row.field_versions)
        statement, params = record_write(upsert, stored, version, actor=actor, now=now)
        self._pending.append((statement, params))
        listing = self._listed.get((upsert.crn, upsert.kind if row is None else row.kind))
        if listing is not None:
            listing[record_id] = version
        if row is None:
            self._rows[record_id] = Row(
                record_id,
                upsert.kind,
                upsert.crn,
                version,
                False,
                upsert.data,
                params["field_versions"],
            )
            return
        # The UPDATE keeps the stored kind and crn (the crn is checked equal beforehand).
        self._rows[record_id] = Row(
            record_id,
            row.kind,
            row.crn,
            version,
            False,
            upsert.data,
            params["new_field_versions"],
        )

    def flush(self) -> None:
        """Write the queued records in order: one executemany per run of one statement."""
        pending, self._pending = self._pending, []
        start = 0
        while start < len(pending):
            statement = pending[start][0]
            end = start
            while end < len(pending) and pending[end][0] is statement:
                end += 1
            rows = [params for _s, params in pending[start:end]]
            if statement is INSERT_RECORD:
                _INSERT_RECORDS.execute(self._conn, rows)
            else:
                self._conn.execute(statement, rows)
            start = end

    def verify(self, held: set[str]) -> None:
        """PostgreSQL, after `flush`: raise ChangedUnderBatch unless every record of a
        held case the batch read, listed or wrote (and every id it found missing) is in
        the database as the batch left it. Under the case locks this always holds; it
        catches a writer that skipped them (one query, two when the batch listed)."""
        mine = {i: row for i, row in self._rows.items() if row is None or row.crn in held}
        if mine:
            stored = {
                r.id: (int(r.version), bool(r.deleted))
                for r in self._conn.execute(_VERSIONS_PG, {"ids": list(mine)})
            }
            for record_id, row in mine.items():
                expected = None if row is None else (row.version, row.deleted)
                if stored.get(record_id) != expected:
                    raise ChangedUnderBatch(record_id)
        lists = [key for key in self._listed if key[0] in held]
        if lists:
            now: dict[tuple[str, str], dict[str, int]] = {key: {} for key in lists}
            for r in self._conn.execute(_LISTED_PG, {"lists": lists}):
                now[(r.crn, r.kind)][r.id] = int(r.version)
            if any(now[key] != self._listed[key] for key in lists):
                raise ChangedUnderBatch("a listed case")


class BatchReader(SqlCaseReader):
    """`SqlCaseReader` over `BatchRecords`: a record by id from memory, other reads
    from the database once the batch's pending record writes are flushed."""

    def __init__(
        self, conn: Connection, allows: Callable[[str], bool], batch: BatchRecords
    ) -> None:
        super().__init__(conn, allows)
        self._batch = batch

    def get(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        row = self._batch.row(str(record_id))
        if row is None or row.kind != kind or row.deleted or not self._allows(row.crn):
            return None
        self.crns.add(row.crn)
        return StoredRecord(
            kind=kind,
            id=UUID(row.id),
            crn=row.crn,
            version=row.version,
            data=copy.deepcopy(row.data or {}),
            field_versions=dict(row.field_versions),
        )

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        self._batch.flush()
        found = super().case_records(crn, kind)
        if self._allows(crn):
            self._batch.listed(crn, kind, found)
        return found

    def diary(self, staff_code: str, start: dt.date, end: dt.date) -> list[Contact]:
        self._batch.flush()
        return super().diary(staff_code, start, end)


class CounterVersions:
    """SQLite: versions from the feed counter, read once under the write lock and moved
    once at the end (`finish`)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._first: int | None = None
        self._next = 0
        self.ahead = 1

    def take(self, count: int) -> list[int]:
        if self._first is None:
            self._first = self._next = lock_feed(self._conn) + 1
        first = self._next
        self._next += count
        return list(range(first, first + count))

    def forget(self) -> None:
        """Nothing to drop: SQLite's write lock covers every case."""

    def finish(self) -> None:
        if self._first is not None and self._next > self._first:
            first = reserve_versions(self._conn, self._next - self._first)
            if first != self._first:  # impossible under SQLite's write lock
                raise RuntimeError("the feed counter moved during a locked push batch")


class SequenceVersions:
    """PostgreSQL: versions from the sequence, a block at a time (`ahead`: how many the
    rest of the batch will likely need, one a mutation). A block is taken after the
    locks of the cases it will be written to, so a record's versions still rise in the
    order its writers commit; `forget` drops the rest of a block when the batch locks
    another case (those versions might be below a writer's that just committed there).
    Unused versions are gaps, which the feed allows."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._free: list[int] = []
        self.ahead = 1

    def take(self, count: int) -> list[int]:
        if len(self._free) < count:
            self._free = take_versions(self._conn, max(count, self.ahead))
        taken, self._free = self._free[:count], self._free[count:]
        return taken

    def forget(self) -> None:
        self._free = []

    def finish(self) -> None:
        """Nothing to move: the sequence is the counter."""


class BatchWriter(BatchLog):
    """The batch's writes other than records: results, seq, audit, versions."""

    def __init__(self, conn: Connection, principal: Principal, client_id: str) -> None:
        super().__init__(conn, principal, client_id)
        self.records = BatchRecords(conn)
        self.versions: CounterVersions | SequenceVersions = (
            SequenceVersions(conn) if parallel_writers(conn) else CounterVersions(conn)
        )

    def read_taken(self, mutations: Sequence[MutationEnvelope]) -> None:
        """Which of these mutation ids a stored mutation already has (one query)."""
        if not mutations:
            return
        if parallel_writers(self._conn):
            self.taken.update(clients.taken_ids(self._conn, [str(env.id) for env in mutations]))
            return
        ids = json.dumps([str(env.id) for env in mutations])
        self.taken.update(self._conn.execute(_TAKEN, {"ids": ids}).scalars())

    def write_records(self, upserts: Sequence[Upsert], *, now: dt.datetime) -> None:
        versions = self.versions.take(len(upserts))
        for upsert, version in zip(upserts, versions, strict=True):
            self.records.write(upsert, version, actor=self._principal.username, now=now)
        people = [u for u in upserts if u.kind == "person"]
        if people:
            refresh_search_columns(self._conn, people)

    def finish(self) -> None:
        """Everything queued, in the batch's transaction (the caller commits)."""
        self.records.flush()
        self.flush_log()
        if self._last_seq is not None:
            clients.move_seq(self._conn, self._client_id, *self._last_seq)
        self.versions.finish()
