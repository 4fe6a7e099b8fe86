"""An in-memory implementation of sync.ports.CachePort, for engine tests.

It follows the port's contract literally (seq order, results recorded before a
mutation counts as delivered, cursor saved with each page, rebase is trivial
because pending mutations here do not touch records) so the engine's tests do
not depend on the encrypted cache. tests/e2e uses the real cache instead.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from sync.ports import CacheCounts, PullState
from sync.protocol import (
    CaseSnapshot,
    MutationEnvelope,
    MutationResult,
    PullResponse,
    PushResponse,
    RecordChange,
    case_checksum,
)


class MemoryStore:
    def __init__(self, client_id: uuid.UUID | None = None) -> None:
        self._client_id = client_id or uuid.uuid4()
        self._vault_key = os.urandom(32)  # as an unlocked cache's: fresh per laptop
        self.lock = threading.RLock()
        self.outbox: list[MutationEnvelope] = []
        self.results: dict[int, MutationResult] = {}
        self.cases: dict[str, dict[uuid.UUID, RecordChange]] = {}
        self.cursor: str | None = None
        self.next_seq = 1
        self.wiped = False
        self.pages_applied = 0
        self.resets = 0
        self.failing: tuple[int, int] | None = None  # (queue head seq, failed syncs)

    def queue(self, name: str, args: dict[str, Any]) -> MutationEnvelope:
        with self.lock:
            envelope = MutationEnvelope(
                seq=self.next_seq,
                id=uuid.uuid4(),
                name=name,
                version=1,
                args=args,
                created_at=dt.datetime.now(dt.UTC),
            )
            self.next_seq += 1
            self.outbox.append(envelope)
            return envelope

    def client_id(self) -> uuid.UUID:
        return self._client_id

    def vault_key(self) -> bytes:
        return self._vault_key

    def next_outbox_batch(self, limit: int) -> Sequence[MutationEnvelope]:
        with self.lock:
            return [m for m in self.outbox if m.seq not in self.results][:limit]

    def record_push_results(self, response: PushResponse) -> None:
        with self.lock:
            for result in response.results:
                self.results.setdefault(result.seq, result)

    def last_queued_seq(self) -> int:
        return self.next_seq - 1

    def push_failed(self, head_seq: int) -> int:
        with self.lock:
            same = self.failing is not None and self.failing[0] == head_seq
            self.failing = (head_seq, self.failing[1] + 1 if self.failing and same else 1)
            return self.failing[1]

    def push_went_through(self) -> None:
        self.failing = None

    def push_failures(self) -> tuple[int, int] | None:
        return self.failing

    def pull_state(self) -> PullState:
        with self.lock:
            return PullState(self._client_id, self.cursor, sorted(self.cases))

    def settle_pull(self) -> None:
        """Every page is its own step here: nothing to commit."""

    def end_pull(self) -> None:
        """Nothing held between pages."""

    def prepare_pull_page(self, response: PullResponse) -> None:
        """Nothing to derive: pages are kept as they came."""

    def apply_pull_page(self, response: PullResponse, prepared: object = None) -> None:
        with self.lock:
            for snapshot in response.snapshots:
                self._replace(snapshot)
            for crn in response.evicted:
                self.cases.pop(crn, None)
            for change in response.changes:
                case = self.cases.get(change.crn)
                if case is None:
                    continue
                if change.deleted:
                    case.pop(change.id, None)
                else:
                    case[change.id] = change
            self.cursor = response.cursor
            self.pages_applied += 1

    def _replace(self, snapshot: CaseSnapshot) -> None:
        self.cases[snapshot.crn] = {r.id: r for r in snapshot.records if not r.deleted}

    def replace_case(self, snapshot: CaseSnapshot) -> None:
        with self.lock:
            self._replace(snapshot)

    def case_checksums(self) -> Mapping[str, str]:
        with self.lock:
            return {
                crn: case_checksum((r.kind, r.id, r.version) for r in records.values())
                for crn, records in self.cases.items()
            }

    def evict(self, crns: Sequence[str]) -> None:
        with self.lock:
            for crn in crns:
                self.cases.pop(crn, None)

    def pending_count(self) -> int:
        return len(self.next_outbox_batch(10**9))

    def oldest_pending_age(self) -> timedelta | None:
        pending = self.next_outbox_batch(1)
        if not pending:
            return None
        return dt.datetime.now(dt.UTC) - pending[0].created_at

    def counts(self) -> CacheCounts:
        with self.lock:
            statuses = [r.status for r in self.results.values()]
            return CacheCounts(
                len(self.cases), statuses.count("conflict"), statuses.count("rejected")
            )

    def wipe(self) -> None:
        with self.lock:
            self.outbox.clear()
            self.results.clear()
            self.cases.clear()
            self.cursor = None
            self.wiped = True

    def reset_for_redownload(self) -> None:
        with self.lock:
            self.cases.clear()
            self.cursor = None
            self.resets += 1
