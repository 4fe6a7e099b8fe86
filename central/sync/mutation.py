"""What every push batch's run shares: its shape (`BatchRun`), the checks that admit a
mutation in seq order, and how a rejection or a clashing id is answered.

The run itself is `central.sync.group.GroupBatch` (both databases).
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection

from central.auth.deps import Principal
from central.documents.gate import awaiting_documents
from central.sync import replay
from central.sync.apply import rejected
from domain.errors import FieldcaseError
from domain.semantics import UnsupportedMutationVersion
from sync.protocol import MutationEnvelope, MutationResult

log = logging.getLogger(__name__)


class Stop(Exception):
    """The batch stops here without a result for this seq (gap, or a newer mutation)."""


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
