"""Pages before a pull's last commit without an fsync; everything else stays FULL. A pull
from scratch builds the random-order indexes once, with its last page."""

from __future__ import annotations

import pytest

from storage.db import BULK_CHECKPOINT_PAGES, CHECKPOINT_PAGES, PULL_CACHE_KIB, CacheDb
from storage.deferred import build_deferred_indexes
from storage.pulled import apply_pull_page
from storage.schema import DEFERRABLE_ID_INDEXES, DEFERRABLE_INDEXES, DEFERRABLE_SEARCH
from tests.storage.builders import make_case

NORMAL, FULL = 1, 2
# What a pull from scratch defers: indexes (dates, ids), and search indexes (kept as `<kind>_fts`).
DEFERRED = (
    *DEFERRABLE_INDEXES,
    *DEFERRABLE_ID_INDEXES,
    *(f"{kind}_fts" for kind in DEFERRABLE_SEARCH),
)


def _durability(cdb: CacheDb) -> tuple[int, int]:
    return cdb.one("PRAGMA synchronous"), cdb.one("PRAGMA wal_autocheckpoint")


def test_re_downloadable_relaxes_only_inside_and_always_restores(cdb: CacheDb) -> None:
    assert _durability(cdb) == (FULL, CHECKPOINT_PAGES)
    with cdb.re_downloadable():
        assert _durability(cdb) == (NORMAL, BULK_CHECKPOINT_PAGES)
    assert _durability(cdb) == (FULL, CHECKPOINT_PAGES)
    with pytest.raises(ZeroDivisionError), cdb.re_downloadable():
        _ = 1 / 0
    assert _durability(cdb) == (FULL, CHECKPOINT_PAGES)


def test_it_cannot_be_entered_inside_a_transaction(cdb: CacheDb) -> None:
    with cdb.atomic(), pytest.raises(RuntimeError):
        cdb.re_downloadable().__enter__()


def test_a_page_with_more_to_come_is_committed_and_full_comes_back(cdb: CacheDb) -> None:
    first, last = make_case("X100001"), make_case("X100002")
    apply_pull_page(
        cdb, snapshots=[first.snapshot()], cursor="c1", last_applied_seq=0, more_to_come=True
    )
    assert _durability(cdb) == (FULL, CHECKPOINT_PAGES)
    assert cdb.one("SELECT cursor FROM sync_state") == "c1"
    assert cdb.one("SELECT count(*) FROM held_case") == 1
    apply_pull_page(cdb, snapshots=[last.snapshot()], cursor="c2", last_applied_seq=0)
    assert cdb.one("SELECT cursor FROM sync_state") == "c2"
    assert cdb.one("SELECT count(*) FROM held_case") == 2


def test_inside_a_callers_transaction_the_page_joins_it(cdb: CacheDb) -> None:
    with cdb.atomic():
        apply_pull_page(
            cdb,
            snapshots=[make_case().snapshot()],
            cursor="c1",
            last_applied_seq=0,
            more_to_come=True,
        )
        assert cdb.one("PRAGMA synchronous") == FULL
    assert cdb.one("SELECT cursor FROM sync_state") == "c1"


def _indexes(cdb: CacheDb) -> dict[str, str]:
    rows = cdb.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    return {r["name"]: r["sql"] for r in rows}


def _page(cdb: CacheDb, crn: str, cursor: str, *, more_to_come: bool = False) -> None:
    """One pulled page holding one case's snapshot."""
    apply_pull_page(
        cdb,
        snapshots=[make_case(crn).snapshot()],
        cursor=cursor,
        last_applied_seq=0,
        more_to_come=more_to_come,
    )


def test_a_pull_from_scratch_defers_the_random_order_indexes_to_its_last_page(
    cdb: CacheDb,
) -> None:
    fresh = _indexes(cdb)
    assert set(DEFERRABLE_INDEXES) <= set(fresh)
    _page(cdb, "X100001", "c1", more_to_come=True)
    assert not set(DEFERRABLE_INDEXES) & set(_indexes(cdb))
    assert cdb.one("SELECT count(*) FROM deferred_index") == len(DEFERRED)
    _page(cdb, "X100002", "c2", more_to_come=True)
    apply_pull_page(
        cdb, snapshots=[make_case("X100003").snapshot()], cursor="c3", last_applied_seq=0
    )
    assert _indexes(cdb) == fresh  # the same statements, built again
    assert cdb.one("SELECT count(*) FROM deferred_index") == 0
    assert cdb.one("PRAGMA integrity_check") == "ok"


def test_a_pull_that_resumes_or_fits_one_page_defers_nothing(cdb: CacheDb) -> None:
    fresh = _indexes(cdb)
    apply_pull_page(
        cdb, snapshots=[make_case("X100001").snapshot()], cursor="c1", last_applied_seq=0
    )
    apply_pull_page(
        cdb,
        snapshots=[make_case("X100002").snapshot()],
        cursor="c2",
        last_applied_seq=0,
        more_to_come=True,  # a later pull (cursor saved): nothing deferred
    )
    assert _indexes(cdb) == fresh
    assert build_deferred_indexes(cdb) == 0


def test_deferred_indexes_are_built_once_whoever_asks(cdb: CacheDb) -> None:
    fresh = _indexes(cdb)
    _page(cdb, "X100001", "c1", more_to_come=True)
    assert build_deferred_indexes(cdb) == len(DEFERRED)
    assert build_deferred_indexes(cdb) == 0
    assert _indexes(cdb) == fresh


def test_a_connection_that_applies_pulled_pages_keeps_a_larger_page_cache(
    cdb: CacheDb,
) -> None:
    assert cdb.one("PRAGMA cache_size") > -PULL_CACHE_KIB  # the default is smaller
    _page(cdb, "X100001", "c1", more_to_come=True)
    assert cdb.one("PRAGMA cache_size") == -PULL_CACHE_KIB
    apply_pull_page(cdb, snapshots=[], cursor="c2", last_applied_seq=0)
    assert cdb.one("PRAGMA cache_size") == -PULL_CACHE_KIB  # kept between pages
