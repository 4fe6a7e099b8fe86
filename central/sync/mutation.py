"""One mutation's run on PostgreSQL, inside its push batch's transaction.

Decided without a case lock where the batch holds none, everything that needs no version
written, then the cases read or written locked (`central.sync.feed`), the records read
re-checked unchanged (else `Stale`: decided again with the locks taken first), versions
taken and records written. `Locked` runs the mutations of a batch one after another in
the batch's transaction, with no savepoint: everything that stops or re-decides a
mutation happens before it writes anything (see `Locked`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import Connection

from central.auth.deps import Principal
from central.db import utcnow
from central.documents.gate import awaiting_documents
from central.sync import clients, replay
from central.sync.apply import (
    Clock,
    awaiting_approval,
    compute,
    rejected,
    result_of,
    write_pins,
)
from central.sync.batch_log import BatchLog
from central.sync.conflict_authors import with_authors
from central.sync.feed import claim, existing_records, lock_cases, write_reserved
from central.sync.reader import SqlCaseReader
from central.sync.scope import ScopeCache
from domain.errors import FieldcaseError
from domain.semantics import Effects, UnsupportedMutationVersion
from sync.protocol import MutationEnvelope, MutationResult

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


class BatchRun:
    """One batch's run in its transaction: each mutation applied in seq order, then
    `finish` (before the commit)."""

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
        self.start(todo)

    def start(self, todo: list[MutationEnvelope]) -> None:
        """What the run reads or locks for the whole batch, first."""

    def apply(self, env: MutationEnvelope) -> MutationResult:
        raise NotImplementedError

    def finish(self) -> None:
        """Nothing left to write by default: every write went out as it was made."""


class Locked(BatchRun):
    """`apply_in` for each mutation of a PostgreSQL batch, in one transaction.

    The cases the arguments name are locked together up front, in CRN order, so two
    batches of the same cases queue rather than deadlock; a case found only while
    deciding is locked then (a rare deadlock is retried by `push`). Whatever stops or
    retries a mutation (Stale, Stop, Answered) is raised before it writes anything, so
    no savepoint is needed: a retry or a rejection never undoes another mutation (a
    SAVEPOINT and RELEASE per mutation cost as much as the BEGIN and COMMIT they
    replace). The retries are bounded; then the batch stops there and the laptop resends.
    """

    def start(self, todo: list[MutationEnvelope]) -> None:
        self.current = clients.lock_seq(self.conn, self.client_id)  # its pushes queue
        self.taken = clients.taken_ids(self.conn, [str(env.id) for env in todo])
        self.moved: tuple[int, dt.datetime] | None = None
        self.held = {str(e.args["crn"]) for e in todo if isinstance(e.args.get("crn"), str)}
        lock_cases(self.conn, self.held)
        self.kept = BatchLog(self.conn, self.principal, self.client_id)  # results, audit
        # The officer's scope read once for the batch (one query, not one a mutation),
        # after the case locks: a reallocation of a held case (which takes the case's
        # lock, central.admin) cannot change it meanwhile. Pins and unpins forget it.
        self.scope = ScopeCache(self.conn, self.principal, whole=True)

    def apply(self, env: MutationEnvelope) -> MutationResult:
        admit(self.conn, self.client_id, env, self.current)
        now = utcnow()
        if str(env.id) in self.taken:
            result = duplicate(env)
            self.kept.store_result(env, result, now, clashing_id=True)
        else:
            result = self._run(env, Clock(now))
        self.current, self.moved = env.seq, (env.seq, now)
        self.taken.add(str(env.id))
        return result

    def _run(self, env: MutationEnvelope, clock: Clock) -> MutationResult:
        locked: set[str] | None = None
        for _attempt in range(MAX_ATTEMPTS):
            held = set(self.held)
            try:
                result = run(
                    self.conn,
                    self.principal,
                    env,
                    clock,
                    locked=locked,
                    held=held,
                    scope=self.scope,
                    kept=self.kept,
                )
            except Stale as stale:
                locked = stale.crns | (locked or set())
                log.info("seq=%d: a record it read changed; deciding again locked", env.seq)
                continue
            self.held = held
            return result
        log.warning("seq=%d: records it read kept changing; the laptop resends", env.seq)
        raise Stop

    def finish(self) -> None:
        """The batch's results and audit (two INSERTs), and the laptop's seq, moved once."""
        self.kept.flush_log()
        if self.moved is not None:
            clients.move_seq(self.conn, self.client_id, *self.moved)


def admit(conn: Connection, client_id: str, env: MutationEnvelope, current: int) -> None:
    """Raise unless `env` is the laptop's next seq: Answered when a concurrent push of
    this laptop applied it first, Stop at a gap or while its documents have not all
    arrived (it and those behind it wait)."""
    if env.seq <= current:
        stored = replay.stored_answers(conn, client_id, [env]).get(env.seq)
        raise Answered(
            stored or MutationResult(seq=env.seq, status="applied", code="already_applied")
        )
    if env.seq > current + 1 or awaiting_documents(conn, env.args):
        raise Stop


def duplicate(env: MutationEnvelope) -> MutationResult:
    """The answer to a mutation whose id another stored mutation already has."""
    return MutationResult(
        seq=env.seq,
        status="rejected",
        code="duplicate_mutation_id",
        message="This change has the id of another change already received.",
    )


def decide(
    conn: Connection,
    principal: Principal,
    env: MutationEnvelope,
    clock: Clock,
    scope: ScopeCache | None = None,
) -> tuple[Effects, SqlCaseReader, dict[str, Any]] | MutationResult:
    """The effects (with what was read and the rows they replace), or a rejection."""
    try:
        effects, reads = compute(conn, principal, env, clock, scope=scope)
        return effects, reads, existing_records(conn, effects.upserts)
    except FieldcaseError as exc:
        return refused(env, exc)


def refused(env: MutationEnvelope, exc: FieldcaseError) -> MutationResult:
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


def run(
    conn: Connection,
    principal: Principal,
    env: MutationEnvelope,
    clock: Clock,
    *,
    locked: set[str] | None,
    held: set[str],
    scope: ScopeCache,
    kept: BatchLog,
) -> MutationResult:
    """PostgreSQL: decide, lock the cases read or written that the batch does not hold
    yet (`held`, which grows) and the rows rewritten, check, then write.

    `locked` (a retry) takes the case locks of what the last attempt read first. Under
    the locks the records read are checked unchanged (a writer outside them, such as an
    admin's reallocation, may have changed one), or the attempt is Stale. A refusal and
    a Stale attempt come before any write, so neither needs a savepoint to undo it.
    Results and audit go to `kept`, written together at the batch's end.
    """
    if locked is not None:
        lock_cases(conn, locked - held)
        held |= locked
    decided = decide(conn, principal, env, clock, scope)
    if isinstance(decided, MutationResult):
        kept.refusal(env, decided, clock.now)
        return decided
    effects, reads, existing = decided
    versions: list[int] = []
    if effects.upserts:
        crns = reads.crns | {u.crn for u in effects.upserts}
        lock_cases(conn, crns - (locked or set()) - held)
        held |= crns
        existing, versions = claim(conn, effects.upserts, existing)
        if not reads.unchanged():
            raise Stale(crns)
    result = with_authors(conn, result_of(env.seq, effects))
    if effects.pins or effects.unpins:
        if write_pins(conn, principal, env, effects, clock.now):
            result = awaiting_approval(result)
        scope.forget()  # the scope itself changed
    kept.applied(env, effects, result, clock.now)
    if effects.upserts:
        write_reserved(
            conn, effects.upserts, existing, versions, actor=principal.username, now=clock.now
        )
    return result
