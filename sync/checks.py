"""Checks of a parsed answer against what was asked, before the cache sees it.

Parsing (sync/http.py) proves an answer has the right shape; these prove it
makes sense for this request: results only for mutations we sent, no seq
acknowledged that we never sent, snapshots whose records belong to their case.
An answer failing them is refused whole, so the outbox and cache stay intact.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from sync.errors import BadAnswerError, QueueDiverged
from sync.protocol import (
    PROTOCOL_VERSION,
    CaseSnapshot,
    MutationEnvelope,
    PushResponse,
    ResultsResponse,
)

if TYPE_CHECKING:
    from sync.pull_page import PulledSnapshot, PullPage

log = logging.getLogger(__name__)

_REFUSED = (
    "The server's answer did not match what was asked, so it was ignored. Nothing was "
    "changed on this laptop; Fieldcase will try again."
)


def _refuse(reason: str) -> BadAnswerError:
    log.warning("answer refused: %s", reason)
    return BadAnswerError(_REFUSED)


def check_version(version: int) -> None:
    if version != PROTOCOL_VERSION:
        raise _refuse(f"protocol version {version}")


def check_push(response: PushResponse, sent: Sequence[MutationEnvelope]) -> None:
    check_version(response.protocol_version)
    seqs = {m.seq for m in sent}
    seen: set[int] = set()
    for result in response.results:
        if result.seq not in seqs or result.seq in seen:
            raise _refuse("push result for a seq not sent or twice")
        if result.seq > response.last_applied_seq:
            raise _refuse("push result beyond last_applied_seq")
        seen.add(result.seq)
    # A last_applied_seq beyond the batch is legitimate (answers lost after the server
    # committed: sync/recovery.py fetches their results); but then every seq sent was
    # applied before and must have been answered from its stored result.
    if sent and response.last_applied_seq > max(seqs) and seen != seqs:
        raise _refuse("last_applied_seq beyond the batch with seqs unanswered")


COPIED_PROFILE = (
    "That happens when Fieldcase's data was restored from a backup or copied from another laptop."
)


def check_frontier(
    response: PushResponse, sent: Sequence[MutationEnvelope], last_queued_seq: int, device: UUID
) -> None:
    """The server's frontier must lie where this laptop can be behind it or at it: not
    beyond anything it ever queued (another copy's changes under these numbers), and not
    short of seqs it answered before (a server restored to an earlier point lost them)."""
    frontier = response.last_applied_seq
    if frontier > last_queued_seq:
        log.warning(
            "server frontier %d beyond the last seq queued here %d", frontier, last_queued_seq
        )
        what = (
            f"The case service has received {frontier} changes from this laptop, "
            f"but this laptop has only ever made {last_queued_seq}. {COPIED_PROFILE}"
        )
        raise QueueDiverged(diverged_message(device, what))
    if sent and not response.results and frontier < sent[0].seq - 1:
        log.warning("server frontier %d short of seq %d answered before", frontier, sent[0].seq - 1)
        what = (
            f"The case service no longer has changes this laptop sent earlier (it has "
            f"{frontier}, this laptop had sent {sent[0].seq - 1}); it was probably restored "
            "from a backup."
        )
        raise QueueDiverged(diverged_message(device, what))


def diverged_message(device: UUID, what: str) -> str:
    """`what` the server holds that this laptop did not send, then what to do."""
    return (
        f"{what} Your unsent work is kept on this laptop and nothing more "
        "will be sent until this is sorted out. Please contact IT support and quote: "
        f"sync diverged, device {str(device)[:8]}."
    )


def check_results(
    response: ResultsResponse, after: int, up_to: int, mine: Mapping[int, UUID], device: UUID
) -> None:
    """Stored results fetched for seqs after `after`: gap-free from `after` + 1, none
    beyond `up_to`, and each for this laptop's own mutation under that seq."""
    check_version(response.protocol_version)
    if not response.results:
        raise _refuse("no stored results below last_applied_seq")
    for expected, stored in enumerate(response.results, start=after + 1):
        seq = stored.result.seq
        if seq != expected or seq > up_to or seq > response.last_applied_seq:
            raise _refuse("stored results out of order or beyond what was asked")
        ours = mine.get(seq)
        if stored.mutation_id is not None and ours is not None and stored.mutation_id != ours:
            log.warning("stored result of seq %d is for another mutation", seq)
            what = f"The case service holds another change under this laptop's number {seq}."
            what += f" {COPIED_PROFILE}"
            raise QueueDiverged(diverged_message(device, what))


def check_snapshot(snapshot: CaseSnapshot | PulledSnapshot) -> None:
    for record in snapshot.records:
        if record.crn != snapshot.crn:
            raise _refuse("snapshot record of another case")


def check_pull(response: PullPage) -> None:
    check_version(response.protocol_version)
    if not response.cursor:
        raise _refuse("empty cursor")
    for snapshot in response.snapshots:
        check_snapshot(snapshot)
    for change in response.changes:
        if not change.deleted and not change.has_data:
            raise _refuse("change without data")
