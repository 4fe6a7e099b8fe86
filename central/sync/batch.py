"""SQLite's group commit of one push: a whole batch decided and written in one transaction.

`BEGIN IMMEDIATE` holds the database's only write lock from the first statement to the
commit, so nothing this transaction read can change under it. That lets a batch:

- read once what every mutation needs to be decided: the client's `last_applied_seq`,
  which of the batch's mutation ids are taken, the officer's scope, and the records the
  arguments name (`BatchRecords`; a record not read yet is read on demand);
- keep those reads current with its own writes (a later mutation sees an earlier one's
  record exactly as the database would);
- take versions from the counter read once, in mutation order, and move the counter
  once at the end (checked: it must return the first version handed out);
- write records, results and audit with one executemany per run of one statement, the
  client's seq once.

Queries the batch cannot answer from memory (a case's records, the diary) first flush
the pending record writes, so they read what a mutation-by-mutation run would. Every
write stays in the one transaction: a failure anywhere rolls back the whole batch and
answers none of it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, String, bindparam, func, select
from sqlalchemy.sql.dml import Insert, Update

from central.auth.deps import Principal
from central.bulk import BulkInsert
from central.sync import clients
from central.sync.batch_log import BatchLog
from central.sync.feed import INSERT_RECORD, lock_feed, record_write, refresh_search_columns
from central.sync.reader import SqlCaseReader
from central.tables import applied_mutations, records
from central.versions import reserve_versions
from domain.contacts import Contact
from domain.errors import RuleViolation
from domain.semantics import RecordKind, StoredRecord, Upsert
from sync.protocol import MutationEnvelope

# A batch's ids travel as one JSON array (`json_each`): no IN (...) list for SQLAlchemy to
# expand on every call, and no limit on bound variables. Each id is still looked up in the
# primary or unique index.
_IDS = select(func.json_each(bindparam("ids", type_=String)).table_valued("value").c.value)

_ROWS = select(
    records.c.id,
    records.c.kind,
    records.c.crn,
    records.c.version,
    records.c.deleted,
    records.c.data,
    records.c.field_versions,
).where(records.c.id.in_(_IDS))

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


class BatchRecords:
    """Every record the batch read or wrote, by id, and its record writes not yet flushed."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._rows: dict[str, Row | None] = {}
        self._pending: list[tuple[Insert | Update, dict[str, Any]]] = []

    def load(self, ids: Iterable[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._rows]
        if not wanted:
            return
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
            for row in self._conn.execute(_ROWS, {"ids": json.dumps(wanted)})
        }
        for record_id in wanted:
            self._rows[record_id] = found.get(record_id)

    def row(self, record_id: str) -> Row | None:
        if record_id not in self._rows:
            self.load([record_id])
        return self._rows[record_id]

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
        return super().case_records(crn, kind)

    def diary(self, staff_code: str, start: dt.date, end: dt.date) -> list[Contact]:
        self._batch.flush()
        return super().diary(staff_code, start, end)


class BatchWriter(BatchLog):
    """The batch's writes other than records: results, seq, audit, versions."""

    def __init__(self, conn: Connection, principal: Principal, client_id: str) -> None:
        super().__init__(conn, principal, client_id)
        self.records = BatchRecords(conn)
        self._first_version: int | None = None
        self._next_version = 0

    def read_taken(self, mutations: Sequence[MutationEnvelope]) -> None:
        """Which of these mutation ids a stored mutation already has (one query)."""
        if mutations:
            ids = json.dumps([str(env.id) for env in mutations])
            self.taken.update(self._conn.execute(_TAKEN, {"ids": ids}).scalars())

    def versions(self, count: int) -> int:
        """`count` consecutive versions, the first returned; the counter moves at `finish`."""
        if self._first_version is None:
            self._first_version = self._next_version = lock_feed(self._conn) + 1
        first = self._next_version
        self._next_version += count
        return first

    def write_records(self, upserts: Sequence[Upsert], *, now: dt.datetime) -> None:
        first = self.versions(len(upserts))
        for offset, upsert in enumerate(upserts):
            self.records.write(upsert, first + offset, actor=self._principal.username, now=now)
        people = [u for u in upserts if u.kind == "person"]
        if people:
            refresh_search_columns(self._conn, people)

    def finish(self) -> None:
        """Everything queued, in the batch's transaction (the caller commits)."""
        self.records.flush()
        self.flush_log()
        if self._last_seq is not None:
            clients.move_seq(self._conn, self._client_id, *self._last_seq)
        if self._first_version is not None and self._next_version > self._first_version:
            first = reserve_versions(self._conn, self._next_version - self._first_version)
            if first != self._first_version:  # impossible under SQLite's write lock
                raise RuntimeError("the feed counter moved during a locked push batch")
