"""What the sync engine needs from the local cache, as a narrow Protocol.

The engine never sees SQL: `sync/cache.py` adapts storage/ onto this port, and
tests may use any other implementation. Every write method is one transaction
in the real cache, so a crash between two calls loses nothing that was
committed and repeats nothing the server would apply twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

if TYPE_CHECKING:  # the wire models load with the sync, after the app's first screen
    from sync.protocol import CaseSnapshot, MutationEnvelope, PushResponse
    from sync.pull_page import PullPage


@dataclass(frozen=True, slots=True)
class PullState:
    client_id: UUID
    cursor: str | None
    held_cases: list[str]


@dataclass(frozen=True, slots=True)
class CacheCounts:
    """What the status bar shows: cases held, open conflicts, unseen rejections."""

    cases: int
    conflicts: int
    rejections: int
    # The officer's own changes not yet sent (audit records of case views left out);
    # None where a store cannot tell them apart (then every queued mutation counts).
    changes_waiting: int | None = None


class PreparedPage(Protocol):
    """What a store derived from a pulled page before writing it. Only the store that
    made it reads it; the engine just hands it back with the page."""


class CachePort(Protocol):
    def client_id(self) -> UUID:
        """This laptop's sync client id (also its device id at sign-in)."""
        ...

    def vault_key(self) -> bytes:
        """The key the sign-in tokens and device key are sealed under (storage/vault.py):
        it exists only while the cache is unlocked."""
        ...

    def next_outbox_batch(self, limit: int) -> Sequence[MutationEnvelope]:
        """The oldest undelivered mutations in seq order (at most `limit`)."""
        ...

    def record_push_results(self, response: PushResponse) -> None:
        """Store applied/conflict/rejected results; those seqs count as delivered."""
        ...

    def last_queued_seq(self) -> int:
        """The highest seq this laptop ever handed out (kept after rows are pruned)."""
        ...

    def push_failed(self, head_seq: int) -> int:
        """Count a sync whose push failed with `head_seq` first in the queue (committed);
        returns how many in a row with that head."""
        ...

    def push_went_through(self) -> None:
        """A push delivered what it was given: the count starts again."""
        ...

    def push_failures(self) -> tuple[int, int] | None:
        """(head seq, failed syncs in a row with it first), or None when not failing."""
        ...

    def pull_state(self) -> PullState: ...

    def prepare_pull_page(self, response: PullPage) -> PreparedPage | None:
        """Derive what writing the page needs, without touching the cache: called on the
        thread that fetched the page, so that work overlaps the writing of the one before."""
        ...

    def apply_pull_page(self, response: PullPage, prepared: PreparedPage | None = None) -> None:
        """Snapshots, changes, tombstones, evictions and the cursor, in one transaction,
        with pending local mutations re-applied on top (rebase). A pull from scratch may
        apply several pages in one transaction, each staged first (storage/chunked.py).
        `prepared`: this store's `prepare_pull_page(response)`, if it was called."""
        ...

    def settle_pull(self) -> None:
        """Commit the pages applied so far (called before waiting on the network for the
        next one)."""
        ...

    def end_pull(self) -> None:
        """The pull is over, whether it finished, failed or was cancelled."""
        ...

    def replace_case(self, snapshot: CaseSnapshot) -> None: ...

    def case_checksums(self) -> Mapping[str, str]: ...

    def evict(self, crns: Sequence[str]) -> None: ...

    def pending_count(self) -> int: ...

    def oldest_pending_age(self) -> timedelta | None: ...

    def counts(self) -> CacheCounts: ...

    def wipe(self) -> None:
        """Destroy the cache, its WAL/SHM files and its key (a revoked device)."""
        ...

    def reset_for_redownload(self) -> None:
        """Forget cached cases and the cursor, keep the outbox (server `reset`)."""
        ...
