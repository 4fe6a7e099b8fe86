"""A seq is one mutation for ever: a resend must be the same change, or it is refused.

Exactly-once push answers a seq at or below `last_applied_seq` from its stored
result. That is right for a resend of the same mutation, and wrong for a different
one under a reused seq (a client that lost its outbox counter, or a tampered
request): answering "applied" would tell the laptop its new change was saved while
the server dropped it. So a seq already stored with another mutation id, name or
version, or a seq twice in one batch with different content, is a protocol
violation: the whole request is refused with a stable code and nothing applied.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from central.sync.clients import stand_in_id
from central.tables import applied_mutations
from sync.protocol import MutationEnvelope, MutationResult


class SeqReused(Exception):
    """The request reuses a seq for a different change; refused whole (HTTP 409)."""

    def __init__(self, code: str, seq: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.seq = seq
        self.message = message


def in_order(mutations: Sequence[MutationEnvelope]) -> list[MutationEnvelope]:
    """Seq order, each seq once: an exact duplicate is the same queued change sent
    twice; two different changes under one seq are refused (`duplicate_seq`)."""
    unique: dict[int, MutationEnvelope] = {}
    for env in mutations:
        first = unique.setdefault(env.seq, env)
        if first != env:
            raise SeqReused(
                "duplicate_seq",
                env.seq,
                f"Two different changes share seq {env.seq} in one batch; "
                "each change must have its own sequence number.",
            )
    return [unique[seq] for seq in sorted(unique)]


def stored_answers(
    conn: Connection, client_id: str, mutations: Sequence[MutationEnvelope]
) -> dict[int, MutationResult]:
    """The stored results of these already-applied seqs, each checked to be the
    same change (`seq_reused` otherwise)."""
    if not mutations:
        return {}
    wanted = {env.seq: env for env in mutations}
    query = select(
        applied_mutations.c.seq,
        applied_mutations.c.mutation_id,
        applied_mutations.c.name,
        applied_mutations.c.version,
        applied_mutations.c.result,
    ).where(applied_mutations.c.client_id == client_id, applied_mutations.c.seq.in_(sorted(wanted)))
    answers = {}
    for row in conn.execute(query):
        env = wanted[int(row.seq)]
        if not _same(client_id, env, row.mutation_id, row.name, row.version):
            raise SeqReused(
                "seq_reused",
                env.seq,
                f"Seq {env.seq} was already used for another change; this change was not "
                "saved. The laptop's outbox numbering is out of step with the server.",
            )
        answers[int(row.seq)] = MutationResult.model_validate(row.result)
    return answers


def _same(client_id: str, env: MutationEnvelope, mutation_id: str, name: str, version: int) -> bool:
    """The stored row is this envelope's (a clashing id was stored under a derived one)."""
    ids = {str(env.id), stand_in_id(client_id, env.seq)}
    stored_name = env.name.replace("\x00", "")[:64]
    return mutation_id in ids and name == stored_name and version == min(env.version, 2**31 - 1)
