from __future__ import annotations

from storage.db import CacheDb
from storage.push_results import record_push_results
from storage.queries.problems import counts, dismiss_rejection, open_rejections
from storage.write import apply_local_mutation
from sync.protocol import MutationResult
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args


def test_rejections_are_listed_until_dismissed(cdb: CacheDb, case: CaseData) -> None:
    seq = apply_local_mutation(
        cdb, "record_contact", contact_args(case.crn), actor=OFFICER, today=TODAY, now=NOW
    ).seq
    assert counts(cdb)["pending"] == 1
    record_push_results(
        cdb,
        [MutationResult(seq=seq, status="rejected", message="No access.")],
        last_applied_seq=seq,
    )
    [rejection] = open_rejections(cdb)
    assert rejection.message == "No access."
    assert rejection.args["notes"] == "Phoned to confirm the appointment"
    assert counts(cdb) == {
        "cases": 1,
        "conflicts": 0,
        "rejections": 1,
        "pending": 0,
        "changes_waiting": 0,
    }
    dismiss_rejection(cdb, rejection.id, at=NOW)
    assert open_rejections(cdb) == []
