"""Rejoin: a diverged profile's waiting work, numbered again under a new client id."""

from __future__ import annotations

import datetime as dt
import uuid

from storage import outbox, push_health, rejoin, state
from storage.db import CacheDb

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def queue(cdb: CacheDb) -> tuple[int, uuid.UUID]:
    mutation_id = uuid.uuid4()
    with cdb.atomic():
        seq = outbox.append(
            cdb,
            mutation_id=mutation_id,
            name="record_contact",
            version=1,
            args={"crn": "X100001"},
            crns=["X100001"],
            base_versions={},
            actor={},
            created_at=NOW,
        )
    return seq, mutation_id


def test_waiting_changes_keep_their_order_and_ids_under_new_numbers(cdb: CacheDb) -> None:
    state.ensure(cdb)
    made = [queue(cdb) for _ in range(5)]
    with cdb.atomic():
        outbox.mark_answered(cdb, [(1, "applied", None), (2, "rejected", "no")])
        state.update(cdb, last_acked_seq=2, pulled_applied_seq=2)
    push_health.failed(cdb, 3, now=NOW)
    before = state.read(cdb).client_id

    done = rejoin.rejoin(cdb)

    after = state.read(cdb)
    assert (done.old_client_id, done.new_client_id, done.waiting) == (before, after.client_id, 3)
    assert after.client_id != before
    assert (after.last_seq, after.last_acked_seq, after.pulled_applied_seq) == (3, 0, 0)
    waiting = outbox.pending(cdb)
    assert [(r.seq, r.mutation_id) for r in waiting] == [
        (1, made[2][1]),
        (2, made[3][1]),
        (3, made[4][1]),
    ]
    assert outbox.by_seq(cdb, 4) is None  # delivered rows left the outbox
    assert push_health.read(cdb) is None
    assert queue(cdb)[0] == 4  # new work goes on from there
