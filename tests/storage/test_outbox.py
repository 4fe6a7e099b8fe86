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


def test_changes_waiting_counts_the_officers_changes_not_case_view_audits(
    cdb: CacheDb, case: CaseData
) -> None:
    """The field day: 4 recorded items showed as "6 changes waiting" (two case views)."""
    for _ in range(4):
        _queue(cdb, case)
    for _ in range(2):
        args = {"crn": case.crn, "viewed_at": NOW.isoformat()}
        apply_local_mutation(cdb, "case_viewed", args, actor=OFFICER, today=TODAY, now=NOW)
    assert outbox.pending_count(cdb) == 6  # the engine still sends the audits
    assert outbox.changes_waiting(cdb) == 4  # the officer's number, everywhere
    assert outbox.changes_waiting(cdb, case.crn) == 4
    assert outbox.changes_waiting(cdb, "X999999") == 0


def test_the_case_header_counts_what_the_status_bar_counts(cdb: CacheDb, case: CaseData) -> None:
    """The sign-out prompt said 2 while the case said 1: one number, from the outbox."""
    from storage.queries.case import case_overview

    _queue(cdb, case)
    args = {"crn": case.crn, "viewed_at": NOW.isoformat()}
    apply_local_mutation(cdb, "case_viewed", args, actor=OFFICER, today=TODAY, now=NOW)
    overview = case_overview(cdb, case.crn, today=TODAY)
    assert overview is not None
    assert overview.waiting_to_send == outbox.changes_waiting(cdb) == 1
