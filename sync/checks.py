"""Checks of a parsed answer against what was asked, before the cache sees it.

Parsing (sync/http.py) proves an answer has the right shape; these prove it
makes sense for this request: results only for mutations we sent, no seq
acknowledged that we never sent, snapshots whose records belong to their case.
An answer failing them is refused whole, so the outbox and cache stay intact.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sync.errors import BadAnswerError
from sync.protocol import (
    PROTOCOL_VERSION,
    CaseSnapshot,
    MutationEnvelope,
    PullResponse,
    PushResponse,
)

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
    if sent and response.last_applied_seq > max(seqs):
        raise _refuse("last_applied_seq beyond what was sent")


def check_snapshot(snapshot: CaseSnapshot) -> None:
    for record in snapshot.records:
        if record.crn != snapshot.crn:
            raise _refuse("snapshot record of another case")


def check_pull(response: PullResponse) -> None:
    check_version(response.protocol_version)
    if not response.cursor:
        raise _refuse("empty cursor")
    for snapshot in response.snapshots:
        check_snapshot(snapshot)
    for change in response.changes:
        if not change.deleted and change.data is None:
            raise _refuse("change without data")
