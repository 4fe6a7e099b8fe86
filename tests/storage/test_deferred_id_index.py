"""A pull from scratch drops the record tables' `id` unique indexes with its first page
and builds them with its last (storage/deferred.py); nothing written meanwhile fails or
is stored twice: pulled changes, local saves, rebases, a conflict's resolution."""

from __future__ import annotations

import json
import logging

import pytest

from storage import outbox, records
from storage.cache import LocalCache
from storage.db import CacheDb, IntegrityError
from storage.deferred import build_deferred_indexes
from storage.pulled import apply_pull_page, reset_for_redownload
from storage.schema import DEFERRABLE_ID_INDEXES, RECORD_KINDS
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, change, contact_args, make_case

ID_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE name LIKE '%\\_id' ESCAPE '\\' ORDER BY name"
)


def _page(cdb: CacheDb, cases: list[CaseData], cursor: str, *, more_to_come: bool = True) -> None:
    apply_pull_page(
        cdb,
        snapshots=[c.snapshot() for c in cases],
        cursor=cursor,
        last_applied_seq=0,
        more_to_come=more_to_come,
    )


def _missing(cdb: CacheDb) -> set[str]:
    """The `id` indexes not in the schema now."""
    present = {r["name"] for r in cdb.query("SELECT name FROM sqlite_master")}
    return set(DEFERRABLE_ID_INDEXES) - present


def _repeated_ids(cdb: CacheDb) -> int:
    return sum(
        cdb.one(f"SELECT count(*) - count(DISTINCT id) FROM {kind}") for kind in RECORD_KINDS
    )


def _save(cdb: CacheDb, name: str, args: dict[str, object]) -> None:
    apply_local_mutation(cdb, name, args, actor=OFFICER, today=TODAY, now=NOW)


def _built_and_unique(cdb: CacheDb) -> None:
    assert _missing(cdb) == set()
    assert cdb.one("SELECT count(*) FROM deferred_index") == 0
    assert _repeated_ids(cdb) == 0
    assert cdb.one("PRAGMA integrity_check") == "ok"
    cdb.execute("INSERT INTO contact_fts(contact_fts, rank) VALUES ('integrity-check', 1)")


def test_a_first_sync_drops_the_id_indexes_and_its_last_page_builds_them(cdb: CacheDb) -> None:
    made = cdb.query(ID_INDEXES)
    cases = [make_case(f"X10000{n}") for n in range(3)]
    _page(cdb, cases[:1], "c1")
    assert _missing(cdb) == set(DEFERRABLE_ID_INDEXES)
    _page(cdb, cases[1:2], "c2")
    assert _missing(cdb) == set(DEFERRABLE_ID_INDEXES)
    _page(cdb, cases[2:], "c3", more_to_come=False)
    _built_and_unique(cdb)
    assert cdb.query(ID_INDEXES) == made
    assert cdb.one("SELECT count(*) FROM contact") == sum(len(c.contacts) for c in cases)
    with pytest.raises(IntegrityError), cdb.atomic():  # unique again
        cdb.execute(
            "INSERT INTO contact (id, crn, version, data) SELECT id, crn, version, data"
            " FROM contact LIMIT 1"
        )


def test_pulled_changes_in_a_later_page_update_in_place(cdb: CacheDb) -> None:
    """The server may send changes of cases already sent, between snapshots."""
    first, second = make_case("X100001"), make_case("X100002")
    _page(cdb, [first], "c1")
    edited = first.contacts[0].model_copy(update={"notes": "Quokka visit"})
    seq = cdb.one("SELECT seq FROM contact WHERE id = ?", (str(edited.id),))
    apply_pull_page(
        cdb,
        snapshots=[second.snapshot()],
        changes=[change("contact", edited, 2), change("person", first.person, 2)],
        cursor="c2",
        last_applied_seq=0,
        more_to_come=True,
    )
    row = records.get_row(cdb, "contact", edited.id)
    assert row is not None
    assert row["version"] == 2
    assert json.loads(row["data"])["notes"] == "Quokka visit"
    assert cdb.one("SELECT seq FROM contact WHERE id = ?", (str(edited.id),)) == seq
    assert _repeated_ids(cdb) == 0
    gone = first.registrations[0]  # a tombstone finds its row by the index, built first
    apply_pull_page(
        cdb,
        changes=[change("registration", gone, 3, deleted=True)],
        cursor="c2b",
        last_applied_seq=0,
        more_to_come=True,
    )
    assert records.get_row(cdb, "registration", gone.id) is None
    assert "registration_id" not in _missing(cdb)
    _page(cdb, [make_case("X100003")], "c3", more_to_come=False)
    _built_and_unique(cdb)
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'quokka'") == 1


def test_a_local_save_between_pages_is_kept_once_and_queued(cdb: CacheDb) -> None:
    """The app lets the officer work during a first sync: a new contact, an edit of a
    pulled record (upsert over an existing id), each saved between two pages."""
    first, second = make_case("X100001"), make_case("X100002")
    _page(cdb, [first], "c1")
    args = contact_args(first.crn)
    _save(cdb, "record_contact", args)
    assert _missing(cdb) == set()  # built before the semantics read records by id
    _save(
        cdb, "update_contact_details", {"crn": first.crn, "phone": "01632960999", "base_version": 1}
    )
    _page(cdb, [second], "c2")  # the pull goes on: the indexes are dropped again
    assert _missing(cdb) == set(DEFERRABLE_ID_INDEXES)
    _save(
        cdb, "update_contact_details", {"crn": first.crn, "phone": "01632960123", "base_version": 1}
    )
    _page(cdb, [make_case("X100003")], "c3", more_to_come=False)
    _built_and_unique(cdb)
    saved = records.get_row(cdb, "contact", args["contact_id"])
    assert saved is not None
    assert saved["pending"] == 1
    people = cdb.query("SELECT data FROM person WHERE crn = ?", (first.crn,))
    assert [json.loads(p["data"])["phone"] for p in people] == ["01632960123"]
    assert [r.name for r in outbox.pending(cdb)] == [
        "record_contact",
        "update_contact_details",
        "update_contact_details",
    ]


def test_a_re_download_rebases_pending_changes_onto_the_pulled_rows(cdb: CacheDb) -> None:
    """After a server reset, pending changes are re-applied over each re-pulled case
    (rebase: `ON CONFLICT (id)` upserts) while the pull from scratch goes on."""
    first, second = make_case("X100001"), make_case("X100002")
    _page(cdb, [first, second], "c1", more_to_come=False)
    _save(
        cdb, "update_contact_details", {"crn": first.crn, "phone": "01632960999", "base_version": 1}
    )
    reset_for_redownload(cdb)
    _page(cdb, [first], "r1")
    _page(cdb, [second], "r2", more_to_come=False)
    _built_and_unique(cdb)
    person = records.get_row(cdb, "person", first.person.id)
    assert person is not None
    assert person["pending"] == 1
    assert json.loads(person["data"])["phone"] == "01632960999"


def test_a_conflict_resolved_during_a_first_sync(cdb: CacheDb) -> None:
    first = make_case("X100001")
    _page(cdb, [first], "c1")
    cdb.execute(
        "INSERT INTO conflict (id, seq, mutation_id, crn, name, args, fields, created_at)"
        " VALUES ('k1', 1, 'm1', ?, 'update_contact_details', '{}', '[]', ?)",
        (first.crn, NOW.isoformat()),
    )
    args = {"crn": first.crn, "phone": "01632960555", "base_version": 1}
    LocalCache(cdb).resolve_conflict(
        "k1", "update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW
    )
    _page(cdb, [make_case("X100002")], "c2", more_to_come=False)
    _built_and_unique(cdb)
    assert cdb.one("SELECT resolved_at FROM conflict WHERE id = 'k1'") is not None
    assert cdb.one("SELECT count(*) FROM person WHERE crn = ?", (first.crn,)) == 1


@pytest.mark.allow_warnings
def test_an_id_stored_twice_meanwhile_never_stops_the_build(
    cdb: CacheDb, caplog: pytest.LogCaptureFixture
) -> None:
    """Should a server fault send a record twice, the newest row is kept, with a warning,
    and the cache opens as before (a failed build at every opening would lock it)."""
    first = make_case("X100001")
    _page(cdb, [first], "c1")
    again = first.contacts[0].model_copy(update={"notes": "The newer copy"})
    apply_pull_page(
        cdb,
        snapshots=[make_case("X100002").snapshot()],
        cursor="c2",
        last_applied_seq=0,
        more_to_come=True,
    )
    with cdb.atomic():  # what a faulty snapshot would write while the index is missing
        cdb.execute(
            "INSERT INTO contact (id, crn, version, data, search_text) VALUES (?, ?, 2, ?, ?)",
            (str(again.id), first.crn, again.model_dump_json(), "The newer copy"),
        )
    assert _repeated_ids(cdb) == 1
    with caplog.at_level(logging.WARNING):
        assert build_deferred_indexes(cdb) > 0
    assert "repeated id" in caplog.text
    _built_and_unique(cdb)
    row = records.get_row(cdb, "contact", again.id)
    assert row is not None
    assert json.loads(row["data"])["notes"] == "The newer copy"
