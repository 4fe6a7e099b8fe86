"""The caseload rows of just the cases a change touched, over the real encrypted cache:
the same rows a page shows, read with a fixed number of statements whatever the count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.usecases.caseload import load_caseload_rows
from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page, evict
from tests.storage.builders import NOW, OFFICER, CaseData, change, make_case


@pytest.fixture
def cases() -> list[CaseData]:
    return [make_case(f"X{n:06d}", surname=f"Surname{n:03d}") for n in range(40)]


@pytest.fixture
def cdb(tmp_path: Path, cases: list[CaseData]) -> Iterator[CacheDb]:
    profile = Profile(tmp_path / "profile", "officer.one", kdf=FAST_TEST_PARAMS)
    opened = profile.open_writer(profile.keys.create("correct horse battery staple"))
    apply_pull_page(opened, snapshots=[c.snapshot() for c in cases], cursor="c", last_applied_seq=0)
    yield opened
    opened.close()
    profile.close()


@pytest.fixture
def cache(cdb: CacheDb) -> StorageCache:
    return StorageCache(cdb, OFFICER, lambda: NOW, owns_connection=False)


def statements(cdb: CacheDb) -> list[str]:
    seen: list[str] = []
    cdb.conn.set_trace_callback(seen.append)
    return seen


def test_rows_are_the_rows_a_page_shows(cache: StorageCache) -> None:
    page = {r.crn: r for r in cache.caseload_page(offset=0, limit=100).rows}
    wanted = {"X000003", "X000017", "X000031"}
    rows = cache.caseload_rows(wanted)
    assert {r.crn for r in rows} == wanted
    assert all(r == page[r.crn] for r in rows)


def test_one_read_for_many_cases_as_for_one(cache: StorageCache, cdb: CacheDb) -> None:
    seen = statements(cdb)
    cache.caseload_rows({"X000001"})
    one = len(seen)
    seen.clear()
    cache.caseload_rows({f"X{n:06d}" for n in range(30)})
    assert len(seen) == one  # set-based: no statement per case
    cdb.conn.set_trace_callback(None)


def test_a_case_not_held_has_no_row(cache: StorageCache, cdb: CacheDb) -> None:
    evict(cdb, ["X000005"])
    ctx = AppContext(lambda: cache, Officer("officer.one"), clock=lambda: NOW)
    update = load_caseload_rows(ctx, {"X000005", "X000006", "NEVER"})
    assert [r.crn for r in update.rows] == ["X000006"]
    assert update.gone == {"X000005", "NEVER"}


def test_nothing_asked_reads_nothing(cache: StorageCache, cdb: CacheDb) -> None:
    seen = statements(cdb)
    ctx = AppContext(lambda: cache, Officer("officer.one"), clock=lambda: NOW)
    assert load_caseload_rows(ctx, set()).rows == ()
    assert seen == []
    cdb.conn.set_trace_callback(None)


def test_rows_follow_a_pulled_change(
    cache: StorageCache, cdb: CacheDb, cases: list[CaseData]
) -> None:
    yesterday = NOW.date() - dt.timedelta(days=1)
    (before,) = cache.caseload_rows({"X000002"})
    assert before.last_contact != yesterday
    contact = cases[2].contacts[0].model_copy(update={"date": yesterday})
    apply_pull_page(cdb, changes=[change("contact", contact, 2)], cursor="d", last_applied_seq=0)
    (row,) = cache.caseload_rows({"X000002"})
    assert row.last_contact == yesterday
