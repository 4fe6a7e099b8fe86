from __future__ import annotations

import json

import pytest

from domain.errors import ValidationError
from storage import outbox, records
from storage.db import CacheDb
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args


def _apply(cdb: CacheDb, name: str, args: dict):
    return apply_local_mutation(cdb, name, args, actor=OFFICER, today=TODAY, now=NOW)


def test_a_saved_contact_is_in_the_cache_and_the_outbox(cdb: CacheDb, case: CaseData) -> None:
    args = contact_args(case.crn)
    change = _apply(cdb, "record_contact", args)
    row = records.get_row(cdb, "contact", args["contact_id"])
    assert row is not None
    assert row["pending"] == 1
    assert row["version"] == 0
    assert json.loads(row["data"])["staff_code"] == OFFICER.staff_code
    [queued] = outbox.pending(cdb)
    assert queued.seq == change.seq == 1
    assert queued.args == args
    assert queued.name == "record_contact"
    assert change.cases == {case.crn}
    assert "contact" in change.kinds


def test_seq_numbers_are_gap_free_per_client(cdb: CacheDb, case: CaseData) -> None:
    seqs = [_apply(cdb, "record_contact", contact_args(case.crn)).seq for _ in range(5)]
    assert seqs == [1, 2, 3, 4, 5]


def test_a_refused_change_writes_nothing(cdb: CacheDb, case: CaseData) -> None:
    with pytest.raises(ValidationError):
        _apply(cdb, "record_contact", contact_args(case.crn, type_code="NOPE"))
    assert outbox.pending_count(cdb) == 0
    assert cdb.one("SELECT count(*) FROM contact WHERE pending = 1") == 0


def test_the_base_version_is_recorded_for_edits(cdb: CacheDb, case: CaseData) -> None:
    args = {"crn": case.crn, "phone": "01632960999", "base_version": 1}
    _apply(cdb, "update_contact_details", args)
    base = cdb.one("SELECT base_versions FROM outbox WHERE seq = 1")
    assert json.loads(base) == {f"person:{case.person.id}": 1}
    person = records.get_row(cdb, "person", case.person.id)
    assert person is not None
    assert json.loads(person["data"])["phone"] == "01632960999"
    assert person["version"] == 1  # the server version stays until the server answers


def test_case_views_are_queued_for_audit(cdb: CacheDb, case: CaseData) -> None:
    _apply(cdb, "case_viewed", {"crn": case.crn, "viewed_at": NOW.isoformat()})
    assert cdb.one("SELECT action FROM audit_queue") == "case_viewed"


def test_a_failure_after_the_cache_write_leaves_neither_row_nor_mutation(
    cdb: CacheDb, case: CaseData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache row, its search entry and the outbox row commit together or not at all."""
    import storage.write

    def outbox_fails(*_args: object, **_kwargs: object) -> int:
        raise OSError("the outbox write failed")

    monkeypatch.setattr(storage.write.outbox, "append", outbox_fails)
    args = contact_args(case.crn, notes="Spoke about the Marrowbank hostel place")
    with pytest.raises(OSError, match="outbox"):
        _apply(cdb, "record_contact", args)
    monkeypatch.undo()
    assert records.get_row(cdb, "contact", args["contact_id"]) is None
    assert outbox.pending_count(cdb) == 0
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'marrowbank'") == 0
    assert cdb.one("SELECT last_seq FROM sync_state") == 0
    # And the next save still gets seq 1: nothing was handed out.
    assert _apply(cdb, "record_contact", contact_args(case.crn)).seq == 1
    _apply(cdb, "record_contact", args)  # the same save, now whole: found by its words
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'marrowbank'") == 1
