"""`GroupBatch`: one push batch decided and written in one transaction, on both databases.

The same run serves SQLite and PostgreSQL (`central.sync.batch` holds its reads and
queued writes). What differs is what keeps the batch's reads current until its commit:

- SQLite: `BEGIN IMMEDIATE` holds the only write lock, so every case is the batch's.
- PostgreSQL: writers of different cases run in parallel. The batch locks the cases its
  mutations name up front, in CRN order (two batches of the same cases queue rather than
  deadlock; `central.sync.feed.lock_cases`), before it reads anything. A mutation whose
  rules read or write another case has that case locked too, what the batch had read of
  it dropped, and is decided again under the lock. Every writer of a case's records takes
  that case's lock (pushes here, a reallocation in `central.admin`), so nothing a
  mutation was decided on can change before the commit; `BatchRecords.verify` checks
  that once, before the commit, against a writer that skipped the lock.

A mutation's reads and writes thus cost no statement of their own when its cases are
held: the batch reads the records its arguments name in one query, takes versions in
blocks, and writes records, results and audit in one executemany each at the end.
Whatever stops the batch (Stop, Answered, a newer mutation) is raised before that
mutation writes anything, so no savepoint is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from central.db import utcnow
from central.sync import clients
from central.sync.apply import Clock, awaiting_approval, compute, result_of, write_pins
from central.sync.batch import BatchReader, BatchWriter, candidate_ids
from central.sync.conflict_authors import with_authors
from central.sync.feed import lock_cases
from central.sync.mutation import BatchRun, Stop, admit, duplicate, refused
from central.sync.reader import SqlCaseReader
from central.sync.scope import ScopeCache
from central.versions import parallel_writers
from domain.errors import FieldcaseError
from domain.semantics import Effects
from sync.protocol import MutationEnvelope, MutationResult

log = logging.getLogger(__name__)

# Decisions of one mutation, each after locking the cases the last one found it needs:
# two suffice unless the records it reads keep moving between cases.
MAX_ATTEMPTS = 5


class GroupBatch(BatchRun):
    """Each mutation of a batch in seq order, with reads made once and writes queued."""

    def start(self, todo: list[MutationEnvelope]) -> None:
        self.parallel = parallel_writers(self.conn)
        if self.parallel:
            self.current = clients.lock_seq(self.conn, self.client_id)  # its pushes queue
        else:
            current = clients.last_applied(self.conn, self.client_id)
            if current is None:  # ensure_client registered it before this transaction
                raise RuntimeError(f"sync client {self.client_id} is not registered")
            self.current = current
        self.writer = BatchWriter(self.conn, self.principal, self.client_id)
        self.writer.read_taken(todo)
        # The officer's scope, read once for the batch on first use (after the case
        # locks: a reallocation takes the case's lock). Pins, unpins and new locks
        # forget it.
        self.scope = ScopeCache(self.conn, self.principal, whole=True)
        # PostgreSQL: the cases the arguments name, locked before anything is read.
        self.held = {str(e.args["crn"]) for e in todo if isinstance(e.args.get("crn"), str)}
        if self.parallel:
            lock_cases(self.conn, self.held)
        named = candidate_ids(todo)
        self.writer.records.load(named)
        if self.parallel:  # records named by id alone (an outcome names its contact):
            more = self.writer.records.crns() - self.held
            if more:  # lock their cases too, then read them again under the locks
                self._lock(more)
                self.writer.records.load(named)
        self._left = len(todo)

    def _reader(self, allows: Callable[[str], bool]) -> SqlCaseReader:
        return BatchReader(self.conn, allows, self.writer.records)

    def apply(self, env: MutationEnvelope) -> MutationResult:
        self.writer.versions.ahead = self._left  # this one and those behind it
        self._left -= 1
        admit(self.conn, self.client_id, env, self.current)
        now = utcnow()
        if str(env.id) in self.writer.taken:
            result = duplicate(env)
            self.writer.store_result(env, result, now, clashing_id=True)
            self.current = env.seq
            return result
        decided = self._decide(env, Clock(now))
        if isinstance(decided, MutationResult):
            self.writer.refusal(env, decided, now)
            self.current = env.seq
            return decided
        if decided.conflicts:  # their authors are read from the database
            self.writer.records.flush()
        result = with_authors(self.conn, result_of(env.seq, decided))
        if decided.pins or decided.unpins:
            if write_pins(self.conn, self.principal, env, decided, now):
                result = awaiting_approval(result)
            self.scope.forget()
        self.writer.applied(env, decided, result, now)
        if decided.upserts:
            self.writer.write_records(decided.upserts, now=now)
        self.current = env.seq
        return result

    def _decide(self, env: MutationEnvelope, clock: Clock) -> Effects | MutationResult:
        """The effects of `env` decided over the batch's reads, or its refusal; on
        PostgreSQL decided again after locking any case it needs that the batch did
        not hold (what was read of it before the lock is dropped first)."""
        for _attempt in range(MAX_ATTEMPTS):
            try:
                effects, reads = compute(
                    self.conn,
                    self.principal,
                    env,
                    clock,
                    scope=self.scope,
                    make_reader=self._reader,
                )
                self.writer.records.existing(effects.upserts)
            except FieldcaseError as exc:
                return refused(env, exc)
            if not self.parallel:
                return effects
            missing = (reads.crns | {u.crn for u in effects.upserts}) - self.held
            if not missing:
                return effects
            self._lock(missing)
            log.info("seq=%d: reads %d more case(s); deciding again locked", env.seq, len(missing))
        log.warning("seq=%d: the cases it reads kept changing; the laptop resends", env.seq)
        raise Stop

    def _lock(self, crns: set[str]) -> None:
        """Hold these cases too; what the batch knew of them, its scope and the rest of
        its versions block (taken before this lock) are dropped."""
        lock_cases(self.conn, crns)
        self.held |= crns
        self.writer.records.forget(crns)
        self.writer.versions.forget()
        self.scope.forget()

    def finish(self) -> None:
        self.writer.finish()
        if self.parallel:
            self.writer.records.verify(self.held)
