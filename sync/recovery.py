"""When a push answer says the server is ahead of this laptop, and when the queue is stuck.

Ahead: the server applied seqs whose answers this laptop never recorded (an answer lost
after the server committed; a process killed while a pipelined batch was on the wire).
A `last_applied_seq` beyond the batch sent but within what this laptop queued means
"those were applied": `catch_up` fetches their stored results (POST /v1/sync/results),
checks each is for this laptop's own mutation, and records them, so the next batch
starts after the frontier. Beyond anything queued is a different state (`QueueDiverged`,
sync/checks.py `check_frontier`): a restored backup or a copied profile.

Stuck: `PushWatch` counts syncs whose push failed with the same oldest waiting change
(kept in the cache, storage/push_health.py); at STUCK_AFTER in a row the failure is
raised as `QueueStuck`, with the seqs logged and what to do in plain words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from domain.errors import FieldcaseError
from sync.api import SyncApi
from sync.checks import check_results
from sync.errors import (
    AccessTokenExpired,
    ActionRequired,
    CredentialStoreError,
    DeviceWiped,
    OfflineError,
    QueueDiverged,
    QueueStuck,
    ServerRefusedError,
    SignInRequired,
    SyncCancelled,
    UpgradeRequired,
)
from sync.ports import CachePort
from sync.progress import Progress
from sync.protocol import (
    MAX_RESULTS_RANGE,
    PROTOCOL_VERSION,
    MutationResult,
    PushResponse,
    ResultsRequest,
)

log = logging.getLogger(__name__)

# Syncs in a row failing with the same oldest waiting change before it is called stuck:
# one failure is a blip, two a bad hour; three in a row (with the scheduler's backoff,
# some minutes apart) will not mend by itself.
STUCK_AFTER = 3

# Failures that say nothing about the queue: no network, the officer or IT must act
# (sign in, upgrade, wiped, diverged), or the sync was stopped.
_NOT_THE_QUEUE = (
    OfflineError,
    SyncCancelled,
    SignInRequired,
    AccessTokenExpired,
    CredentialStoreError,
    UpgradeRequired,
    DeviceWiped,
    ActionRequired,
    QueueDiverged,
)


def catch_up(
    api: SyncApi,
    store: CachePort,
    progress: Progress,
    after: int,
    frontier: int,
) -> list[MutationResult] | None:
    """Fetch, check and record the stored results of seqs `after`+1 .. `frontier`, a page
    (MAX_RESULTS_RANGE) at a time, each page one storage transaction. None when the
    server does not offer them (an older server, 404): the caller then records the push
    answer and sends the rest again, which that server answers from the same results.
    """
    client_id = store.client_id()
    recorded: list[MutationResult] = []
    while after < frontier:
        progress.check()
        pending = store.next_outbox_batch(min(frontier - after, MAX_RESULTS_RANGE))
        mine = {m.seq: m.id for m in pending if after < m.seq <= frontier}
        request = ResultsRequest(
            protocol_version=PROTOCOL_VERSION,
            client_id=client_id,
            after_seq=after,
            up_to_seq=frontier,
        )
        try:
            answer = api.results(request)
        except ServerRefusedError as refused:
            if refused.status == 404 and not recorded:
                log.info("the server keeps no /results endpoint; sending the rest again")
                return None
            raise
        check_results(answer, after, frontier, mine, client_id)
        results = [stored.result for stored in answer.results]
        store.record_push_results(
            PushResponse(
                protocol_version=PROTOCOL_VERSION,
                last_applied_seq=results[-1].seq,
                results=results,
            )
        )
        log.info("recorded stored results of seq %s-%s", after + 1, results[-1].seq)
        recorded += results
        after = results[-1].seq
    return recorded


class PushWatch:
    """Counts failed pushes with the same queue head across syncs (and restarts)."""

    def __init__(self, store: CachePort) -> None:
        self.store = store

    @contextmanager
    def watching(self, head: Callable[[], int | None]) -> Iterator[None]:
        """Around one push: a push that goes through clears the count; one that fails
        for a reason about the queue counts, and the STUCK_AFTER-th is `QueueStuck`."""
        try:
            yield
        except _NOT_THE_QUEUE:
            raise
        except FieldcaseError as error:
            first = head()  # a push that moved the queue on and then failed starts again
            if first is None:
                raise
            failures = self.store.push_failed(first)
            if failures < STUCK_AFTER:
                raise
            log.warning(
                "outbox stuck: seq %d first in the queue for %d failed syncs in a row (%s)",
                first,
                failures,
                type(error).__name__,
            )
            message = stuck_message(first, failures, error.message)
            raise QueueStuck(message, head_seq=first, failures=failures) from error
        self.store.push_went_through()


def stuck_message(head_seq: int, failures: int, reason: str) -> str:
    """Plain words for a stuck queue: what happened, that nothing is lost, what to do."""
    return (
        f"Your oldest waiting change (number {head_seq}) has failed to send in {failures} "
        f"syncs in a row. The last reason: {reason} Your work is kept on this laptop and "
        "Fieldcase keeps trying. If it is still stuck after your next sync, contact IT "
        f"support and quote: stuck at change {head_seq}."
    )


def head_seq(store: CachePort) -> Callable[[], int | None]:
    """The queue head's seq, read when asked (None: nothing waiting)."""

    def read() -> int | None:
        first = store.next_outbox_batch(1)
        return first[0].seq if first else None

    return read
