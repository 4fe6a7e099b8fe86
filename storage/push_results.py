"""The server's answers to a push, applied to the cache: outbox rows marked, conflicts
and rejections stored as rows, and the cases they touch rebased.

One transaction (with the acknowledged seq), so a crash half-way repeats the results
instead of leaving a half-applied state. storage/ sits below sync/, so the wire model is
taken structurally: sync.protocol's MutationResult satisfies `PushResult`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from storage import outbox, state
from storage.db import CacheDb
from storage.pulled import Applied
from storage.rebase import rebase


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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _store_problem(cdb: CacheDb, row: outbox.OutboxRow, result: PushResult) -> None:
    crn = row.crns[0] if row.crns else ""
    common = (str(uuid.uuid4()), row.seq, str(row.mutation_id), crn, row.name, json.dumps(row.args))
    if result.status == "conflict":
        base = row.args.get("base_version")
        fields = [_with_base(cdb, c.model_dump(mode="json"), base) for c in result.conflicts]
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


def _with_base(cdb: CacheDb, clash: dict[str, Any], base: object) -> dict[str, Any]:
    """The value before either change, from this laptop's shadow of the server copy.

    The server keeps no history of values, so it sends `original` empty: the conflict
    screen showed "(empty)" for a real phone number. The shadow saved when the officer
    first changed the record holds the server copy their edit was based on, as long
    as no pull has moved it on since (then its version is past `base`, and the value
    is marked unknown rather than shown as empty).
    """
    if clash.get("original") is not None:
        return {**clash, "original_known": True}
    rows = cdb.query(
        "SELECT version, data FROM shadow WHERE kind = ? AND id = ?",
        (clash.get("kind"), str(clash.get("record_id"))),
    )
    shadow = rows[0] if rows else None
    if shadow is None or shadow["data"] is None or shadow["version"] != base:
        return {**clash, "original_known": False}
    original = json.loads(shadow["data"]).get(clash.get("field"))
    return {**clash, "original": original, "original_known": True}


def record_push_results(
    cdb: CacheDb, results: Sequence[PushResult], *, last_applied_seq: int
) -> Applied:
    """Mark outbox rows from the server's answers, store problems as rows, and rebase
    cases whose optimistic change the server did not (fully) take: one transaction."""
    undo: set[str] = set()
    first: dict[int, PushResult] = {}
    for result in results:
        first.setdefault(result.seq, result)  # a seq answered twice counts once
    with cdb.atomic():
        # Answered before (a retried push): results are stored once.
        waiting = outbox.still_pending(cdb, first)
        answered = [(seq, r.status, r.message) for seq, r in first.items() if seq in waiting]
        outbox.mark_answered(cdb, answered)
        for seq, status, _ in answered:
            if status != "applied":
                row = outbox.by_seq(cdb, seq)
                if row is not None:
                    _store_problem(cdb, row, first[seq])
                    undo.update(row.crns)
        acked = max(state.read(cdb).last_acked_seq, last_applied_seq)
        state.update(cdb, last_acked_seq=acked, last_success=_now())
        rebase(cdb, undo, after_seq=state.read(cdb).pulled_applied_seq)
    kinds = {"outbox", "attention"} if undo else {"outbox"}
    return Applied(frozenset(undo), frozenset(kinds))
