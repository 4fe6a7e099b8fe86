from __future__ import annotations

from storage.cache import LocalCache
from storage.db import CacheDb
from storage.queries.problems import open_conflicts, open_rejections
from sync.protocol import FieldConflict, MutationResult
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args


def test_sync_side_round_trip(cdb: CacheDb, case: CaseData) -> None:
    cache = LocalCache(cdb)
    client_id, cursor, held = cache.pull_state()
    assert (cursor, held) == ("c1", [case.crn])
    assert cache.client_id() == client_id
    cache.apply("record_contact", contact_args(case.crn), actor=OFFICER, today=TODAY, now=NOW)
    [row] = cache.next_outbox_batch(10)
    assert cache.oldest_pending_age(NOW) is not None
    cache.record_push_results(
        [MutationResult(seq=row.seq, status="applied")], last_applied_seq=row.seq
    )
    assert cache.pending_count() == 0
    assert cache.counts()["cases"] == 1


def test_retrying_a_rejection_queues_it_again(cdb: CacheDb, case: CaseData) -> None:
    cache = LocalCache(cdb)
    seq = cache.apply(
        "record_contact", contact_args(case.crn), actor=OFFICER, today=TODAY, now=NOW
    ).seq
    cache.record_push_results(
        [MutationResult(seq=seq, status="rejected", message="No.")], last_applied_seq=seq
    )
    [rejection] = open_rejections(cdb)
    change = cache.retry_rejection(rejection.id, actor=OFFICER, today=TODAY, now=NOW)
    assert change.seq == seq + 1
    assert open_rejections(cdb) == []


def test_resolving_a_conflict_queues_the_choice_and_closes_it(cdb: CacheDb, case: CaseData) -> None:
    cache = LocalCache(cdb)
    args = {"crn": case.crn, "phone": "01632960999", "base_version": 1}
    seq = cache.apply("update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW).seq
    clash = FieldConflict(
        kind="person",
        record_id=case.person.id,
        field="phone",
        yours="01632960999",
        central="01632960111",
    )
    cache.record_push_results(
        [MutationResult(seq=seq, status="conflict", conflicts=[clash])], last_applied_seq=seq
    )
    [conflict] = open_conflicts(cdb)
    choice = {**args, "phone": "01632960111"}
    cache.resolve_conflict(
        conflict.id, "update_contact_details", choice, actor=OFFICER, today=TODAY, now=NOW
    )
    assert open_conflicts(cdb) == []
    assert cache.pending_count() == 1
