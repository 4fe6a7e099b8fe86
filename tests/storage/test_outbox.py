from __future__ import annotations

import datetime as dt

from storage import outbox
from storage.db import CacheDb
from storage.push_results import record_push_results
from storage.write import apply_local_mutation
from sync.protocol import MutationResult
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args


def _queue(cdb: CacheDb, case: CaseData) -> int:
    return apply_local_mutation(
        cdb, "record_contact", contact_args(case.crn), actor=OFFICER, today=TODAY, now=NOW
    ).seq


def test_pending_is_oldest_first_and_limited(cdb: CacheDb, case: CaseData) -> None:
    seqs = [_queue(cdb, case) for _ in range(4)]
    assert [r.seq for r in outbox.pending(cdb, 2)] == seqs[:2]
    assert outbox.pending_count(cdb) == 4
    assert outbox.oldest_pending_at(cdb) == NOW


def test_pruning_keeps_undelivered_rows_and_never_reuses_a_seq(
    cdb: CacheDb, case: CaseData
) -> None:
    first, second = _queue(cdb, case), _queue(cdb, case)
    record_push_results(cdb, [MutationResult(seq=first, status="applied")], last_applied_seq=1)
    later = NOW + dt.timedelta(days=30)
    assert outbox.prune_delivered(cdb, before=later) == 1
    assert [r.seq for r in outbox.pending(cdb)] == [second]
    assert _queue(cdb, case) == 3
