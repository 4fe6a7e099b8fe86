"""Whole-case snapshots and per-case checksums, fetched in bulk (one query per page).

A snapshot holds a case's live records; the checksum is `sync.protocol.case_checksum`
over the same (kind, id, version) triples, so a client holding exactly the snapshot
computes the same value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from central.tables import records
from sync.protocol import CaseSnapshot, RecordChange, case_checksum

# Large IN lists are split so every backend accepts them (SQLite caps bound parameters).
CHUNK = 900


def _chunks(crns: Collection[str]) -> list[list[str]]:
    ordered = sorted(crns)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def change_of(row: Any) -> RecordChange:
    """A feed row as sent; built without re-validation (the database is the source)."""
    return RecordChange.model_construct(
        kind=row.kind,
        id=UUID(row.id),
        crn=row.crn,
        version=int(row.version),
        deleted=bool(row.deleted),
        data=None if row.deleted else row.data,
    )


def record_counts(conn: Connection, crns: Collection[str]) -> dict[str, int]:
    """Live records per case, to fill a page with whole snapshots."""
    counts: dict[str, int] = dict.fromkeys(crns, 0)
    for chunk in _chunks(crns):
        query = (
            select(records.c.crn, func.count())
            .where(records.c.crn.in_(chunk), records.c.deleted.is_(False))
            .group_by(records.c.crn)
        )
        counts.update({crn: int(n) for crn, n in conn.execute(query)})
    return counts


def snapshots(conn: Connection, crns: Collection[str]) -> list[CaseSnapshot]:
    """A snapshot of each case, in CRN order."""
    by_case: dict[str, list[RecordChange]] = defaultdict(list)
    columns = (records.c.id, records.c.kind, records.c.crn, records.c.version, records.c.deleted)
    for chunk in _chunks(crns):
        query = (
            select(*columns, records.c.data)
            .where(records.c.crn.in_(chunk), records.c.deleted.is_(False))
            .order_by(records.c.crn, records.c.version)
        )
        for row in conn.execute(query):
            by_case[row.crn].append(change_of(row))
    result = []
    for crn in sorted(crns):
        changes = by_case.get(crn, [])
        checksum = case_checksum((c.kind, c.id, c.version) for c in changes)
        result.append(CaseSnapshot(crn=crn, records=changes, checksum=checksum))
    return result


def checksums(conn: Connection, crns: Collection[str]) -> dict[str, str]:
    """The checksum of each case from (kind, id, version) only: no record data is read."""
    triples: dict[str, list[tuple[str, str, int]]] = {crn: [] for crn in crns}
    for chunk in _chunks(crns):
        query = select(records.c.crn, records.c.kind, records.c.id, records.c.version).where(
            records.c.crn.in_(chunk), records.c.deleted.is_(False)
        )
        for crn, kind, record_id, version in conn.execute(query):
            triples[crn].append((kind, record_id, int(version)))
    return {crn: case_checksum(items) for crn, items in triples.items()}
