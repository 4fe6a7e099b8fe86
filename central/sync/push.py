"""`push`: apply a batch of one laptop's mutations exactly once, in seq order.

A mutation's effects, its stored result and the client's `last_applied_seq` always
commit together, and a batch commits in one transaction (a group commit: one BEGIN and
COMMIT, one WAL flush). On SQLite BEGIN IMMEDIATE holds the only write lock either way.
On PostgreSQL writers of different cases run in parallel (`central.sync.feed`); the
batch locks the cases its mutations name up front, in CRN order, decides each mutation
before it writes anything (so a rejection touches no other mutation, with no savepoint
needed; `central.sync.group`) and commits at most MAX_BATCH_TRANSACTION mutations at a
time, so its locks and the pulls' watermark are held back only briefly; a deadlock (or
a record found changed by a writer that skipped the case lock) is run once more, then
answered busy. So whatever is
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

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from central.auth.deps import Principal
from central.db import transaction
from central.metrics import MUTATIONS
from central.sync import clients, replay
from central.sync.batch import ChangedUnderBatch
from central.sync.group import GroupBatch
from central.sync.mutation import Answered, BatchRun, Stop
from domain.mutations import MUTATIONS as KNOWN_MUTATIONS
from domain.semantics import UnsupportedMutationVersion
from sync.protocol import (
    PROTOCOL_VERSION,
    MutationEnvelope,
    MutationResult,
    PushRequest,
    PushResponse,
    ServerAction,
)

log = logging.getLogger(__name__)

# Mutations per PostgreSQL transaction: a push of up to MAX_PUSH_BATCH (500) commits in
# parts, so no transaction holds its case locks, or the pulls' watermark, for long.
MAX_BATCH_TRANSACTION = 50


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

        def begin(conn: Connection) -> BatchRun:
            return GroupBatch(conn, principal, client_id, todo)

        _apply_together(engine, todo, outcome, begin)
    else:
        _apply_in_batches(engine, principal, client_id, todo, outcome)
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


def _apply_in_batches(
    engine: Engine,
    principal: Principal,
    client_id: str,
    todo: list[MutationEnvelope],
    outcome: BatchOutcome,
) -> None:
    """PostgreSQL: group commits of at most MAX_BATCH_TRANSACTION mutations each, so a
    transaction (and the watermark it holds back) stays short. A deadlock or
    serialization failure rolls the transaction back with nothing answered; it is run
    once more, then left to the router's 503 (the laptop resends)."""
    for start in range(0, len(todo), MAX_BATCH_TRANSACTION):
        part = todo[start : start + MAX_BATCH_TRANSACTION]

        def begin(conn: Connection, part: list[MutationEnvelope] = part) -> BatchRun:
            return GroupBatch(conn, principal, client_id, part)

        for attempt in range(2):
            try:
                finished = _apply_together(engine, part, outcome, begin)
                break
            except OperationalError as exc:
                if attempt or not _transient(exc):
                    raise
                log.info("push batch %s; running it again", type(exc.orig).__name__)
            except ChangedUnderBatch:
                if attempt:
                    raise
                log.warning("push batch: a record changed outside its case lock; running again")
        if not finished:
            return


def _transient(exc: OperationalError) -> bool:
    """A deadlock (40P01) or serialization failure (40001): safe to run again."""
    return getattr(exc.orig, "sqlstate", None) in {"40P01", "40001"}


def _apply_together(
    engine: Engine,
    todo: list[MutationEnvelope],
    outcome: BatchOutcome,
    begin: Callable[[Connection], BatchRun],
) -> bool:
    """The batch in one transaction (a group commit); whether it ran to its end.

    Every answer is taken into `outcome` only once committed together with its effects
    and `last_applied_seq`; a failure rolls back all and answers none. Everything that
    stops the batch is raised before that mutation writes anything (on both databases;
    code added after a write would need a savepoint). The run (`GroupBatch`) reads and
    writes in bulk (`central.sync.batch`): on SQLite under the only write lock, from
    BEGIN IMMEDIATE; on PostgreSQL under its case locks, held to the commit.
    """
    decided: Counter[tuple[str, str]] = Counter()  # (name, status), counted once committed
    answers: list[MutationResult] = []
    action: ServerAction | None = None
    finished = True
    with transaction(engine) as conn:
        run = begin(conn)
        for env in todo:
            try:
                result = run.apply(env)
                decided[_metric_name(env.name), result.status] += 1
            except Answered as already:
                result = already.result
            except Stop:
                finished = False
                break
            except UnsupportedMutationVersion as exc:
                action = ServerAction(kind="upgrade_required", message=exc.message)
                finished = False
                break
            answers.append(result)
        run.finish()
    for result in answers:
        _take(outcome, result)
    outcome.action = action or outcome.action
    for (name, status), count in decided.items():
        MUTATIONS.labels(name, status).inc(count)
    return finished
