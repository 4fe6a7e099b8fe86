"""One full sync: push the outbox, pull what changed, verify per-case checksums.

Plain Python with no threads of its own; `app/sync_bridge.py` and the CLI run it.
Order matters: pushing first means the pull already reflects our changes, so the
rebase in the cache has less to re-apply. The next request (push batch, pull page)
travels while the current answer is committed to the cache, so a crash anywhere
repeats at most the requests whose answers were not committed, which the server
answers idempotently (per-client seq with stored results; cursor saved per page).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
from collections.abc import Sequence
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from pydantic_core import to_json

from sync.api import SyncApi
from sync.checks import check_frontier, check_pull, check_push, check_snapshot
from sync.errors import (
    ActionRequired,
    BadAnswerError,
    DeviceWiped,
    QueueDiverged,
    ServerRefusedError,
    SyncError,
    UpgradeRequired,
)
from sync.ports import CachePort, PreparedPage
from sync.progress import Progress
from sync.protocol import (
    MAX_PUSH_BATCH,
    PROTOCOL_VERSION,
    CaseRequest,
    MutationEnvelope,
    MutationResult,
    PullRequest,
    PushRequest,
    PushResponse,
    ServerAction,
)
from sync.pull_page import PullPage
from sync.recovery import PushWatch, catch_up, head_seq

if TYPE_CHECKING:
    from sync.documents import DocumentTransfers

log = logging.getLogger(__name__)

# A push request's body stays under this, whatever the notes hold: central refuses bodies
# over 16 MiB (central/limits.py PUSH_BODY_BYTES), and 500 notes of 12,000 characters could
# pass that; a batch it refused would be refused at every sync. A quarter leaves room for
# the envelopes. One mutation is always sent, whatever its size.
PUSH_BODY_BUDGET = 4 * 2**20
_ENVELOPE_BYTES = 200  # seq, id, name, version, created_at and punctuation, generously
# Batches read from the outbox at a time while pushing (one of them is the one in flight).
_READ_AHEAD = 4
# How long a pull from scratch waits for its next page with the chunk still open before
# committing it (the engine's `pull`): a commit costs the chunk's index and search pages
# again, and a next page still being parsed comes within this; a page still on the
# network is worth the commit, so that no save waits for it.
SETTLE_AFTER_S = 0.1


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """What one sync did, and where the cache stands after it."""

    pushed: int
    applied: int
    conflicts: int
    rejected: int
    pulled: int
    snapshots: int
    evicted: int
    refetched: int
    pending: int
    cases: int
    open_conflicts: int
    rejections: int
    duration_s: float


@dataclass
class _Tally:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    snapshots: int = 0
    evicted: int = 0
    refetched: int = 0


class SyncEngine:
    def __init__(
        self,
        store: CachePort,
        api: SyncApi,
        progress: Progress,
        *,
        push_batch: int = MAX_PUSH_BATCH,
        pull_limit: int = 1000,
        documents: DocumentTransfers | None = None,
    ) -> None:
        self.documents = documents
        self.store = store
        self.api = api
        self.progress = progress
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self._tally = _Tally()
        self._ahead: list[MutationEnvelope] = []

    def run(self) -> SyncSummary:
        """Push, pull, verify; a server `reset` is honoured once per run."""
        started = time.perf_counter()
        self._tally = _Tally()
        for attempt in (1, 2):
            try:
                self._push_pull_verify()
                break
            except ActionRequired as required:
                if attempt == 2 and required.action.kind == "reset":
                    raise BadAnswerError("The server asked to start over twice in a row.") from None
                self._act(required.action)
        return self._summary(time.perf_counter() - started)

    def _push_pull_verify(self) -> None:
        if self.documents is not None:
            self.documents.before_push()
        try:
            self.push()
        except QueueDiverged as diverged:
            # Nothing more is sent until IT has looked, but the office's changes still
            # reach the officer (pending work is re-applied on top, as after any pull).
            # Whatever that pull meets, the diverged state is what is reported, unless
            # the server asked for an action first.
            try:
                self.verify(self.pull())
            except SyncError as error:
                if isinstance(error, ActionRequired):
                    raise
                log.info("pull after a diverged push failed (%s)", type(error).__name__)
            raise diverged from None
        checksums = self.pull()
        self.verify(checksums)
        if self.documents is not None:  # bytes last: they never hold back the rest
            if self.documents.upload(between=self._push_ready):
                self.push()  # the changes that waited for those bytes
                self.pull()
            self.documents.download_wanted()

    def _push_ready(self) -> None:
        """Between an upload's chunks: changes saved meanwhile go now, not after the bytes."""
        assert self.documents is not None
        self.documents.before_push()
        if self.store.next_outbox_batch(1):
            self.push()

    def push(self) -> None:
        """Deliver the outbox in seq order, batch by batch, each answer committed first.

        Pipelined like `pull`: once batch N's answer is in hand and answers every
        mutation of N, batch N+1 (read from the outbox while N was in flight) is sent
        and N's results are committed while it travels. The server has applied N before
        it sees N+1 (per-client order), a mutation counts as delivered only once its
        result is committed here, and a crash or failure between the two leaves N+1
        pending: it is sent again and the server answers a seq it applied from its
        stored result (exactly once). An answer that leaves part of N unanswered (a gap,
        a mutation newer than the server) is committed before anything else is sent.
        """
        with PushWatch(self.store).watching(head_seq(self.store)):
            self._push()

    def _push(self) -> None:
        client_id = self.store.client_id()
        total = self.store.pending_count()
        self.progress.update("push", 0, total)
        self.progress.check()
        batch = self._outbox_batch()
        if not batch:
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as pool:
            answer = pool.submit(self.api.push, self._push_request(client_id, batch))
            while True:
                following = self._outbox_batch(after=batch[-1].seq)  # while N travels
                response = answer.result()
                if response.action is not None:
                    raise ActionRequired(response.action)
                check_push(response, batch)
                check_frontier(response, batch, self.store.last_queued_seq(), client_id)
                ahead = response.last_applied_seq > batch[-1].seq  # answers were lost
                whole = {r.seq for r in response.results} >= {m.seq for m in batch}
                onward = whole and bool(following) and not ahead
                if onward:
                    self.progress.check()
                    answer = pool.submit(self.api.push, self._push_request(client_id, following))
                self._record(response, batch, ahead=ahead)
                self.progress.update("push", self._tally.pushed, total)
                if not onward:
                    self._ensure_progress(batch)
                    self.progress.check()
                    following = self._outbox_batch()  # what is left, and anything queued since
                    if not following:
                        return
                    answer = pool.submit(self.api.push, self._push_request(client_id, following))
                batch = following

    def _record(
        self, response: PushResponse, batch: Sequence[MutationEnvelope], *, ahead: bool
    ) -> None:
        """Commit a batch's answer. When the server is ahead of it (`ahead`), the batch and
        the seqs after it up to the frontier were applied before: their stored results are
        fetched with their mutation ids and checked to be this laptop's (sync/recovery.py),
        rather than taken from an answer that cannot say whose changes they were."""
        if ahead:
            frontier = response.last_applied_seq
            found = catch_up(self.api, self.store, self.progress, batch[0].seq - 1, frontier)
            if found is not None:
                log.info("caught up seq %s-%s: applied before", batch[0].seq, frontier)
                self._count_results(found)
                return
        self.store.record_push_results(response)
        log.info("pushed seq %s-%s: %s results", batch[0].seq, batch[-1].seq, len(response.results))
        self._count_results(response.results)

    def _outbox_batch(self, after: int | None = None) -> list[MutationEnvelope]:
        """The next batch to send: the oldest pending mutations, or those after seq `after`
        (whose batch is still in flight, so still pending), within the body budget.

        Reading after an unanswered batch reads it again; so a few batches are read at a
        time and kept (`_ahead`), in seq order. A mutation queued meanwhile has a higher
        seq than all of them and is read with the next few.
        """
        if after is None:
            self._ahead = []
            return _within_budget(self.store.next_outbox_batch(self.push_batch))
        ahead = [m for m in self._ahead if m.seq > after]
        if len(ahead) < self.push_batch:
            read = self.store.next_outbox_batch(self.push_batch * _READ_AHEAD)
            ahead = [m for m in read if m.seq > after]
        batch = _within_budget(ahead[: self.push_batch])
        self._ahead = ahead[len(batch) :]
        return batch

    def _push_request(self, client_id: UUID, batch: list[MutationEnvelope]) -> PushRequest:
        return PushRequest(protocol_version=PROTOCOL_VERSION, client_id=client_id, mutations=batch)

    def _ensure_progress(self, batch: Sequence[MutationEnvelope]) -> None:
        following = self.store.next_outbox_batch(1)
        if following and following[0].seq == batch[0].seq:
            raise BadAnswerError(
                "The server did not accept any of the waiting changes; they are kept "
                "and Fieldcase will try again later."
            )

    def _count_results(self, results: Sequence[MutationResult]) -> None:
        for result in results:
            self._tally.pushed += 1
            if result.status == "applied":
                self._tally.applied += 1
            elif result.status == "conflict":
                self._tally.conflicts += 1
            else:
                self._tally.rejected += 1

    def pull(self) -> dict[str, str]:
        """Fetch pages until the server has no more; returns the checksums it sent.

        The next page is requested while the current one is written to the cache:
        its request (cursor, held cases) follows from the current answer alone, so
        it is the same request as after the write, and pages are still committed
        strictly in order, each with its cursor. The thread that fetches a page also
        has the store derive what writing it needs (`prepare_pull_page`); the first
        page is fetched on this thread, as nothing is being written yet.
        """
        checksums: dict[str, str] = {}
        state = self.store.pull_state()
        request = self._pull_request(state.client_id, state.cursor, state.held_cases)
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as pool,
            contextlib.ExitStack() as ending,
        ):
            ending.callback(self.store.end_pull)
            # The first page on this thread: the usual sync is one page, which then
            # needs no second thread and no hand-offs to and from it (docs/sync.md).
            answer: futures.Future[tuple[PullPage, PreparedPage | None]] = futures.Future()
            answer.set_result(self._fetch(request))
            for page in itertools.count(1):
                if not answer.done():
                    # Nothing to write until it comes. It is mostly moments away (the
                    # pull thread is still parsing it); past SETTLE_AFTER_S it is the
                    # network, so commit what a pull from scratch has applied and no
                    # save waits on the network (storage/chunked.py).
                    futures.wait([answer], timeout=SETTLE_AFTER_S)
                    if not answer.done():
                        self.store.settle_pull()
                response, prepared = answer.result()
                if response.action is not None:
                    raise ActionRequired(response.action)
                check_pull(response)
                if response.has_more:
                    self.progress.check()
                    held = _held_after(request.held_cases, response)
                    request = self._pull_request(request.client_id, response.cursor, held)
                    answer = pool.submit(self._fetch, request)
                self.store.apply_pull_page(response, prepared)
                self._count_page(response)
                checksums.update(response.checksums)
                self.progress.update("pull", page, None)
                if not response.has_more:
                    break
        return checksums

    def _fetch(self, request: PullRequest) -> tuple[PullPage, PreparedPage | None]:
        """One page and what the store derives from it (on the pull thread)."""
        response = self.api.pull(request)
        if response.action is not None:
            return response, None
        return response, self.store.prepare_pull_page(response)

    def _pull_request(self, client_id: UUID, cursor: str | None, held: list[str]) -> PullRequest:
        return PullRequest(
            protocol_version=PROTOCOL_VERSION,
            client_id=client_id,
            cursor=cursor,
            held_cases=held,
            limit=self.pull_limit,
        )

    def _count_page(self, response: PullPage) -> None:
        self._tally.pulled += len(response.changes) + sum(
            len(s.records) for s in response.snapshots
        )
        self._tally.snapshots += len(response.snapshots)
        self._tally.evicted += len(response.evicted)

    def verify(self, checksums: dict[str, str]) -> None:
        """Re-fetch, one by one, cases whose local checksum differs from the server's."""
        if not checksums:
            return
        local = self.store.case_checksums()
        drifted = sorted(crn for crn, value in checksums.items() if local.get(crn) != value)
        client_id = self.store.client_id()
        for index, crn in enumerate(drifted):
            self.progress.check()
            self.progress.update("verify", index, len(drifted))
            request = CaseRequest(protocol_version=PROTOCOL_VERSION, client_id=client_id, crn=crn)
            try:
                snapshot = self.api.case(request)
            except ServerRefusedError as refused:
                if refused.status in (403, 404):
                    self.store.evict([crn])
                    self._tally.evicted += 1
                    continue
                raise
            check_snapshot(snapshot)
            if snapshot.crn != crn:
                raise BadAnswerError("The server sent a different case than the one asked for.")
            self.store.replace_case(snapshot)
            self._tally.refetched += 1
        if drifted:
            log.info("re-fetched %s drifted case(s)", len(drifted))

    def _act(self, action: ServerAction) -> None:
        if action.kind == "upgrade_required":
            raise UpgradeRequired(action.message)
        if action.kind == "wipe":
            log.info("device revoked: wiping the local cache")
            self.store.wipe()
            self.api.auth.forget(device_key=True)
            raise DeviceWiped(action.message)
        log.info("server asked for a reset: re-downloading, outbox kept")
        self.store.reset_for_redownload()

    def _summary(self, duration: float) -> SyncSummary:
        counts = self.store.counts()
        t = self._tally
        return SyncSummary(
            pushed=t.pushed,
            applied=t.applied,
            conflicts=t.conflicts,
            rejected=t.rejected,
            pulled=t.pulled,
            snapshots=t.snapshots,
            evicted=t.evicted,
            refetched=t.refetched,
            pending=self.store.pending_count(),
            cases=counts.cases,
            open_conflicts=counts.conflicts,
            rejections=counts.rejections,
            duration_s=duration,
        )


def _held_after(held: list[str], response: PullPage) -> list[str]:
    """The cases held once `response` is applied: snapshots in, evictions out."""
    return sorted((set(held) | {s.crn for s in response.snapshots}) - set(response.evicted))


def _within_budget(batch: Sequence[MutationEnvelope]) -> list[MutationEnvelope]:
    """The longest start of `batch` whose request body fits PUSH_BODY_BUDGET (at least one
    mutation): the rest goes in the next request, still in seq order."""
    size = 0
    for taken, mutation in enumerate(batch):
        size += len(to_json(mutation.args)) + _ENVELOPE_BYTES
        if size > PUSH_BODY_BUDGET and taken > 0:
            return list(batch[:taken])
    return list(batch)
