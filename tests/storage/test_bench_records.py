"""The storage benchmark's synthetic records go through the same pull code as the
server's: if `storage.pulled.Change` gains a field, the bench's `Rec` must have it too
(`python -m bench storage` failed for a while because it had not)."""

from __future__ import annotations

from bench._storage_data import case_snapshot_records
from storage.db import CacheDb
from storage.pulled import apply_pull_page


class _Snap:
    def __init__(self, crn: str, records: list[object]) -> None:
        self.crn = crn
        self.records = records


def test_the_benchmarks_snapshot_records_apply_as_a_pulled_page(cdb: CacheDb) -> None:
    crn, records = case_snapshot_records(0, contacts=5)
    apply_pull_page(cdb, snapshots=[_Snap(crn, records)], cursor="c", last_applied_seq=0)

    assert cdb.one("SELECT count(*) FROM contact WHERE crn = ?", (crn,)) == 5
    assert cdb.one("SELECT count(*) FROM person WHERE crn = ?", (crn,)) == 1
