"""A pulled page's derived work (its rows, its staged form) is done on the thread that
fetched it, and a page written from that work is the page written without it."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage.crypto import FAST_TEST_PARAMS
from storage.schema import RECORD_KINDS
from sync.cache import EncryptedCache, profile_name
from sync.client import SyncClient
from sync.protocol import PROTOCOL_VERSION, PullResponse
from tests.storage.builders import make_case
from tests.sync.conftest import PASSWORD, USER
from tests.sync.memory_store import MemoryStore


@dataclass(frozen=True)
class _Made:
    cursor: str
    thread: int


class _Recording(MemoryStore):
    """The in-memory store, noting which thread prepared and which applied each page."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[_Made] = []
        self.applied: list[tuple[int, str, object]] = []

    def prepare_pull_page(self, response: PullResponse) -> _Made:  # type: ignore[override]
        made = _Made(response.cursor, threading.get_ident())
        self.made.append(made)
        return made

    def apply_pull_page(self, response: PullResponse, prepared: object = None) -> None:
        self.applied.append((threading.get_ident(), response.cursor, prepared))
        super().apply_pull_page(response, prepared)


@pytest.fixture
def store() -> _Recording:
    return _Recording()


def test_each_later_page_is_prepared_off_the_writing_thread_and_handed_back_with_it(
    client: SyncClient, store: _Recording
) -> None:
    client.settings = dataclasses.replace(client.settings, pull_limit=2)  # several pages
    client.sync()

    assert len(store.applied) >= 3
    writers = {thread for thread, _, _ in store.applied}
    assert len(writers) == 1  # every page written by the sync's own thread
    for _, cursor, prepared in store.applied:
        assert isinstance(prepared, _Made)
        assert prepared.cursor == cursor  # this page's own work, not a neighbour's
    # The first page is fetched by the sync's thread (nothing is being written yet);
    # every later one while the page before it is written.
    first, *later = [p.thread for _, _, p in store.applied if isinstance(p, _Made)]
    assert first in writers
    assert not writers & set(later)


def test_a_one_page_pull_stays_on_the_syncing_thread(client: SyncClient, store: _Recording) -> None:
    client.sync()  # one page at the default limit
    [(writer, _, prepared)] = store.applied
    assert isinstance(prepared, _Made)
    assert prepared.thread == writer == threading.get_ident()  # no hand-off to another


def _open(folder: Path) -> EncryptedCache:
    return EncryptedCache.open(folder, profile_name(folder, USER), PASSWORD, kdf=FAST_TEST_PARAMS)


def _received(n: int, *, more: bool) -> PullResponse:
    """Page n of a first sync as `SyncApi.pull` returns it: parsed, with its bytes."""
    page = PullResponse(
        protocol_version=PROTOCOL_VERSION,
        snapshots=[make_case(f"X{500000 + n}", contacts=3).snapshot()],
        cursor=f"c{n}",
        has_more=more,
        last_applied_seq=0,
    )
    page._body = page.model_dump_json().encode()
    return page


def _rows(cache: EncryptedCache) -> list[tuple[object, ...]]:
    every = " UNION ALL ".join(
        f"SELECT '{kind}', id, crn, version, data, search_text FROM {kind}" for kind in RECORD_KINDS
    )
    return [tuple(r.values()) for r in cache.db().query(every + " ORDER BY 2")]


def test_a_prepared_page_is_written_and_staged_as_an_unprepared_one(tmp_path: Path) -> None:
    pages = [_received(1, more=True), _received(2, more=True), _received(3, more=False)]
    plain, ahead = _open(tmp_path / "plain"), _open(tmp_path / "ahead")
    try:
        for cache, prepare in ((plain, False), (ahead, True)):
            cache.pull_state()
            for page in pages[:2]:
                prepared = cache.prepare_pull_page(page) if prepare else None
                cache.apply_pull_page(page, prepared)
        ahead.close()  # a crash mid-chunk: only the staged (prepared) pages are left
        ahead = _open(tmp_path / "ahead")
        assert ahead.pull_state().cursor == "c2"  # the staged pages were readable
        for cache in (plain, ahead):
            cache.apply_pull_page(pages[2], cache.prepare_pull_page(pages[2]))
        assert _rows(ahead) == _rows(plain)
        assert len(_rows(plain)) == 3 * len(pages[0].snapshots[0].records)
        for kind, word in (("person", "exampl*"), ("contact", "employ*")):
            hits = f"SELECT count(*) FROM {kind}_fts WHERE {kind}_fts MATCH '{word}'"
            assert ahead.db().one(hits) == plain.db().one(hits) > 0
    finally:
        plain.close()
        ahead.close()
