"""A push batch's results and audit entries, kept in memory and written together.

Every push batch writes through it (`central.sync.batch.BatchWriter`): a batch of N
mutations writes its results and its audit in two multi-row INSERTs before the commit
instead of 2N single-row ones. Nothing in a
batch reads them back: which mutation ids are taken is kept in `taken`, and the seq in
the run. Written in the batch's transaction, so they commit or vanish with its records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection

from central.audit import audit_row, enrolment_time
from central.auth.deps import Principal
from central.bulk import BulkInsert
from central.sync import clients
from central.sync.apply import audit_items, refusal_audit
from central.tables import applied_mutations, audit_log
from domain.semantics import Effects
from sync.protocol import MutationEnvelope, MutationResult

_INSERT_RESULTS = BulkInsert(applied_mutations)
_INSERT_AUDIT = BulkInsert(audit_log, skip={"id"})


class BatchLog:
    """Results and audit rows of one batch, until `flush_log`."""

    def __init__(self, conn: Connection, principal: Principal, client_id: str) -> None:
        self._conn = conn
        self._principal = principal
        self._client_id = client_id
        self._results: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []
        self._last_seq: tuple[int, dt.datetime] | None = None
        self.taken: set[str] = set()
        self._enrolled: tuple[dt.datetime | None] | None = None

    def store_result(
        self,
        env: MutationEnvelope,
        result: MutationResult,
        now: dt.datetime,
        *,
        clashing_id: bool = False,
    ) -> None:
        row = clients.result_row(self._client_id, env, result, now, clashing_id=clashing_id)
        self.taken.add(row["mutation_id"])
        self._results.append(row)
        self._last_seq = (env.seq, now)

    def audit(
        self,
        action: str,
        crn: str | None,
        record_id: str | None,
        detail: dict[str, Any],
        received: dt.datetime,
        *,
        claimed: dt.datetime | None = None,
    ) -> None:
        """One row as `central.audit.record_audit` writes it (the laptop's enrolment
        time, for judging a claimed time, read once per batch)."""
        if claimed is not None and self._enrolled is None:
            self._enrolled = (enrolment_time(self._conn, self._principal.device_id),)
        enrolled = self._enrolled[0] if self._enrolled else None
        self._audit.append(
            audit_row(
                self._principal,
                action,
                crn,
                record_id,
                detail,
                received=received,
                claimed=claimed,
                enrolled_at=enrolled,
            )
        )

    def refusal(self, env: MutationEnvelope, result: MutationResult, now: dt.datetime) -> None:
        """A refused mutation's result; an attempt on a case out of reach (e.g. Limited
        Access) also goes on that case's trail."""
        self.store_result(env, result, now)
        found = refusal_audit(env, result)
        if found is not None:
            self.audit("access_refused", found[0], None, found[1], now)

    def applied(
        self, env: MutationEnvelope, effects: Effects, result: MutationResult, now: dt.datetime
    ) -> None:
        """An applied mutation's audit entries and result (its pins and records are the
        caller's: later mutations of the batch read them)."""
        for action, crn, record_id, detail, claimed in audit_items(env, effects, now):
            self.audit(action, crn, record_id, detail, now, claimed=claimed)
        self.store_result(env, result, now)

    def flush_log(self) -> None:
        """The audit and results kept so far, in the caller's transaction."""
        _INSERT_AUDIT.execute(self._conn, self._audit)
        _INSERT_RESULTS.execute(self._conn, self._results)
        self._audit, self._results = [], []
