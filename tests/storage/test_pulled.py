from __future__ import annotations

import json

from storage import outbox, pulled, records
from storage.checksum import case_checksums
from storage.db import CacheDb
from storage.pulled import apply_pull_page, evict, replace_case
from storage.push_results import record_push_results
from storage.schema import RECORD_KINDS
from storage.write import apply_local_mutation
from sync.protocol import FieldConflict, MutationResult
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, change, contact_args, make_case


def _phone(cdb: CacheDb, case: CaseData) -> str:
    row = records.get_row(cdb, "person", case.person.id)
    assert row is not None
    return str(json.loads(row["data"])["phone"])


def _edit_phone(cdb: CacheDb, case: CaseData, phone: str) -> int:
    args = {"crn": case.crn, "phone": phone, "base_version": 1}
    return apply_local_mutation(
        cdb, "update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW
    ).seq


def test_a_snapshot_is_held_with_a_matching_checksum(cdb: CacheDb, case: CaseData) -> None:
    assert case_checksums(cdb) == {case.crn: case.snapshot().checksum}
    assert cdb.one("SELECT cursor FROM sync_state") == "c1"


def test_pending_edits_survive_a_pull_by_rebase(cdb: CacheDb, case: CaseData) -> None:
    _edit_phone(cdb, case, "01632960999")
    moved = case.person.model_copy(update={"tier": "A1"})
    apply_pull_page(cdb, changes=[change("person", moved, 2)], cursor="c2", last_applied_seq=0)
    row = records.get_row(cdb, "person", case.person.id)
    assert row is not None
    data = json.loads(row["data"])
    assert (data["tier"], data["phone"], row["pending"]) == ("A1", "01632960999", 1)
    # The checksum counts the server's version, not the local edit.
    assert case_checksums(cdb)[case.crn] != case.snapshot().checksum


def test_once_the_server_has_applied_it_the_pulled_row_wins(cdb: CacheDb, case: CaseData) -> None:
    seq = _edit_phone(cdb, case, "01632960999")
    record_push_results(cdb, [MutationResult(seq=seq, status="applied")], last_applied_seq=seq)
    server = case.person.model_copy(update={"phone": "01632960999"})
    apply_pull_page(cdb, changes=[change("person", server, 2)], cursor="c2", last_applied_seq=seq)
    row = records.get_row(cdb, "person", case.person.id)
    assert row is not None
    assert (row["version"], row["pending"]) == (2, 0)
    assert cdb.one("SELECT count(*) FROM shadow") == 0


def test_a_rejection_undoes_the_optimistic_change_and_is_kept(cdb: CacheDb, case: CaseData) -> None:
    seq = _edit_phone(cdb, case, "01632960999")
    result = MutationResult(seq=seq, status="rejected", code="forbidden", message="Not allowed.")
    applied = record_push_results(cdb, [result], last_applied_seq=seq)
    assert _phone(cdb, case) == case.person.phone
    assert case.crn in applied.cases
    rejection = cdb.query("SELECT * FROM rejection")[0]
    assert rejection["message"] == "Not allowed."
    assert json.loads(rejection["args"])["phone"] == "01632960999"  # what the officer typed
    assert outbox.pending_count(cdb) == 0


def test_a_conflict_is_stored_with_all_three_values(cdb: CacheDb, case: CaseData) -> None:
    seq = _edit_phone(cdb, case, "01632960999")
    clash = FieldConflict(
        kind="person",
        record_id=case.person.id,
        field="phone",
        original="",
        yours="01632960999",
        central="01632960111",
    )
    result = MutationResult(seq=seq, status="conflict", conflicts=[clash])
    record_push_results(cdb, [result], last_applied_seq=seq)
    [row] = cdb.query("SELECT fields FROM conflict")
    assert json.loads(row["fields"])[0]["central"] == "01632960111"


def test_results_are_stored_once_when_a_push_is_retried(cdb: CacheDb, case: CaseData) -> None:
    seq = _edit_phone(cdb, case, "01632960999")
    result = MutationResult(seq=seq, status="rejected", message="No.")
    record_push_results(cdb, [result], last_applied_seq=seq)
    record_push_results(cdb, [result], last_applied_seq=seq)
    assert cdb.one("SELECT count(*) FROM rejection") == 1


def test_one_answer_with_every_outcome_marks_each_row_and_keeps_each_problem(
    cdb: CacheDb, case: CaseData
) -> None:
    seqs = [_edit_phone(cdb, case, f"0163296{n:04d}") for n in range(4)]
    results = [
        MutationResult(seq=seqs[0], status="applied"),
        MutationResult(seq=seqs[1], status="rejected", code="forbidden", message="Not allowed."),
        MutationResult(seq=seqs[2], status="applied"),
        MutationResult(seq=seqs[3], status="conflict", message="Changed centrally."),
        MutationResult(seq=seqs[1], status="applied"),  # answered twice: the first counts
    ]
    record_push_results(cdb, results, last_applied_seq=seqs[-1])
    rows = cdb.query("SELECT seq, state, attempts, last_error FROM outbox ORDER BY seq")
    assert [(r["state"], r["attempts"], r["last_error"]) for r in rows] == [
        ("applied", 1, None),
        ("rejected", 1, "Not allowed."),
        ("applied", 1, None),
        ("conflict", 1, "Changed centrally."),
    ]
    assert cdb.query("SELECT seq FROM rejection") == [{"seq": seqs[1]}]
    assert cdb.query("SELECT seq FROM conflict") == [{"seq": seqs[3]}]
    assert outbox.pending_count(cdb) == 0


def test_a_locally_created_contact_becomes_the_server_row(cdb: CacheDb, case: CaseData) -> None:
    args = contact_args(case.crn)
    seq = apply_local_mutation(cdb, "record_contact", args, actor=OFFICER, today=TODAY, now=NOW).seq
    row = records.get_row(cdb, "contact", args["contact_id"])
    assert row is not None
    data = json.loads(row["data"])
    record_push_results(cdb, [MutationResult(seq=seq, status="applied")], last_applied_seq=seq)
    server = change("contact", case.contacts[0], 1)
    server = server.model_copy(update={"id": args["contact_id"], "data": data})
    apply_pull_page(cdb, changes=[server], cursor="c2", last_applied_seq=seq)
    row = records.get_row(cdb, "contact", args["contact_id"])
    assert row is not None
    assert (row["version"], row["pending"]) == (1, 0)


def test_tombstones_delete(cdb: CacheDb, case: CaseData) -> None:
    gone = change("contact", case.contacts[0], 2, deleted=True)
    apply_pull_page(cdb, changes=[gone], cursor="c2", last_applied_seq=0)
    assert records.get_row(cdb, "contact", case.contacts[0].id) is None


def test_changes_for_cases_not_held_are_ignored(cdb: CacheDb, case: CaseData) -> None:
    other = make_case("Y123456")
    apply_pull_page(
        cdb, changes=[change("person", other.person, 1)], cursor="c2", last_applied_seq=0
    )
    assert records.get_row(cdb, "person", other.person.id) is None


def _case_rows(cdb: CacheDb, crn: str) -> int:
    total = sum(cdb.one(f"SELECT count(*) FROM {k} WHERE crn = ?", (crn,)) for k in RECORD_KINDS)
    return int(total) + int(cdb.one("SELECT count(*) FROM shadow WHERE crn = ?", (crn,)))


def test_eviction_removes_every_row_and_search_entry(cdb: CacheDb, case: CaseData) -> None:
    other = make_case("Y123456", surname="Otherperson")
    apply_pull_page(cdb, snapshots=[other.snapshot()], cursor="c2", last_applied_seq=0)
    _edit_phone(cdb, case, "01632960999")
    apply_pull_page(cdb, evicted=[case.crn], cursor="c3", last_applied_seq=0)
    assert _case_rows(cdb, case.crn) == 0
    assert cdb.one("SELECT count(*) FROM held_case WHERE crn = ?", (case.crn,)) == 0
    hits = cdb.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'example'")
    assert hits == 0
    assert cdb.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'otherperson'") == 1
    assert cdb.one("SELECT count(*) FROM contact_fts") == len(other.contacts)
    # The officer's unsent change is not dropped: it still goes to the server, which decides.
    assert [r.name for r in outbox.pending(cdb)] == ["update_contact_details"]


def test_evict_and_replace_case(cdb: CacheDb, case: CaseData) -> None:
    evict(cdb, [case.crn])
    assert case_checksums(cdb) == {}
    replace_case(cdb, case.snapshot(version=3))
    assert case_checksums(cdb) == {case.crn: case.snapshot(version=3).checksum}


def test_a_page_of_big_snapshots_is_written_whole_indexed_and_in_order(cdb: CacheDb) -> None:
    """More rows of a kind than one INSERT statement takes (ROWS_PER_INSERT), over two
    cases in one page: every row, its search entry and its order within the case."""
    big = make_case("B100001", surname="Bigcase", contacts=pulled.ROWS_PER_INSERT + 7)
    small = make_case("S100002", surname="Smallcase", contacts=2)
    for n, contact in enumerate(big.contacts):
        big.contacts[n] = contact.model_copy(update={"notes": f"Zebrafinch séance {n}"})
    apply_pull_page(
        cdb, snapshots=[big.snapshot(), small.snapshot()], cursor="c2", last_applied_seq=0
    )
    sums = case_checksums(cdb)
    assert sums[big.crn] == big.snapshot().checksum
    assert sums[small.crn] == small.snapshot().checksum
    rows = records.case_rows(cdb, big.crn, "contact")
    assert [r["id"] for r in rows] == [str(c.id) for c in big.contacts]
    assert json.loads(rows[-1]["data"]) == big.contacts[-1].model_dump(mode="json")
    hits = cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'zebrafin*'")
    assert hits == len(big.contacts)
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'seance'") == hits
    assert cdb.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'bigcase'") == 1
    # Pulled again whole (a drifted case): replaced, not duplicated, still indexed once.
    replace_case(cdb, big.snapshot(version=2))
    assert len(records.case_rows(cdb, big.crn, "contact")) == len(big.contacts)
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'zebrafin*'") == hits


def test_a_page_of_changes_lands_in_feed_order_with_shadows_kept(
    cdb: CacheDb, case: CaseData
) -> None:
    """Upserts are written in bulk, but a tombstone after an upsert of the same record
    still wins, a shadowed record's change goes to its shadow, other cases are skipped."""
    _edit_phone(cdb, case, "01632960999")  # the person now has a shadow
    fresh = make_case(case.crn, contacts=pulled.ROWS_PER_INSERT + 3).contacts
    doomed, edited = fresh[0], case.contacts[1].model_copy(update={"notes": "Quokka visit"})
    other = make_case("Y123456")
    page = [change("contact", c, 5) for c in fresh]
    page += [
        change("contact", edited, 6),
        change("contact", doomed, 7, deleted=True),
        change("person", case.person.model_copy(update={"tier": "A1"}), 8),
        change("person", other.person, 9),
    ]
    applied = apply_pull_page(cdb, changes=page, cursor="c2", last_applied_seq=0)
    assert applied.cases == {case.crn}
    assert records.get_row(cdb, "contact", doomed.id) is None
    assert records.get_row(cdb, "person", other.person.id) is None
    rows = records.case_rows(cdb, case.crn, "contact")
    assert len(rows) == len(case.contacts) + len(fresh) - 1
    assert cdb.one("SELECT count(*) FROM contact_fts") == len(rows)
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'quokka'") == 1
    person = records.get_row(cdb, "person", case.person.id)
    assert person is not None  # the pulled tier, the pending phone re-applied on top
    assert (json.loads(person["data"])["tier"], _phone(cdb, case)) == ("A1", "01632960999")
