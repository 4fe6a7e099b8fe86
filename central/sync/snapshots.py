"""Whole-case snapshots and per-case checksums, fetched in bulk (one query per page).

A snapshot holds a case's live records; the checksum is `sync.protocol.case_checksum`
over the same (kind, id, version) triples, so a client holding exactly the snapshot
computes the same value.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, Text, cast, func, select

from central.tables import records
from sync.protocol import CaseSnapshot, RecordChange, case_checksum

# Large IN lists are split so every backend accepts them (SQLite caps bound parameters).
CHUNK = 900


def _chunks(crns: Collection[str]) -> list[list[str]]:
    ordered = sorted(crns)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


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


def _record_json(  # noqa: PLR0917 - one record's fields, in wire order
    kind: str, record_id: str, crn: str, version: int, data: str | None, deleted: bool = False
) -> str:
    """One record as RecordChange JSON (kind and crn already JSON-encoded), its `data`
    the stored JSON text as is; a tombstone carries no data."""
    body = "null" if deleted or data is None else data
    return (
        f'{{"kind":{kind},"id":"{record_id}","crn":{crn},"version":{int(version)},'
        f'"deleted":{"true" if deleted else "false"},"data":{body}}}'
    )


_CHANGES = TypeAdapter(list[RecordChange])


def changes_of(rows: Iterable[Any]) -> list[RecordChange]:
    """Feed rows (id, kind, crn, version, deleted, data as JSON text) as sent, validated
    in one call rather than a model built per row."""
    parts = [
        _record_json(json.dumps(kind), record_id, json.dumps(crn), version, data, bool(deleted))
        for record_id, kind, crn, version, deleted, data in rows
    ]
    return _CHANGES.validate_json(f"[{','.join(parts)}]")


def snapshots(conn: Connection, crns: Collection[str]) -> list[CaseSnapshot]:
    """A snapshot of each case, in CRN order.

    Each case is assembled as JSON text from the stored record text and validated once
    by pydantic (Rust): decoding every record with json.loads and building a model per
    record cost about 3x as much for a first sync's pages.
    """
    parts: dict[str, list[str]] = defaultdict(list)
    triples: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    kinds: dict[str, str] = {}  # kind -> its JSON string, encoded once
    data = cast(records.c.data, Text)
    for chunk in _chunks(crns):
        query = (
            select(records.c.id, records.c.kind, records.c.crn, records.c.version, data)
            .where(records.c.crn.in_(chunk), records.c.deleted.is_(False))
            .order_by(records.c.crn, records.c.version)
        )
        for record_id, kind, crn, version, text in conn.execute(query).all():
            encoded = kinds.get(kind) or kinds.setdefault(kind, json.dumps(kind))
            parts[crn].append(_record_json(encoded, record_id, json.dumps(crn), version, text))
            triples[crn].append((kind, record_id, int(version)))
    result = []
    for crn in sorted(crns):
        checksum = case_checksum(triples.get(crn, []))
        body = f'{{"crn":{json.dumps(crn)},"records":[{",".join(parts.get(crn, []))}],'
        result.append(CaseSnapshot.model_validate_json(f'{body}"checksum":"{checksum}"}}'))
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
