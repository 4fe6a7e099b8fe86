"""What the server sends, applied to the cache: pulled pages and push results.

Each call is ONE transaction (with the cursor or the acknowledged seq), so a crash
half-way repeats the page or the results instead of leaving a half-applied state.
storage/ sits below sync/, so the wire models are taken structurally (Protocols):
sync.protocol's RecordChange, CaseSnapshot and MutationResult satisfy them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from storage import outbox, records, state
from storage.db import CacheDb
from storage.rebase import rebase
from storage.schema import RECORD_KINDS

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


class Snapshot(Protocol):
    @property
    def crn(self) -> str: ...
    @property
    def records(self) -> Sequence[Change]: ...


class FieldClash(Protocol):
    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


class PushResult(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def code(self) -> str | None: ...
    @property
    def message(self) -> str | None: ...
    @property
    def conflicts(self) -> Sequence[FieldClash]: ...


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


def _replace(cdb: CacheDb, snapshot: Snapshot) -> None:
    records.delete_case(cdb, snapshot.crn)
    by_kind: dict[str, list[tuple[uuid.UUID, str, int, dict[str, Any]]]] = {}
    for record in snapshot.records:
        if not record.deleted and record.data is not None:
            item = (record.id, record.crn, record.version, record.data)
            by_kind.setdefault(record.kind, []).append(item)
    for kind, items in by_kind.items():
        records.put_many(cdb, kind, items)
    cdb.execute(
        "INSERT INTO held_case (crn, received_at) VALUES (?, ?)"
        " ON CONFLICT (crn) DO UPDATE SET received_at = excluded.received_at",
        (snapshot.crn, _now()),
    )


def _evict(cdb: CacheDb, crn: str) -> None:
    """Every row, search entry and shadow of the case goes; its queued mutations stay
    queued (the seq order must stay gap-free; the server decides and a refusal becomes
    a visible rejection), they are just no longer applied locally."""
    records.delete_case(cdb, crn)
    cdb.execute("DELETE FROM held_case WHERE crn = ?", (crn,))
    cdb.execute("DELETE FROM draft WHERE crn = ?", (crn,))  # unsaved forms hold its notes


def _apply_change(cdb: CacheDb, change: Change) -> bool:
    """Upsert or delete one record; into its shadow when a local change is pending."""
    if not cdb.one("SELECT 1 FROM held_case WHERE crn = ?", (change.crn,)):
        return False
    key = (change.kind, str(change.id))
    if cdb.one("SELECT 1 FROM shadow WHERE kind = ? AND id = ?", key):
        data = None if change.deleted or change.data is None else json.dumps(change.data)
        cdb.execute(
            "UPDATE shadow SET version = ?, data = ? WHERE kind = ? AND id = ?",
            (change.version, data, *key),
        )
    elif change.deleted or change.data is None:
        records.delete(cdb, change.kind, change.id)
    else:
        records.put(
            cdb,
            change.kind,
            change.id,
            crn=change.crn,
            version=change.version,
            data=change.data,
        )
    return True


def apply_pull_page(
    cdb: CacheDb,
    *,
    snapshots: Sequence[Snapshot] = (),
    changes: Sequence[Change] = (),
    evicted: Sequence[str] = (),
    cursor: str,
    last_applied_seq: int,
) -> Applied:
    """Snapshots, evictions, changes, cursor and rebase: one transaction."""
    touched: set[str] = set()
    kinds: set[str] = set()
    with cdb.atomic():
        for snapshot in snapshots:
            _replace(cdb, snapshot)
            touched.add(snapshot.crn)
        for crn in evicted:
            _evict(cdb, crn)
        for change in changes:
            if _apply_change(cdb, change):
                touched.add(change.crn)
                kinds.add(change.kind)
        state.update(
            cdb,
            cursor=cursor,
            pulled_applied_seq=last_applied_seq,
            last_success=_now(),
            last_error=None,
        )
        rebase(cdb, touched - set(evicted), after_seq=last_applied_seq)
    if snapshots:
        kinds.update(RECORD_KINDS)
    sizes = (len(snapshots), len(changes), len(evicted))
    log.info("pulled page: %d snapshots, %d changes, %d evicted", *sizes)
    cases = frozenset(touched | set(evicted))
    return Applied(cases, frozenset(kinds), caseload=bool(snapshots or evicted))


def replace_case(cdb: CacheDb, snapshot: Snapshot) -> Applied:
    """Re-fetched case (checksum drift): replaced whole, pending changes re-applied."""
    with cdb.atomic():
        _replace(cdb, snapshot)
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
        state.update(cdb, cursor=None, pulled_applied_seq=0)


def _store_problem(cdb: CacheDb, row: outbox.OutboxRow, result: PushResult) -> None:
    crn = row.crns[0] if row.crns else ""
    common = (str(uuid.uuid4()), row.seq, str(row.mutation_id), crn, row.name, json.dumps(row.args))
    if result.status == "conflict":
        fields = [c.model_dump(mode="json") for c in result.conflicts]
        cdb.execute(
            "INSERT INTO conflict (id, seq, mutation_id, crn, name, args, fields, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*common, json.dumps(fields), _now()),
        )
    else:
        cdb.execute(
            "INSERT INTO rejection (id, seq, mutation_id, crn, name, args, code, message,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*common, result.code, result.message or "The change was refused.", _now()),
        )


def record_push_results(
    cdb: CacheDb, results: Sequence[PushResult], *, last_applied_seq: int
) -> Applied:
    """Mark outbox rows from the server's answers, store problems as rows, and rebase
    cases whose optimistic change the server did not (fully) take: one transaction."""
    undo: set[str] = set()
    with cdb.atomic():
        for result in results:
            row = outbox.by_seq(cdb, result.seq)
            if row is None or row.state not in outbox.PENDING_STATES:
                continue  # answered before (a retried push): results are stored once
            outbox.set_state(cdb, [row.seq], result.status, error=result.message)
            if result.status != "applied":
                _store_problem(cdb, row, result)
                undo.update(row.crns)
        acked = max(state.read(cdb).last_acked_seq, last_applied_seq)
        state.update(cdb, last_acked_seq=acked, last_success=_now())
        rebase(cdb, undo, after_seq=state.read(cdb).pulled_applied_seq)
    kinds = {"outbox", "attention"} if undo else {"outbox"}
    return Applied(frozenset(undo), frozenset(kinds))
