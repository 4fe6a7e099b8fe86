"""One thread's handle on the cache: the operations sync/ and app/ adapt onto their ports.

A thin facade over the one-concern modules, so the adapters (sync/cache.py,
app/cache_adapter.py) never write SQL and every write stays one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from domain.model import Entity
from domain.semantics import Actor
from storage import outbox, pulled, push_results, state
from storage.checksum import case_checksums
from storage.db import CacheDb
from storage.queries import problems
from storage.write import LocalChange, apply_local_mutation


class LocalCache:
    def __init__(self, cdb: CacheDb) -> None:
        self.cdb = cdb

    # --- what the sync engine needs ---------------------------------------------
    def client_id(self) -> uuid.UUID:
        return state.read(self.cdb).client_id

    def next_outbox_batch(self, limit: int) -> list[outbox.OutboxRow]:
        return outbox.pending(self.cdb, limit)

    def record_push_results(
        self, results: Sequence[push_results.PushResult], *, last_applied_seq: int
    ) -> pulled.Applied:
        return push_results.record_push_results(
            self.cdb, results, last_applied_seq=last_applied_seq
        )

    def pull_state(self) -> tuple[uuid.UUID, str | None, list[str]]:
        """(client id, cursor, held CRNs) for the next pull request."""
        current = state.read(self.cdb)
        return current.client_id, current.cursor, pulled.held_cases(self.cdb)

    def apply_pull_page(
        self,
        *,
        snapshots: Sequence[pulled.Snapshot],
        changes: Sequence[pulled.Change],
        evicted: Sequence[str],
        cursor: str,
        last_applied_seq: int,
    ) -> pulled.Applied:
        return pulled.apply_pull_page(
            self.cdb,
            snapshots=snapshots,
            changes=changes,
            evicted=evicted,
            cursor=cursor,
            last_applied_seq=last_applied_seq,
        )

    def replace_case(self, snapshot: pulled.Snapshot) -> pulled.Applied:
        return pulled.replace_case(self.cdb, snapshot)

    def case_checksums(self) -> dict[str, str]:
        return case_checksums(self.cdb)

    def evict(self, crns: Iterable[str]) -> pulled.Applied:
        return pulled.evict(self.cdb, crns)

    def pending_count(self) -> int:
        return outbox.pending_count(self.cdb)

    def oldest_pending_age(self, now: dt.datetime) -> dt.timedelta | None:
        oldest = outbox.oldest_pending_at(self.cdb)
        return None if oldest is None else now - oldest

    def counts(self) -> dict[str, Any]:
        return problems.counts(self.cdb)

    def reset_for_redownload(self) -> None:
        pulled.reset_for_redownload(self.cdb)

    def record_sync_error(self, message: str) -> None:
        """A plain sync error for the status bar (never personal data)."""
        with self.cdb.atomic():
            state.update(self.cdb, last_error=message[:500])

    # --- what the app's use cases need ------------------------------------------
    def apply(
        self,
        name: str,
        args: Entity | dict[str, Any],
        *,
        actor: Actor,
        today: dt.date,
        now: dt.datetime,
    ) -> LocalChange:
        return apply_local_mutation(self.cdb, name, args, actor=actor, today=today, now=now)

    def resolve_conflict(
        self,
        conflict_id: str,
        name: str,
        args: Entity | dict[str, Any],
        *,
        actor: Actor,
        today: dt.date,
        now: dt.datetime,
    ) -> LocalChange:
        """Queue the officer's choice and close the conflict in one transaction."""
        with self.cdb.atomic():
            change = apply_local_mutation(self.cdb, name, args, actor=actor, today=today, now=now)
            problems.close_conflict(self.cdb, conflict_id, at=now)
        return change

    def retry_rejection(
        self, rejection_id: str, *, actor: Actor, today: dt.date, now: dt.datetime
    ) -> LocalChange:
        """Queue the refused change again (as typed) and take it off the list, atomically."""
        with self.cdb.atomic():
            [row] = self.cdb.query("SELECT name, args FROM rejection WHERE id = ?", (rejection_id,))
            change = apply_local_mutation(
                self.cdb, row["name"], _loads(row["args"]), actor=actor, today=today, now=now
            )
            problems.dismiss_rejection(self.cdb, rejection_id, at=now)
        return change

    def discard_rejection(self, rejection_id: str, *, now: dt.datetime) -> None:
        with self.cdb.atomic():
            problems.dismiss_rejection(self.cdb, rejection_id, at=now)

    def close(self) -> None:
        self.cdb.close()


def _loads(text: str) -> dict[str, Any]:
    import json

    loaded: dict[str, Any] = json.loads(text)
    return loaded
