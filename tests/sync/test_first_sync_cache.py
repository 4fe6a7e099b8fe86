"""A many-page first sync into the real encrypted cache (fake central on loopback).

Pages before a pull's last commit without an fsync (storage.db.CacheDb.re_downloadable);
these tests hold what that must not change: every pulled record searchable, checksums
agreeing, FULL durability back afterwards, and an interrupted first sync leaving a
consistent cache that resumes from its last committed page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.crypto import FAST_TEST_PARAMS
from storage.queries.search import search
from storage.schema import DEFERRABLE_ID_INDEXES, DEFERRABLE_INDEXES, DEFERRABLE_SEARCH
from sync.cache import EncryptedCache, profile_name
from sync.client import SyncClient
from sync.errors import ServerRefusedError
from tests.sync.conftest import FAST, PASSWORD, USER
from tests.sync.fake_central import Central, serve

CASES = 12
RECORDS = 5
PAGE = 3  # the fake central sends up to this many entering cases a page, then changes
DEFERRED = {*DEFERRABLE_INDEXES, *DEFERRABLE_ID_INDEXES}  # dates and record ids


@pytest.fixture
def central() -> Central:
    c = Central()
    crns = [f"X{300000 + i}" for i in range(CASES)]
    for number, crn in enumerate(crns):
        for record in range(RECORDS):
            data = {"notes": f"synthetic visit{number}x{record}", "date": "2026-11-02"}
            c.put(crn, uuid.uuid4(), data)
    c.scope[USER] = set(crns)
    c.passwords[USER] = PASSWORD
    return c


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[EncryptedCache]:
    folder = tmp_path / "profile"
    opened = EncryptedCache.open(folder, profile_name(folder, USER), PASSWORD, kdf=FAST_TEST_PARAMS)
    yield opened
    opened.close()


@pytest.fixture
def laptop(central: Central, cache: EncryptedCache) -> Iterator[SyncClient]:
    with serve(central) as url:
        client = SyncClient(
            cache,
            url,
            USER,
            type(FAST)(http=FAST.http, retry=FAST.retry, pull_limit=PAGE),
        )
        client.sign_in(PASSWORD, "test laptop")
        yield client
        client.close()


def _searchable(cache: EncryptedCache, word: str) -> int:
    return int(
        cache.db().one("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", (word,))
    )


def _found(cache: EncryptedCache, text: str) -> set[str]:
    """The cases the app's search shows for `text`."""
    return {r.crn for r in search(cache.db(), text, limit=100)}


def _deferred_search(cache: EncryptedCache) -> set[str]:
    names = {r["name"] for r in cache.db().query("SELECT name FROM deferred_index")}
    return {kind for kind in DEFERRABLE_SEARCH if f"{kind}_fts" in names}


def _unbuilt(cache: EncryptedCache) -> set[str]:
    """Deferred indexes not built yet (a pull from scratch builds them with its last page)."""
    present = {
        r["name"] for r in cache.db().query("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    return DEFERRED - present


def _interrupt_at_third_request(central: Central) -> tuple[list[str], list[str | None], dict]:
    sent: list[str] = []
    cursors: list[str | None] = []
    real_pull = central.pull
    interrupt = {"on": True}

    def pull(user, request):  # type: ignore[no-untyped-def]
        cursors.append(request.cursor)
        if len(cursors) == 3 and interrupt["on"]:
            return 400, {"code": "bad", "message": "interrupted"}, {}
        answer = real_pull(user, request)
        sent.extend(s["crn"] for s in answer[1]["snapshots"])
        return answer

    central.pull = pull  # type: ignore[method-assign]
    return sent, cursors, interrupt


def _consistent(cache: EncryptedCache) -> None:
    db = cache.db()
    assert db.one("PRAGMA integrity_check") == "ok"
    if not _deferred_search(cache):  # a deferred search index is rebuilt whole at the end
        db.execute("INSERT INTO contact_fts(contact_fts) VALUES ('integrity-check')")
    held = {r["crn"] for r in db.query("SELECT crn FROM held_case")}
    rows = {r["crn"] for r in db.query("SELECT DISTINCT crn FROM contact")}
    assert rows == held
    for crn in held:  # whole cases only: a page is one transaction
        assert db.one("SELECT count(*) FROM contact WHERE crn = ?", (crn,)) == RECORDS


def test_every_pulled_record_is_searchable_and_durability_is_full_again(
    laptop: SyncClient, cache: EncryptedCache
) -> None:
    summary = laptop.sync()
    assert summary.cases == CASES
    assert summary.refetched == 0  # the SQL-built checksums agree with the server's
    assert _searchable(cache, "synthetic") == CASES * RECORDS
    assert _searchable(cache, "visit7x3") == 1
    assert _searchable(cache, "visi*") == CASES * RECORDS  # prefix index
    assert cache.db().one("PRAGMA synchronous") == 2  # FULL
    assert _unbuilt(cache) == set()
    _consistent(cache)


def test_an_interrupted_first_sync_is_consistent_and_resumes(
    laptop: SyncClient, cache: EncryptedCache, central: Central
) -> None:
    sent, cursors, interrupt = _interrupt_at_third_request(central)
    with pytest.raises(ServerRefusedError):
        laptop.sync()
    saved = cache.pull_state()
    assert len(saved.held_cases) == 2 * PAGE  # two pages committed, the third refused
    assert cache.db().one("PRAGMA synchronous") == 2  # back to FULL after a failed pull
    _consistent(cache)
    # The contact search index is deferred until the pull's last page, and the app's
    # search reads the contacts instead: the same cases found, whole words and prefixes.
    assert _deferred_search(cache) == {"contact"}
    assert _searchable(cache, "synthetic") == 0
    assert _found(cache, "synthetic") == set(saved.held_cases)
    assert _found(cache, "visi") == set(saved.held_cases)
    assert _found(cache, "visit1x3") == {saved.held_cases[1]}
    assert _unbuilt(cache) == DEFERRED  # until the pull's last page

    interrupt["on"] = False
    cursors.clear()
    laptop.sync()
    assert cursors[0] == saved.cursor  # resumed where the last committed page ended
    assert len(sent) - len(set(sent)) <= PAGE  # at most one page downloaded twice
    assert len(cache.pull_state().held_cases) == CASES
    assert _searchable(cache, "synthetic") == CASES * RECORDS
    assert _unbuilt(cache) == set()
    assert _deferred_search(cache) == set()
    assert _found(cache, "synthetic") == set(cache.pull_state().held_cases)
    _consistent(cache)


def test_opening_the_cache_builds_indexes_an_interrupted_first_sync_left(
    laptop: SyncClient, cache: EncryptedCache, central: Central, tmp_path: Path
) -> None:
    _interrupt_at_third_request(central)
    with pytest.raises(ServerRefusedError):
        laptop.sync()
    assert _unbuilt(cache) == DEFERRED
    cache.close()
    folder = tmp_path / "profile"
    again = EncryptedCache.open(folder, profile_name(folder, USER), PASSWORD, kdf=FAST_TEST_PARAMS)
    try:
        assert _unbuilt(again) == set()
        assert again.db().one("SELECT count(*) FROM deferred_index") == 0
        held = again.pull_state().held_cases
        assert _searchable(again, "synthetic") == len(held) * RECORDS  # rebuilt on open
        _consistent(again)
    finally:
        again.close()
