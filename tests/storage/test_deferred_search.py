"""A pull from scratch builds the contact search index once, with its last page
(storage/schema.py DEFERRABLE_SEARCH); the app's search answers the same meanwhile
and afterwards as with the index kept row by row."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import deferred, records
from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.deferred import build_deferred_indexes
from storage.profile import Profile
from storage.pulled import apply_pull_page
from storage.queries.search import search
from storage.schema import DEFERRABLE_SEARCH
from tests.storage.builders import CaseData, make_case

# Whole words, prefixes (short and longer than the prefix indexes), several words,
# names, a CRN, words in no contact.
QUERIES = (
    "employment",
    "empl",
    "employmen",
    "discussed employment plans",
    "plans visit 2",
    "visit",
    "Smith",
    "X100002",
    "nothing like it",
    "zz",
)


def _cases() -> list[CaseData]:
    names = ("Smith", "Jones", "Patel", "Nowak")
    return [make_case(f"X10000{n}", surname=names[n], contacts=4 + n) for n in range(len(names))]


@pytest.fixture
def second(tmp_path: Path) -> Iterator[CacheDb]:
    """Another fresh cache, to apply the same pages to the way the index used to be kept."""
    profile = Profile(tmp_path / "other", "officer.two", kdf=FAST_TEST_PARAMS)
    opened = profile.open_writer(profile.keys.create("another synthetic password"))
    yield opened
    opened.close()
    profile.close()


def _page(cdb: CacheDb, case: CaseData, cursor: str, *, more_to_come: bool) -> None:
    apply_pull_page(
        cdb,
        snapshots=[case.snapshot()],
        cursor=cursor,
        last_applied_seq=0,
        more_to_come=more_to_come,
    )


def _answers(cdb: CacheDb) -> dict[str, list[object]]:
    return {text: list(search(cdb, text)) for text in QUERIES}


def _deferred(cdb: CacheDb) -> bool:
    return cdb.one("SELECT 1 FROM deferred_index WHERE name = 'contact_fts'") is not None


def _fts_ok(cdb: CacheDb) -> None:
    cdb.execute("INSERT INTO contact_fts(contact_fts) VALUES ('integrity-check')")
    assert cdb.one("PRAGMA integrity_check") == "ok"


def test_search_answers_the_same_during_and_after_a_first_sync(
    cdb: CacheDb, second: CacheDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert DEFERRABLE_SEARCH == ("contact",)
    cases = _cases()
    for n, case in enumerate(cases[:-1]):
        _page(cdb, case, f"c{n}", more_to_come=True)
    with monkeypatch.context() as old_way:
        old_way.setattr(deferred, "DEFERRABLE_SEARCH", ())
        for n, case in enumerate(cases[:-1]):
            _page(second, case, f"c{n}", more_to_come=True)
        assert not _deferred(second)
        during = _answers(second)
    assert _deferred(cdb)
    assert cdb.one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH 'visit'") == 0
    assert _answers(cdb) == during  # read from the table meanwhile
    assert any(during.values())

    _page(cdb, cases[-1], "end", more_to_come=False)
    with monkeypatch.context() as old_way:
        old_way.setattr(deferred, "DEFERRABLE_SEARCH", ())
        _page(second, cases[-1], "end", more_to_come=False)
    assert not _deferred(cdb)
    assert _answers(cdb) == _answers(second)
    match = "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rowid"
    for word in ("employment", "visit", "pla*", '"visit" "3"'):
        assert cdb.query(match, (word,)) == second.query(match, (word,))
    _fts_ok(cdb)


def test_rows_written_changed_or_deleted_meanwhile_are_indexed_as_they_end(
    cdb: CacheDb,
) -> None:
    first, last = _cases()[:2]
    _page(cdb, first, "c1", more_to_come=True)
    gone, changed = first.contacts[0], first.contacts[1]
    with cdb.atomic():  # local writes while the index is deferred
        records.delete(cdb, "contact", gone.id)
        data = {**changed.model_dump(mode="json"), "notes": "Rescheduled for the dentist"}
        records.put(cdb, "contact", changed.id, crn=first.crn, version=2, data=data)
        added = {**data, "id": str(uuid.uuid4()), "notes": "Housing officer called back"}
        added["date"] = dt.date(2026, 11, 30).isoformat()
        records.put(cdb, "contact", added["id"], crn=first.crn, version=1, data=added)
    assert {r.crn for r in search(cdb, "dentist")} == {first.crn}
    _page(cdb, last, "c2", more_to_come=False)
    _fts_ok(cdb)
    assert {r.crn for r in search(cdb, "dentist")} == {first.crn}
    assert {r.crn for r in search(cdb, "housing officer")} == {first.crn}
    found = "SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?"
    assert cdb.one(found, ("employment",)) == len(first.contacts) - 2 + len(last.contacts)


def test_a_deferred_search_index_is_built_once_and_its_triggers_come_back(
    cdb: CacheDb,
) -> None:
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    fresh = cdb.query(triggers)
    first, other = _cases()[:2]
    _page(cdb, first, "c1", more_to_come=True)
    assert not [t for t in cdb.query(triggers) if t["name"].startswith("contact_fts")]
    assert build_deferred_indexes(cdb) > 0  # as the cache's opening does after a crash
    assert cdb.query(triggers) == fresh
    assert not _deferred(cdb)
    _fts_ok(cdb)
    with cdb.atomic():  # kept row by row again
        records.delete_case(cdb, first.crn)
    _page(cdb, other, "c2", more_to_come=False)
    _fts_ok(cdb)
    assert [r.crn for r in search(cdb, "employment")] == [other.crn]
