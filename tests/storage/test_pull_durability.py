"""Pages before a pull's last commit without an fsync; everything else stays FULL."""

from __future__ import annotations

import pytest

from storage.db import BULK_CHECKPOINT_PAGES, CHECKPOINT_PAGES, CacheDb
from storage.pulled import apply_pull_page
from tests.storage.builders import make_case

NORMAL, FULL = 1, 2


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
