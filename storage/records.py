"""Synced records in the cache: write, delete, read, and the semantics' CaseReader.

Every write goes through `put` so the search text is always derived the same way; the
FTS triggers then keep the index in the same transaction as the row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast
from uuid import UUID

from domain.contacts import Contact
from domain.reference import reference
from domain.semantics import RecordKind, StoredRecord
from storage.db import CacheDb
from storage.deferred import need_id_index
from storage.schema import RECORD_KINDS


def _variants(name: str) -> list[str]:
    """O'Brien-Smith is also found as "obrien" and "obriensmith"."""
    if not re.search(r"['’\-\s]", name):
        return [name]
    return [name, re.sub(r"['’]", "", name), re.sub(r"['’\-\s]", "", name)]


def _person_text(data: Mapping[str, Any]) -> str:
    names = [data.get(k) or "" for k in ("first_name", "middle_names", "surname")]
    names += [data.get(k) or "" for k in ("preferred_name", "previous_surname")]
    for alias in data.get("aliases") or ():
        names += [alias.get("first_name", ""), alias.get("surname", "")]
    names = [v for n in names if n for v in _variants(n)]
    names += [data.get("crn") or "", data.get("pnc") or ""]
    return " ".join(n for n in names if n)


def _contact_text(data: Mapping[str, Any]) -> str:
    ctype = reference().contact_types.get(str(data.get("type_code")))
    words = ctype.description if ctype else str(data.get("type_code") or "")
    return f"{words} {data.get('notes') or ''}".strip()


def search_text(kind: str, data: Mapping[str, Any]) -> str:
    if kind == "person":
        return _person_text(data)
    if kind == "contact":
        return _contact_text(data)
    return ""


def _check_kind(kind: str) -> str:
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    return kind


def put(
    cdb: CacheDb,
    kind: str,
    record_id: UUID | str,
    *,
    crn: str,
    version: int,
    data: Mapping[str, Any],
    pending: bool = False,
) -> None:
    """Insert or replace one record (the caller holds the transaction): a local save,
    a rebase, a server copy restored. During a first sync its kind's `id` index may be
    deferred: it is built first (`need_id_index`)."""
    need_id_index(cdb, _check_kind(kind))
    cdb.execute(_upsert_sql(kind), _values(kind, record_id, crn, version, data, pending))


def put_many(
    cdb: CacheDb, kind: str, items: Iterable[tuple[UUID | str, str, int, Mapping[str, Any]]]
) -> None:
    """Insert or replace many server records of one kind: (id, crn, version, data)."""
    need_id_index(cdb, _check_kind(kind))
    rows = (_values(kind, i, crn, version, data, False) for i, crn, version, data in items)
    cdb.conn.executemany(_upsert_sql(kind), rows)


def _upsert_sql(kind: str) -> str:
    return (
        f"INSERT INTO {_check_kind(kind)} (id, crn, version, pending, data, search_text)"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET crn = excluded.crn,"
        " version = excluded.version, pending = excluded.pending, data = excluded.data,"
        " search_text = excluded.search_text"
    )


def _values(  # noqa: PLR0917 - one row's columns, in column order
    kind: str,
    record_id: UUID | str,
    crn: str,
    version: int,
    data: Mapping[str, Any],
    pending: bool,
) -> tuple[Any, ...]:
    encoded = json.dumps(data, separators=(",", ":"))
    return (str(record_id), crn, version, int(pending), encoded, search_text(kind, data))


def delete(cdb: CacheDb, kind: str, record_id: UUID | str) -> None:
    cdb.execute(f"DELETE FROM {_check_kind(kind)} WHERE id = ?", (str(record_id),))  # noqa: S608


def get_row(cdb: CacheDb, kind: str, record_id: UUID | str) -> dict[str, Any] | None:
    rows = cdb.query(
        f"SELECT id, crn, version, pending, data FROM {_check_kind(kind)} WHERE id = ?",  # noqa: S608
        (str(record_id),),
    )
    return rows[0] if rows else None


def _stored(kind: str, row: Mapping[str, Any]) -> StoredRecord:
    return StoredRecord(
        kind=cast(RecordKind, kind),
        id=UUID(row["id"]),
        crn=row["crn"],
        version=row["version"],
        data=json.loads(row["data"]),
    )


def case_rows(cdb: CacheDb, crn: str, kind: str) -> list[dict[str, Any]]:
    return cdb.query(
        f"SELECT id, crn, version, pending, data FROM {_check_kind(kind)} WHERE crn = ?"  # noqa: S608
        " ORDER BY seq",
        (crn,),
    )


def delete_case(cdb: CacheDb, crn: str) -> None:
    """Every row of a case, its search entries (triggers) and its shadows."""
    for kind in RECORD_KINDS:
        cdb.execute(f"DELETE FROM {kind} WHERE crn = ?", (crn,))  # noqa: S608
    cdb.execute("DELETE FROM shadow WHERE crn = ?", (crn,))


class CacheReader:
    """The mutation semantics' read port over the cache (domain.semantics.CaseReader)."""

    def __init__(self, cdb: CacheDb) -> None:
        self.cdb = cdb

    def get(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        row = get_row(self.cdb, kind, record_id)
        return None if row is None else _stored(kind, row)

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        return [_stored(kind, row) for row in case_rows(self.cdb, crn, kind)]

    def diary(self, staff_code: str, start: dt.date, end: dt.date) -> list[Contact]:
        rows = self.cdb.query(
            "SELECT data FROM contact WHERE staff_code = ? AND date BETWEEN ? AND ?"
            " ORDER BY date, start_time",
            (staff_code, start.isoformat(), end.isoformat()),
        )
        return [Contact.model_validate_json(row["data"]) for row in rows]


def versions_of(cdb: CacheDb, records: Iterable[tuple[str, UUID]]) -> dict[str, int]:
    """The cached version of each (kind, id), for the outbox's `base_versions`."""
    found: dict[str, int] = {}
    for kind, record_id in records:
        row = get_row(cdb, kind, record_id)
        if row is not None:
            found[f"{kind}:{record_id}"] = row["version"]
    return found
