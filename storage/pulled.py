"""What the server sends in pulled pages, applied to the cache (push results:
storage/push_results.py).

Each call is ONE transaction (with the cursor), so a crash half-way repeats the page
instead of leaving a half-applied state. storage/ sits below sync/, so the wire models
are taken structurally (Protocols): sync.protocol's RecordChange and CaseSnapshot
satisfy them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from storage import documents, records, state
from storage.db import CacheDb
from storage.deferred import (
    build_deferred_indexes,
    build_id_index,
    defer_indexes,
    deferred_id_kinds,
)
from storage.rebase import rebase
from storage.records import search_text
from storage.schema import RECORD_KINDS, SEARCHED

log = logging.getLogger(__name__)


class Change(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def crn(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def data(self) -> dict[str, Any] | None: ...
    @property
    def data_json(self) -> str | None:
        """`data` as compact JSON text (a received page's text as sent)."""
        ...


class Snapshot(Protocol):
    @property
    def crn(self) -> str: ...
    @property
    def records(self) -> Sequence[Change]: ...


@dataclass(frozen=True, slots=True)
class Applied:
    """Which cases and kinds a page or result set changed; `caseload` when cases came/went."""

    cases: frozenset[str]
    kinds: frozenset[str]
    caseload: bool = False


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def held_cases(cdb: CacheDb) -> list[str]:
    """The CRNs on this laptop, for the next pull request."""
    return [r["crn"] for r in cdb.query("SELECT crn FROM held_case ORDER BY crn")]


# Rows per INSERT statement when snapshots are written. One multi-row statement rather
# than one statement a row (executemany): the FTS triggers still index every row in the
# same transaction, but FTS5 flushes its pending terms to a new index segment at each
# statement's savepoint, so a statement a row wrote (and merged) one tiny segment per
# record: ~4x slower for a first sync. 6 parameters a row stays far below SQLite's
# 32,766-parameter bound.
ROWS_PER_INSERT = 500

Row = tuple[str, str, int, str, str]  # id, crn, version, data, search_text


def _upsert_rows_sql(kind: str, count: int, *, new: bool = False) -> str:
    """records.put's upsert (same columns, same conflict rule) for `count` rows; `new`:
    rows known not to be there, a plain INSERT (needs no `id` index)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    values = ", ".join(["(?, ?, ?, 0, ?, ?)"] * count)
    insert = f"INSERT INTO {kind} (id, crn, version, pending, data, search_text) VALUES {values}"  # noqa: S608
    if new:
        return insert
    return insert + (
        " ON CONFLICT (id) DO UPDATE SET crn = excluded.crn, version = excluded.version,"
        " pending = excluded.pending, data = excluded.data, search_text = excluded.search_text"
    )


def _put_rows(cdb: CacheDb, kind: str, rows: list[Row], *, new: bool = False) -> None:
    for start in range(0, len(rows), ROWS_PER_INSERT):
        part = rows[start : start + ROWS_PER_INSERT]
        sql = _upsert_rows_sql(kind, len(part), new=new)
        cdb.execute(sql, [v for row in part for v in row])


def snapshot_rows(snapshots: Sequence[Snapshot]) -> dict[str, list[Row]]:
    """The rows `_replace` writes for `snapshots`, by kind, derived as `records.put`
    derives them (compact JSON, `records.search_text`), in snapshot order.

    Pure (no cache access): the sync engine derives them on the thread that fetched the
    page, while the writer thread is still writing the one before (docs/sync.md).
    """
    by_kind: dict[str, list[Row]] = {}
    for snapshot in snapshots:
        for record in snapshot.records:
            text = None if record.deleted else record.data_json
            if text is None:
                continue
            row = (str(record.id), record.crn, record.version, text)
            by_kind.setdefault(record.kind, []).append((*row, _search_text(record)))
    return by_kind


def _search_text(record: Change) -> str:
    """`records.search_text`, decoding `data` only for the kinds the search indexes."""
    if record.kind not in SEARCHED:
        return ""
    return search_text(record.kind, record.data or {})


def _replace(
    cdb: CacheDb, snapshots: Sequence[Snapshot], rows: dict[str, list[Row]] | None = None
) -> None:
    """Whole cases in: each case's old rows go, then every kind's rows in bulk.

    `rows`: `snapshot_rows(snapshots)` when already derived. They keep snapshot order,
    so each case's rows keep the server's order. Kinds whose `id` index a pull from
    scratch deferred get plain INSERTs: their case was just emptied, and the server
    sends each record once (storage/deferred.py builds the index whatever happens).
    """
    received = _now()
    unindexed = deferred_id_kinds(cdb) if snapshots else set()
    for snapshot in snapshots:
        records.delete_case(cdb, snapshot.crn)
        cdb.execute(
            "INSERT INTO held_case (crn, received_at) VALUES (?, ?)"
            " ON CONFLICT (crn) DO UPDATE SET received_at = excluded.received_at",
            (snapshot.crn, received),
        )
    for kind, kind_rows in (snapshot_rows(snapshots) if rows is None else rows).items():
        _put_rows(cdb, kind, kind_rows, new=kind in unindexed)


def _evict(cdb: CacheDb, crn: str) -> None:
    """Every row, search entry and shadow of the case goes; its queued mutations stay
    queued (the seq order must stay gap-free; the server decides and a refusal becomes
    a visible rejection), they are just no longer applied locally."""
    records.delete_case(cdb, crn)
    cdb.execute("DELETE FROM held_case WHERE crn = ?", (crn,))
    cdb.execute("DELETE FROM draft WHERE crn = ?", (crn,))  # unsaved forms hold its notes
    documents.forget_unreferenced(cdb)  # its documents' bytes (unless still to be sent)


def _apply_changes(cdb: CacheDb, changes: Sequence[Change]) -> list[Change]:
    """Upsert or delete each change of a held case, in order; into its shadow when a
    local change is pending. Returns the changes applied.

    Upserts are gathered into multi-row INSERTs (see ROWS_PER_INSERT); a tombstone first
    writes what was gathered, so a record's versions still land in feed order. Both find
    rows by `id`: an index a pull from scratch deferred is built first (an upsert needs
    it; a delete would read the whole table without it).
    """
    if not changes:
        return []
    unindexed = deferred_id_kinds(cdb)
    held = set(held_cases(cdb))
    shadowed = {(r["kind"], r["id"]) for r in cdb.query("SELECT kind, id FROM shadow")}
    gathered: dict[str, list[Row]] = {}

    def indexed(kind: str) -> str:
        if kind in unindexed:
            build_id_index(cdb, kind)
            unindexed.discard(kind)
        return kind

    def write_gathered() -> None:
        for kind, rows in gathered.items():
            _put_rows(cdb, indexed(kind), rows)
        gathered.clear()

    applied: list[Change] = []
    for change in changes:
        if change.crn not in held:
            continue
        applied.append(change)
        key = (change.kind, str(change.id))
        text = None if change.deleted else change.data_json
        if key in shadowed:
            cdb.execute(
                "UPDATE shadow SET version = ?, data = ? WHERE kind = ? AND id = ?",
                (change.version, text, *key),
            )
        elif text is None:
            write_gathered()
            records.delete(cdb, indexed(change.kind), change.id)
        else:
            row = (key[1], change.crn, change.version, text)
            gathered.setdefault(change.kind, []).append((*row, _search_text(change)))
    write_gathered()
    return applied


def apply_pull_page(
    cdb: CacheDb,
    *,
    snapshots: Sequence[Snapshot] = (),
    changes: Sequence[Change] = (),
    evicted: Sequence[str] = (),
    cursor: str,
    last_applied_seq: int,
    more_to_come: bool = False,
    rows: dict[str, list[Row]] | None = None,
) -> Applied:
    """Snapshots, evictions, changes, cursor and rebase: one transaction (a savepoint
    when called inside one: a pull from scratch applies a chunk of pages per
    transaction, storage/chunked.py).

    `more_to_come`: the server has further pages for this pull. Such a page commits
    without an fsync (`CacheDb.re_downloadable`: a power cut may make the next pull ask
    for it again, a crash loses nothing); the pull's last page commits with FULL and
    makes the whole pull durable, and leaves its WAL checkpoint to a thread
    (`CacheDb.checkpoint_behind`). The connection keeps a larger page cache from then on
    (`CacheDb.use_pull_cache`).

    `rows`: `snapshot_rows(snapshots)`, when the caller derived them ahead (off this
    thread); derived here otherwise.
    """
    cdb.use_pull_cache()
    alone = not cdb.conn.in_transaction  # else a chunk of pages (storage/chunked.py)
    with (
        cdb.re_downloadable()
        if alone and more_to_come
        else cdb.checkpoint_behind()
        if alone
        else contextlib.nullcontext(cdb)
    ):
        return _apply_pull_page(
            cdb,
            snapshots=snapshots,
            changes=changes,
            evicted=evicted,
            cursor=cursor,
            last_applied_seq=last_applied_seq,
            more_to_come=more_to_come,
            rows=rows,
        )


def _apply_pull_page(
    cdb: CacheDb,
    *,
    snapshots: Sequence[Snapshot],
    changes: Sequence[Change],
    evicted: Sequence[str],
    cursor: str,
    last_applied_seq: int,
    more_to_come: bool,
    rows: dict[str, list[Row]] | None,
) -> Applied:
    touched: set[str] = set()
    kinds: set[str] = set()
    with cdb.atomic():
        scratch = more_to_come and from_scratch(cdb)
        if scratch:
            defer_indexes(cdb)
        _replace(cdb, snapshots, rows)
        touched.update(s.crn for s in snapshots)
        for crn in evicted:
            _evict(cdb, crn)
        for change in _apply_changes(cdb, changes):
            touched.add(change.crn)
            kinds.add(change.kind)
        state.update(
            cdb,
            cursor=cursor,
            pulled_applied_seq=last_applied_seq,
            last_success=_now(),
            last_error=None,
            pull_from_scratch=scratch,
        )
        rebase(cdb, touched - set(evicted), after_seq=last_applied_seq)
        if not more_to_come:
            build_deferred_indexes(cdb)
    if snapshots:
        kinds.update(RECORD_KINDS)
    sizes = (len(snapshots), len(changes), len(evicted))
    log.info("pulled page: %d snapshots, %d changes, %d evicted", *sizes)
    cases = frozenset(touched | set(evicted))
    return Applied(cases, frozenset(kinds), caseload=bool(snapshots or evicted))


def from_scratch(cdb: CacheDb) -> bool:
    """Whether the next page belongs to a pull from scratch: none has been pulled yet
    (no cursor), or one that started so is part-way (`sync_state.pull_from_scratch`,
    kept across a crash or a restart)."""
    current = state.read(cdb)
    return current.cursor is None or current.pull_from_scratch


def replace_case(cdb: CacheDb, snapshot: Snapshot) -> Applied:
    """Re-fetched case (checksum drift): replaced whole, pending changes re-applied."""
    with cdb.atomic():
        _replace(cdb, [snapshot])
        rebase(cdb, [snapshot.crn], after_seq=state.read(cdb).pulled_applied_seq)
    return Applied(frozenset({snapshot.crn}), frozenset(RECORD_KINDS), caseload=True)


def evict(cdb: CacheDb, crns: Iterable[str]) -> Applied:
    gone = sorted(set(crns))
    with cdb.atomic():
        for crn in gone:
            _evict(cdb, crn)
    return Applied(frozenset(gone), frozenset(RECORD_KINDS), caseload=True)


def reset_for_redownload(cdb: CacheDb) -> None:
    """Forget every case and the cursor; the outbox and the problem lists stay."""
    with cdb.atomic():
        for crn in [r["crn"] for r in cdb.query("SELECT crn FROM held_case")]:
            _evict(cdb, crn)
        cdb.execute("DELETE FROM shadow")
        state.update(cdb, cursor=None, pulled_applied_seq=0, pull_from_scratch=False)
