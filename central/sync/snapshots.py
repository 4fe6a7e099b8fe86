"""Whole-case snapshots and per-case checksums, read in bulk and sent as JSON text.

A snapshot holds a case's live records; the checksum is `sync.protocol.case_checksum`
over the same (kind, id, version) triples, so a client holding exactly the snapshot
computes the same value.

A pull page is written as JSON text straight from the stored record text
(`central.sync.wire`): the server does not decode every record and re-validate the
answer it built from its own rows (that was ~40 % of a first sync's server time).
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    cast,
    func,
    select,
)

from central.sync.checksum_memo import remembered
from central.tables import records
from sync.protocol import CaseSnapshot

# Large IN lists are split so every backend accepts them (SQLite caps bound parameters).
CHUNK = 900
FILL_FIRST = 2  # cases read first when filling a page, then 4x more a round (take)

_LIVE = records.c.deleted.is_(False)
_IN_CRNS = records.c.crn.in_(bindparam("crns", expanding=True))
# Built once with an expanding IN: a statement with hundreds of literal CRNs cost more to
# build and cache-key than to run.
_SNAPSHOT_ROWS = (
    select(
        records.c.id, records.c.kind, records.c.crn, records.c.version, cast(records.c.data, Text)
    )
    .where(_IN_CRNS, _LIVE)
    .order_by(records.c.crn, records.c.version)
)
_SNAPSHOT_ROWS_UP_TO = _SNAPSHOT_ROWS.limit(bindparam("most", type_=Integer))


def _case_lines(aggregate: Any) -> Select[str, str]:
    """Each case's checksum lines "kind:id:version" of its live records, joined by
    newlines in no particular order (one row per case; `checksums` sorts them)."""
    line = records.c.kind + ":" + records.c.id + ":" + cast(records.c.version, String)
    return (
        select(records.c.crn, aggregate(line, "\n")).where(_IN_CRNS, _LIVE).group_by(records.c.crn)
    )


# One row per case rather than one per record: the rows come in index order (no sort in
# the database), and the driver and SQLAlchemy build 100 rows instead of 27,000 for a
# first sync's last page; the lines are sorted in Python (0.21-0.25 s -> 0.09-0.11 s for
# 100 cases of the bench's caseload).
_CASE_LINES_SQLITE = _case_lines(func.group_concat)
_CASE_LINES_POSTGRES = _case_lines(func.string_agg)


def _chunks(crns: Collection[str]) -> list[list[str]]:
    ordered = sorted(crns)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def checksum_of(triples: list[tuple[str, str, int]]) -> str:
    """`sync.protocol.case_checksum` of (kind, id as text, version) triples, in one hash
    call (the same bytes: sorted lines "kind:id:version\\n"); sorts `triples` in place."""
    triples.sort()
    text = "".join([f"{kind}:{record_id}:{version}\n" for kind, record_id, version in triples])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def record_json(  # noqa: PLR0917 - one record's fields, in wire order
    kind: str, record_id: str, crn: str, version: int, data: str | None, deleted: bool = False
) -> str:
    """One record as RecordChange JSON (kind and crn already JSON-encoded), its `data`
    the stored JSON text as is; a tombstone carries no data."""
    body = "null" if deleted or data is None else data
    return (
        f'{{"kind":{kind},"id":"{record_id}","crn":{crn},"version":{int(version)},'
        f'"deleted":{"true" if deleted else "false"},"data":{body}}}'
    )


def change_json(row: Sequence[Any]) -> str:
    """A feed row (id, kind, crn, version, deleted, data as JSON text) as RecordChange JSON."""
    record_id, kind, crn, version, deleted, data = row
    return record_json(json.dumps(kind), record_id, json.dumps(crn), version, data, bool(deleted))


@dataclass(frozen=True, slots=True)
class Snapshots:
    """Whole cases for a page: each as CaseSnapshot JSON text, in CRN order."""

    crns: list[str]
    texts: list[str]
    records: int


def _assemble(crns: list[str], rows: list[Any]) -> Snapshots:
    """CaseSnapshot JSON for each of `crns` from their live rows (id, kind, crn, version,
    data), grouped by CRN and in version order within a case."""
    kinds: dict[str, str] = {}  # kind -> its JSON string, encoded once
    for kind in {row[1] for row in rows}:
        kinds[kind] = json.dumps(kind)
    texts = []
    by_crn = {crn: list(group) for crn, group in groupby(rows, key=itemgetter(2))}
    for crn in crns:
        case = by_crn.get(crn, [])
        wire_crn = json.dumps(crn)
        parts = ",".join(
            [
                f'{{"kind":{kinds[kind]},"id":"{record_id}","crn":{wire_crn},'
                f'"version":{int(version)},"deleted":false,'
                f'"data":{"null" if data is None else data}}}'
                for record_id, kind, _crn, version, data in case
            ]
        )
        checksum = checksum_of([(kind, record_id, int(v)) for record_id, kind, _c, v, _d in case])
        texts.append(f'{{"crn":{wire_crn},"records":[{parts}],"checksum":"{checksum}"}}')
    return Snapshots(crns, texts, len(rows))


def _rows(conn: Connection, crns: list[str], most: int | None = None) -> list[Any]:
    if most is None:
        return list(conn.execute(_SNAPSHOT_ROWS, {"crns": crns}).all())
    return list(conn.execute(_SNAPSHOT_ROWS_UP_TO, {"crns": crns, "most": most}).all())


def take(conn: Connection, candidates: list[str], limit: int) -> Snapshots:
    """The first of `candidates` (sorted CRNs) whose live records fit in `limit`, whole
    (at least one case, however large), read with their records.

    Cases are read a few at a time (FILL_FIRST, then 4x more a round), each read capped
    at the room left plus one row: when the cap is hit, the case the last row belongs to
    does not fit and its rows are dropped; the cases before it fit. The same cases as
    counting each case's records first and adding cases while they fit, without the
    count queries: a first sync's page holds a handful of cases.
    """
    chosen: list[str] = []
    rows: list[Any] = []
    start, step = 0, FILL_FIRST
    while start < len(candidates):
        batch = candidates[start : start + step]
        room = limit - len(rows)
        got = _rows(conn, batch, room + 1)
        if len(got) <= room:
            chosen += batch
            rows += got
            start, step = start + step, step * 4
            continue
        cut = got[-1][2]
        chosen += batch[: bisect_left(batch, cut)]
        rows += [row for row in got if row[2] != cut]
        if not chosen:  # a case larger than a page still goes, alone and whole
            chosen, rows = [cut], _rows(conn, [cut])
        break
    return _assemble(chosen, rows)


def snapshots(conn: Connection, crns: Collection[str]) -> list[CaseSnapshot]:
    """A snapshot of each case, in CRN order (the one-case re-fetch)."""
    ordered = sorted(crns)
    rows = [row for chunk in _chunks(ordered) for row in _rows(conn, chunk)]
    built = _assemble(ordered, rows)
    return [CaseSnapshot.model_validate_json(text) for text in built.texts]


def checksums(conn: Connection, crns: Collection[str]) -> dict[str, str]:
    """The checksum of each case: remembered while the case is unchanged, else computed
    (central.sync.checksum_memo)."""
    return remembered(conn, crns, computed_checksums)


def computed_checksums(conn: Connection, crns: Collection[str]) -> dict[str, str]:
    """The checksum of each case from (kind, id, version) only: no record data is read."""
    query = _CASE_LINES_SQLITE if conn.dialect.name == "sqlite" else _CASE_LINES_POSTGRES
    empty = checksum_of([])
    sums = dict.fromkeys(sorted(crns), empty)
    for chunk in _chunks(crns):
        for crn, joined in conn.execute(query, {"crns": chunk}):
            # Sorted as `case_checksum` sorts its triples: by kind, then id (ids are
            # unique, of one length, and no kind is a prefix of another, so comparing
            # the "kind:id:version" texts is comparing the triples).
            lines = joined.split("\n")
            lines.sort()
            lines.append("")
            sums[crn] = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]
    return sums
