"""`push`: apply a batch of one laptop's mutations exactly once, in seq order.

A mutation's effects, its stored result and the client's `last_applied_seq` always
commit together: on PostgreSQL each mutation in its own transaction (the feed lock is
held briefly, so laptops interleave); on SQLite the whole batch in one transaction (a
group commit: BEGIN IMMEDIATE holds the only write lock either way). So whatever is
lost, retried, duplicated or crashed, a seq is applied once: a seq at or below
`last_applied_seq` is answered from the stored result; a seq beyond
`last_applied_seq + 1` is a gap and it and everything after it in the batch are
refused (no result) so the client resends in order. A permanent failure is stored as
`rejected` and the queue moves on.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from central.auth.deps import Principal
from central.db import transaction, utcnow
from central.documents.gate import awaiting_documents
from central.metrics import MUTATIONS
from central.sync import clients, replay
from central.sync.apply import (
    Clock,
    audit_items,
    audit_refusal,
    awaiting_approval,
    compute,
    refusal_audit,
    rejected,
    result_of,
    write_effects,
    write_pins,
)
from central.sync.batch import BatchReader, BatchWriter, candidate_ids
from central.sync.conflict_authors import with_authors
from central.sync.feed import claim, existing_records, lock_cases, lock_feed, write_reserved
from central.sync.reader import SqlCaseReader
from central.sync.scope import ScopeCache
from domain.errors import FieldcaseError
from domain.mutations import MUTATIONS as KNOWN_MUTATIONS
from domain.semantics import Effects, UnsupportedMutationVersion
from sync.protocol import (
    PROTOCOL_VERSION,
    MutationEnvelope,
    MutationResult,
    PushRequest,
    PushResponse,
    ServerAction,
)

log = logging.getLogger(__name__)

# A retry under the case locks is stale only if a writer outside them (an admin's
# reallocation) changed what it read: bounded, the laptop's retry takes over after.
MAX_ATTEMPTS = 5


class Stop(Exception):
    """The batch stops here without a result for this seq (gap, or a newer mutation)."""


class Stale(Exception):
    """A record the rules read changed before the feed lock was taken: decide again
    (with `crns`, the cases to lock first next time)."""

    def __init__(self, crns: set[str]) -> None:
        super().__init__(sorted(crns))
        self.crns = crns


class Answered(Exception):
    """A concurrent push of this laptop applied the seq first: answer with its result."""

    def __init__(self, result: MutationResult) -> None:
        super().__init__(result.seq)
        self.result = result


@dataclass
class BatchOutcome:
    last_applied_seq: int
    results: dict[int, MutationResult] = field(default_factory=dict)
    action: ServerAction | None = None

    def response(self) -> PushResponse:
        return PushResponse(
            protocol_version=PROTOCOL_VERSION,
            last_applied_seq=self.last_applied_seq,
            results=[self.results[seq] for seq in sorted(self.results)],
            action=self.action,
        )


def _metric_name(name: str) -> str:
    """A known mutation name, else one label: a client's junk never grows the metrics."""
    return name if name in KNOWN_MUTATIONS else "unknown"


def push(engine: Engine, principal: Principal, request: PushRequest) -> PushResponse:
    """Apply what can be applied of `request`; the caller checked protocol and client id."""
    client_id = str(request.client_id)
    last = clients.ensure_client(engine, client_id, principal.username)
    batch = replay.in_order(request.mutations)
    known: dict[int, MutationResult] = {}
    if batch and batch[0].seq <= last:  # a resend: answer what was applied from its results
        with engine.connect() as conn:
            known = replay.stored_answers(conn, client_id, [m for m in batch if m.seq <= last])
    outcome = BatchOutcome(last)
    todo = []
    for env in batch:
        if env.seq <= last and env.seq in known:
            outcome.results[env.seq] = known[env.seq]
        else:
            todo.append(env)
    if engine.dialect.name == "sqlite":
        _apply_together(engine, principal, client_id, todo, outcome)
    else:
        _apply_each(engine, principal, client_id, todo, outcome)
    applied = sum(1 for r in outcome.results.values() if r.status == "applied")
    log.info(
        "push client=%s received=%d answered=%d applied=%d last_applied_seq=%d",
        client_id,
        len(batch),
        len(outcome.results),
        applied,
        outcome.last_applied_seq,
    )
    return outcome.response()


def _take(outcome: BatchOutcome, result: MutationResult) -> None:
    outcome.results[result.seq] = result
    outcome.last_applied_seq = max(outcome.last_applied_seq, result.seq)


def _apply_each(
    engine: Engine,
    principal: Principal,
    client_id: str,
    todo: list[MutationEnvelope],
    outcome: BatchOutcome,
) -> None:
    """PostgreSQL: each mutation in its own transaction, so the feed lock is held briefly."""
    for env in todo:
        try:
            _take(outcome, apply_one(engine, principal, client_id, env))
        except Answered as already:
            _take(outcome, already.result)
        except Stop:
            return
        except UnsupportedMutationVersion as exc:
            outcome.action = ServerAction(kind="upgrade_required", message=exc.message)
            return


def _apply_together(
    engine: Engine,
    principal: Principal,
    client_id: str,
    todo: list[MutationEnvelope],
    outcome: BatchOutcome,
) -> None:
    """SQLite: the batch in one transaction (a group commit). It holds the only write
    lock from BEGIN IMMEDIATE, as each mutation's transaction would; every answer in
    `outcome` is committed together, and a failure rolls back all and answers none.
    Everything that stops the batch is raised before that mutation writes anything.
    The batch reads what it needs once and writes with executemany (`central.sync.batch`).
    """
    decided: Counter[tuple[str, str]] = Counter()  # (name, status), counted once committed
    with transaction(engine) as conn:
        run = _Batch(conn, principal, client_id, todo)
        for env in todo:
            try:
                result = run.apply(env)
                decided[_metric_name(env.name), result.status] += 1
            except Answered as already:
                result = already.result
            except Stop:
                break
            except UnsupportedMutationVersion as exc:
                outcome.action = ServerAction(kind="upgrade_required", message=exc.message)
                break
            _take(outcome, result)
        run.writer.finish()
    for (name, status), count in decided.items():
        MUTATIONS.labels(name, status).inc(count)


class _Batch:
    """`_apply_in` and `_run` for a whole SQLite batch: the same decisions, in seq order,
    with reads made once for the batch and writes queued on a `BatchWriter`."""

    def __init__(
        self,
        conn: Connection,
        principal: Principal,
        client_id: str,
        todo: list[MutationEnvelope],
    ) -> None:
        self.conn = conn
        self.principal = principal
        self.client_id = client_id
        current = clients.last_applied(conn, client_id)
        if current is None:  # ensure_client registered it before this transaction
            raise RuntimeError(f"sync client {client_id} is not registered")
        self.current = current
        self.writer = BatchWriter(conn, principal, client_id)
        self.writer.read_taken(todo)
        self.writer.records.load(candidate_ids(todo))
        self.scope = ScopeCache(conn, principal, whole=True)

    def _reader(self, allows: Callable[[str], bool]) -> SqlCaseReader:
        return BatchReader(self.conn, allows, self.writer.records)

    def apply(self, env: MutationEnvelope) -> MutationResult:
        if env.seq <= self.current:  # applied meanwhile by a concurrent push of this laptop
            stored = replay.stored_answers(self.conn, self.client_id, [env]).get(env.seq)
            raise Answered(
                stored or MutationResult(seq=env.seq, status="applied", code="already_applied")
            )
        if env.seq > self.current + 1 or awaiting_documents(self.conn, env.args):
            raise Stop
        now = utcnow()
        if str(env.id) in self.writer.taken:
            result = MutationResult(
                seq=env.seq,
                status="rejected",
                code="duplicate_mutation_id",
                message="This change has the id of another change already received.",
            )
            self.writer.store_result(env, result, now, clashing_id=True)
            self.current = env.seq
            return result
        decided = self._decide(env, Clock(now))
        if isinstance(decided, MutationResult):
            self.writer.store_result(env, decided, now)
            refusal = refusal_audit(env, decided)
            if refusal is not None:
                self.writer.audit("access_refused", refusal[0], None, refusal[1], now)
            self.current = env.seq
            return decided
        result = with_authors(self.conn, result_of(env.seq, decided))
        if decided.pins or decided.unpins:
            if write_pins(self.conn, self.principal, env, decided, now):
                result = awaiting_approval(result)
            self.scope.forget()
        for action, crn, record_id, detail, claimed in audit_items(env, decided, now):
            self.writer.audit(action, crn, record_id, detail, now, claimed=claimed)
        self.writer.store_result(env, result, now)
        if decided.upserts:
            self.writer.write_records(decided.upserts, now=now)
        self.current = env.seq
        return result

    def _decide(self, env: MutationEnvelope, clock: Clock) -> Effects | MutationResult:
        """`_decide` over the batch's scope and records."""
        try:
            effects, _reads = compute(
                self.conn,
                self.principal,
                env,
                clock,
                scope=self.scope,
                make_reader=self._reader,
            )
            self.writer.records.existing(effects.upserts)
            return effects
        except FieldcaseError as exc:
            return _refused(env, exc)


def apply_one(
    engine: Engine, principal: Principal, client_id: str, env: MutationEnvelope
) -> MutationResult:
    """One mutation in its own transaction: effects + stored result + last_applied_seq.

    First optimistically (rules decided before the feed lock); if a record it read
    changed before the lock was taken, again with the lock taken first (on PostgreSQL the
    locks of every case the attempts read, which only grows, so this ends).
    """
    locked: set[str] | None = None
    for _attempt in range(MAX_ATTEMPTS):
        try:
            with transaction(engine) as conn:
                result = _apply_in(conn, principal, client_id, env, locked=locked)
            MUTATIONS.labels(_metric_name(env.name), result.status).inc()  # committed, once
            return result
        except Stale as stale:
            locked = stale.crns | (locked or set())
            log.info("seq=%d: a record it read changed; deciding again under the lock", env.seq)
    raise RuntimeError(f"seq={env.seq}: records it read kept changing")  # the laptop retries


def _apply_in(
    conn: Connection,
    principal: Principal,
    client_id: str,
    env: MutationEnvelope,
    *,
    locked: set[str] | None,
) -> MutationResult:
    current, id_taken = clients.lock_client(conn, client_id, env.id)
    if env.seq <= current:  # applied meanwhile by a concurrent push of this laptop
        stored = replay.stored_answers(conn, client_id, [env]).get(env.seq)
        raise Answered(
            stored or MutationResult(seq=env.seq, status="applied", code="already_applied")
        )
    if env.seq > current + 1 or awaiting_documents(conn, env.args):
        raise Stop  # a gap, or a change whose documents have not all arrived
    now = utcnow()
    if id_taken:
        result = MutationResult(
            seq=env.seq,
            status="rejected",
            code="duplicate_mutation_id",
            message="This change has the id of another change already received.",
        )
        clients.store_result(conn, client_id, env, result, now, clashing_id=True)
        return result
    return _run(conn, principal, client_id, env, Clock(now), locked=locked)


def _decide(
    conn: Connection, principal: Principal, env: MutationEnvelope, clock: Clock
) -> tuple[Effects, SqlCaseReader, dict[str, Any]] | MutationResult:
    """The effects (with what was read and the rows they replace), or a rejection."""
    try:
        effects, reads = compute(conn, principal, env, clock)
        return effects, reads, existing_records(conn, effects.upserts)
    except FieldcaseError as exc:
        return _refused(env, exc)


def _refused(env: MutationEnvelope, exc: FieldcaseError) -> MutationResult:
    """What the rules' refusal becomes, the same in a batch and alone: a mutation newer than
    this server is held (Stop: it and those behind it wait), one too old asks for an upgrade
    (re-raised), anything else is a stored rejection."""
    if isinstance(exc, UnsupportedMutationVersion):
        if exc.too_old:
            raise exc
        log.info("holding %s v%d: newer than this server", env.name[:64], env.version)
        raise Stop from exc
    log.info("rejected seq=%d name=%s (%s)", env.seq, env.name[:64], type(exc).__name__)
    return rejected(env.seq, exc)


def _run(
    conn: Connection,
    principal: Principal,
    client_id: str,
    env: MutationEnvelope,
    clock: Clock,
    *,
    locked: set[str] | None,
) -> MutationResult:
    """Decide, write everything that needs no version, then take the feed's locks last.

    `locked` (a retry) takes them first: SQLite's counter row, or PostgreSQL's case
    locks of what the last attempt read. The locks are held only for the record writes
    and the commit; under them the records read are checked unchanged, or the attempt
    is Stale. A refusal comes before any write.
    """
    if locked is not None:
        lock_feed(conn) if conn.dialect.name == "sqlite" else lock_cases(conn, locked)
    decided = _decide(conn, principal, env, clock)
    if isinstance(decided, MutationResult):
        clients.store_result(conn, client_id, env, decided, clock.now)
        audit_refusal(conn, principal, env, decided)
        return decided
    effects, reads, existing = decided
    result = with_authors(conn, result_of(env.seq, effects))
    if write_effects(conn, principal, env, effects, clock.now):
        result = awaiting_approval(result)
    clients.store_result(conn, client_id, env, result, clock.now)
    if effects.upserts:
        crns = reads.crns | {u.crn for u in effects.upserts}
        lock_cases(conn, crns - (locked or set()))  # PostgreSQL only
        existing, versions = claim(conn, effects.upserts, existing)  # SQLite: the feed lock
        # On SQLite this transaction has held the only write lock since BEGIN IMMEDIATE:
        # nothing it read can have changed, so the re-check is skipped.
        if conn.dialect.name != "sqlite" and not reads.unchanged():
            raise Stale(crns)
        write_reserved(
            conn, effects.upserts, existing, versions, actor=principal.username, now=clock.now
        )
    return result
