"""`results`: the stored results of seqs a laptop sent but never heard back about.

A push answer can be lost after the server committed it (a dropped connection, a
laptop killed while a pipelined batch was on the wire). The laptop then sees a
`last_applied_seq` beyond the batch it sent; rather than sending those changes again,
it asks here for what the server stored when it applied them (the same rows a
re-sent seq is answered from, `applied_mutations`), with each mutation's id so the
laptop can check they were its own changes (sync/checks.py `check_results`).
"""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy import Engine, select

from central.sync import clients
from central.tables import applied_mutations
from sync.protocol import (
    MAX_RESULTS_RANGE,
    PROTOCOL_VERSION,
    MutationResult,
    ResultsRequest,
    ResultsResponse,
    StoredResult,
)

log = logging.getLogger(__name__)

# A result stored for a change that reused another change's id is kept under a derived
# id (central/sync/clients.py `result_row`): the laptop's own id is not on record.
_CLASHING_CODE = "duplicate_mutation_id"


def stored_results_since(
    engine: Engine, client_id: str, request: ResultsRequest
) -> ResultsResponse:
    """Results of seqs after `request.after_seq`, up to the smallest of `up_to_seq`, the
    client's `last_applied_seq` and MAX_RESULTS_RANGE seqs on: in seq order, gap-free
    (seqs are applied in order, each with its result)."""
    with engine.connect() as conn:
        last = clients.last_applied(conn, client_id) or 0
        upper = min(request.up_to_seq, last, request.after_seq + MAX_RESULTS_RANGE)
        rows = conn.execute(
            select(applied_mutations.c.mutation_id, applied_mutations.c.result)
            .where(
                applied_mutations.c.client_id == client_id,
                applied_mutations.c.seq > request.after_seq,
                applied_mutations.c.seq <= upper,
            )
            .order_by(applied_mutations.c.seq)
        ).all()
    results = [_stored(str(mutation_id), result) for mutation_id, result in rows]
    log.info(
        "results client=%s after=%d up_to=%d sent=%d last_applied_seq=%d",
        client_id,
        request.after_seq,
        request.up_to_seq,
        len(results),
        last,
    )
    return ResultsResponse(
        protocol_version=PROTOCOL_VERSION, last_applied_seq=last, results=results
    )


def _stored(mutation_id: str, stored: object) -> StoredResult:
    result = MutationResult.model_validate(stored)
    known = None if result.code == _CLASHING_CODE else UUID(mutation_id)
    return StoredResult(mutation_id=known, result=result)
