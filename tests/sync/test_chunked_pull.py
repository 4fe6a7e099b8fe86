"""A pull from scratch applies several pages a transaction (storage/chunked.py); what an
officer relies on must not change: nothing downloaded is lost to a crash, a save never
waits on the network, a finished pull is durable and complete, and a bad stage file
never stops a sync."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.chunked import CHUNK_PAGES
from storage.crypto import FAST_TEST_PARAMS
from storage.schema import DEFERRABLE_ID_INDEXES, DEFERRABLE_INDEXES
from storage.stage import STAGE_FILE, pack
from storage.wipe import cache_files
from sync.cache import EncryptedCache, profile_name
from sync.engine import SyncEngine
from sync.progress import Progress
from sync.protocol import PROTOCOL_VERSION, PullRequest, PullResponse
from tests.storage.builders import make_case
from tests.sync.conftest import PASSWORD, USER

FULL = 2


def _open(folder: Path) -> EncryptedCache:
    return EncryptedCache.open(folder, profile_name(folder, USER), PASSWORD, kdf=FAST_TEST_PARAMS)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def cache(folder: Path) -> Iterator[EncryptedCache]:
    opened = _open(folder)
    yield opened
    opened.close()


def _page(n: int, *, more: bool = True) -> PullResponse:
    """Page n (1-based) of a first sync: one whole case, cursor "c<n>"."""
    return PullResponse(
        protocol_version=PROTOCOL_VERSION,
        snapshots=[make_case(f"X{400000 + n}").snapshot()],
        cursor=f"c{n}",
        has_more=more,
        last_applied_seq=0,
    )


def _held(cache: EncryptedCache) -> int:
    return len(cache.pull_state().held_cases)


def _committed(folder: Path) -> int:
    """Cases another connection sees (what a crash now would leave in the cache)."""
    reader = _open_reader(folder)
    try:
        return int(reader.one("SELECT count(*) FROM held_case"))
    finally:
        reader.close()


def _open_reader(folder: Path):  # type: ignore[no-untyped-def]
    from storage.db import CacheDb
    from storage.keys import KeyStore

    key = KeyStore(profile_name(folder, USER), params=FAST_TEST_PARAMS).unlock(PASSWORD)
    return CacheDb(folder / "cache.db", key)


def test_a_crash_mid_chunk_loses_no_downloaded_page(folder: Path) -> None:
    cache = _open(folder)
    cache.pull_state()
    applied = CHUNK_PAGES - 2
    for n in range(1, applied + 1):
        cache.apply_pull_page(_page(n))
    assert _committed(folder) == 0  # the chunk is still open...
    cache.close()  # ...and the process dies here: SQLite rolls it back

    reopened = _open(folder)
    try:
        state = reopened.pull_state()  # the next pull starts: staged pages are applied
        assert state.cursor == f"c{applied}"  # it asks for the page after the last one
        assert len(state.held_cases) == applied
        assert _committed(folder) == applied
        assert not _staged(folder, reopened)
    finally:
        reopened.close()


def test_a_first_sync_resumed_after_a_restart_still_goes_a_chunk_at_a_time(
    folder: Path,
) -> None:
    cache = _open(folder)
    cache.pull_state()
    for n in range(1, CHUNK_PAGES + 2):  # a whole chunk committed, one page staged
        cache.apply_pull_page(_page(n))
    cache.close()  # the laptop is shut mid-sync

    reopened = _open(folder)  # its open builds the deferred indexes, for the caseload
    try:
        assert reopened.pull_state().cursor == f"c{CHUNK_PAGES + 1}"
        resumed = CHUNK_PAGES + 2
        reopened.apply_pull_page(_page(resumed))
        assert _committed(folder) == CHUNK_PAGES + 1  # in an open chunk, not a commit a page
        assert _staged(folder, reopened) == 1  # and staged, so a crash loses nothing
        reopened.apply_pull_page(_page(resumed + 1, more=False))
        assert _committed(folder) == resumed + 1
        db = reopened.db()
        names = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {*DEFERRABLE_INDEXES, *DEFERRABLE_ID_INDEXES} <= names
        assert not db.one("SELECT pull_from_scratch FROM sync_state")
        reopened.apply_pull_page(_page(resumed + 2))  # a later, ordinary pull of two pages
        assert _committed(folder) == resumed + 2  # is a commit a page again
    finally:
        reopened.close()


def _staged(folder: Path, cache: EncryptedCache) -> int:
    from storage.stage import PullStage

    stage = PullStage(folder / STAGE_FILE, cache._key)
    try:
        return len(stage.pages())
    finally:
        stage.close()


def test_a_full_chunk_commits_and_the_stage_empties(folder: Path, cache: EncryptedCache) -> None:
    cache.pull_state()
    for n in range(1, CHUNK_PAGES + 1):
        cache.apply_pull_page(_page(n))
    assert _committed(folder) == CHUNK_PAGES
    assert _staged(folder, cache) == 0
    cache.apply_pull_page(_page(CHUNK_PAGES + 1))
    assert _staged(folder, cache) == 1


def test_the_last_page_makes_the_whole_pull_committed_durable_and_indexed(
    folder: Path, cache: EncryptedCache
) -> None:
    cache.pull_state()
    for n in range(1, 4):
        cache.apply_pull_page(_page(n))
    cache.apply_pull_page(_page(4, more=False))
    assert _committed(folder) == 4
    assert _staged(folder, cache) == 0
    db = cache.db()
    assert db.one("PRAGMA synchronous") == FULL
    assert not db.conn.in_transaction
    names = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {*DEFERRABLE_INDEXES, *DEFERRABLE_ID_INDEXES} <= names
    assert db.one("SELECT cursor FROM sync_state") == "c4"
    # Checkpointed: the pulled pages are in the file itself, so the officer's first save
    # does not pay for copying them out of the WAL.
    pages, size = int(db.one("PRAGMA page_count")), int(db.one("PRAGMA page_size"))
    assert (folder / "cache.db").stat().st_size == pages * size


def _save_without_waiting(folder: Path) -> None:
    """A write on another connection that fails at once if the write lock is held."""
    officer = _open_reader(folder)
    try:
        officer.execute("PRAGMA busy_timeout = 0")
        with officer.atomic():
            officer.execute(
                "INSERT INTO setting (key, value) VALUES ('k', 'v')"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
    finally:
        officer.close()


def test_waiting_for_the_network_holds_no_write_lock(folder: Path, cache: EncryptedCache) -> None:
    cache.pull_state()
    cache.apply_pull_page(_page(1))
    cache.apply_pull_page(_page(2))
    cache.settle_pull()  # the engine: the next page is not here yet
    assert _committed(folder) == 2
    _save_without_waiting(folder)  # e.g. the window saving a draft meanwhile
    cache.apply_pull_page(_page(3, more=False))  # the pull goes on after the save
    assert _held(cache) == 3


class _SlowNetwork:
    """A first sync of three pages whose last is held on the network until `release`."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def pull(self, request: PullRequest) -> PullResponse:
        n = 1 if request.cursor is None else int(request.cursor[1:]) + 1
        if n == 3 and not self.release.wait(timeout=60):
            raise TimeoutError("the test never released the last page")
        page = _page(n, more=n < 3)
        page._body = page.model_dump_json().encode()
        return page


def test_the_engine_commits_the_chunk_while_a_page_is_on_the_network(
    folder: Path, cache: EncryptedCache
) -> None:
    network = _SlowNetwork()
    engine = SyncEngine(cache, network, Progress())  # type: ignore[arg-type]
    pulling = threading.Thread(target=engine.pull)
    pulling.start()
    try:
        deadline = time.monotonic() + 30
        while _committed(folder) < 2:  # polled: the engine gives no signal of its own
            assert time.monotonic() < deadline, "pages 1-2 stayed in the open chunk"
            threading.Event().wait(0.01)
        _save_without_waiting(folder)  # a save made while page 3 is on the network
    finally:
        network.release.set()
        pulling.join()
    assert _committed(folder) == 3


def test_a_failed_pull_keeps_the_pages_it_applied(folder: Path, cache: EncryptedCache) -> None:
    cache.pull_state()
    cache.apply_pull_page(_page(1))
    cache.apply_pull_page(_page(2))
    broken = _page(3).model_copy(update={"snapshots": [make_case("X400003").snapshot()]})
    broken.snapshots[0].records[0].__dict__["kind"] = "not_a_kind"  # fails mid-page
    with pytest.raises(ValueError, match="unknown record kind"):
        cache.apply_pull_page(broken)
    cache.end_pull()  # the engine's pull ends (here with the error)
    assert _committed(folder) == 2  # the third page left nothing behind
    assert cache.db().one("SELECT cursor FROM sync_state") == "c2"
    assert cache.db().one("PRAGMA synchronous") == FULL


def test_staged_pages_that_do_not_follow_on_are_dropped(folder: Path) -> None:
    cache = _open(folder)
    cache.pull_state()
    for n in range(1, CHUNK_PAGES + 1):
        cache.apply_pull_page(_page(n))
    # A crash between a chunk's commit and the stage's clearing: stage the chunk's pages
    # again by hand, as they were.
    from storage.stage import PullStage

    stage = PullStage(folder / STAGE_FILE, cache._key)
    for n in range(1, 3):
        stage.add(None if n == 1 else f"c{n - 1}", pack(_page(n).model_dump_json().encode()))
    stage.close()
    cache.close()

    reopened = _open(folder)
    try:
        state = reopened.pull_state()
        assert state.cursor == f"c{CHUNK_PAGES}"  # nothing applied twice or rewound
        assert len(state.held_cases) == CHUNK_PAGES
        assert _staged(folder, reopened) == 0
    finally:
        reopened.close()


@pytest.mark.allow_warnings  # "pull stage unreadable": said once, in the log
def test_a_damaged_stage_never_stops_a_sync(folder: Path) -> None:
    cache = _open(folder)
    cache.pull_state()
    cache.apply_pull_page(_page(1))
    cache.close()  # crash with one page staged...
    (folder / STAGE_FILE).write_bytes(b"\x00garbage" * 512)  # ...and the stage damaged
    for suffix in ("-wal", "-shm"):
        (folder / (STAGE_FILE + suffix)).unlink(missing_ok=True)

    reopened = _open(folder)
    try:
        state = reopened.pull_state()
        assert state.cursor is None  # the page is simply asked for again
        reopened.apply_pull_page(_page(1))
        reopened.apply_pull_page(_page(2, more=False))
        assert _held(reopened) == 2
    finally:
        reopened.close()


def test_wiping_the_cache_removes_the_stage(folder: Path, cache: EncryptedCache) -> None:
    cache.pull_state()
    cache.apply_pull_page(_page(1))
    cache.end_pull()
    assert (folder / STAGE_FILE).exists()
    assert folder / STAGE_FILE in cache_files(folder / "cache.db")
    cache.wipe()
    assert not any(p.exists() for p in folder.glob(STAGE_FILE + "*"))


def test_a_finished_pull_leaves_no_stage_for_the_next_pull_to_open(
    folder: Path, cache: EncryptedCache
) -> None:
    cache.pull_state()
    cache.apply_pull_page(_page(1))
    cache.apply_pull_page(_page(2, more=False))
    cache.end_pull()
    assert not any(p.exists() for p in folder.glob(STAGE_FILE + "*"))
    assert _held(cache) == 2  # every page kept: only the empty stage went
