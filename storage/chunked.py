"""A pull from scratch, applied several pages per transaction, each page staged first.

Why: a first sync committed each 1,000-record page on its own, and every commit wrote
again the pages of the indexes and of the search index that the next page changed too
(random-order UUID keys, FTS5 segments): measured on 27,099 records, 25,296 page
writes for a 7,665-page cache, and ~0.6 s of a ~2.5 s first sync. Eight pages a
transaction take most of that away (docs/sync.md "First sync").

What keeps the promises (DESIGN.md's sync invariants, docs/sync.md):
- A page is one savepoint inside the chunk's transaction (`pulled.apply_pull_page`
  nests), so a page is applied whole or not at all, with its cursor.
- Before it is applied, a page is written to the stage (storage/stage.py) with the
  cursor it was asked for with. A crash before the chunk commits loses no downloaded
  page: `resume` applies the staged pages that follow on from the committed cursor,
  and the pull asks from the last of them: at most one page is downloaded again.
- The transaction never waits on the network while it holds the write lock: the
  engine calls `settle` when the next page is still not in hand 0.1 s after it was
  wanted (sync/engine.py `SETTLE_AFTER_S`), so a save made by the officer waits at most
  for a few pages' writing and that 0.1 s.
- Pages before the pull's last commit without an fsync (`CacheDb.re_downloadable`,
  as before); the last page is followed by a FULL commit, which makes the whole pull
  durable. Local saves and the outbox are never written in here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from storage import state
from storage.db import CacheDb
from storage.stage import PullStage, StagedPage

log = logging.getLogger(__name__)

# Pages a transaction. The SQL of a 27,099-record first sync, replayed: one a page
# 2.07 s, 4: 1.56 s, 8: 1.42 s, 16: 1.47 s, all in one: 1.28 s (docs/sync.md "First
# sync"). Eight 1,000-record pages keep a transaction's dirty pages (~7 MiB) well inside
# the pull's page cache, and a save that waits for them under half a second.
CHUNK_PAGES = 8

T = TypeVar("T")


class ChunkedPull:
    """One pull from scratch on one connection (the sync thread's)."""

    def __init__(self, cdb: CacheDb, stage: PullStage) -> None:
        self.cdb = cdb
        self.stage = stage
        self.pages = 0
        self._relaxed = False
        self._finished = False

    def apply(
        self, after: str | None, packed: bytes, page: Callable[[], T], *, more_to_come: bool
    ) -> T:
        """Stage the page (`stage.pack`ed), then apply it (`page()`) in the open chunk;
        commit the chunk when it is full or this was the pull's last page."""
        self.stage.add(after, packed)
        if not self.cdb.conn.in_transaction:
            self._begin()
        applied = page()
        self.pages += 1
        if not more_to_come:
            self.settle(last=True)
        elif self.pages >= CHUNK_PAGES:
            self.settle()
        return applied

    def _begin(self) -> None:
        self.cdb.relax_durability()
        self._relaxed = True
        try:
            self.cdb.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._restore()
            raise

    def settle(self, *, last: bool = False) -> None:
        """Commit what is applied and forget the staged pages (a failed commit rolls
        back; the stage then still holds the pages for `resume`)."""
        if self.cdb.conn.in_transaction:
            try:
                self.cdb.commit()
            finally:
                self._restore()
        else:
            self._restore()
        self.stage.clear()
        self.pages = 0
        if last:
            self._finished = True
            # Restored to FULL above: one small FULL commit syncs the WAL, and with it
            # every earlier page of this pull (SQLite cannot change durability inside
            # a transaction, so the chunk itself may have committed without an fsync).
            with self.cdb.atomic():
                state.update(self.cdb, cursor=state.read(self.cdb).cursor)
            # And the WAL goes into the file now, as the last page's commit used to do by
            # itself (`wal_autocheckpoint`): left there, the first save after a first
            # sync paid for copying up to a thousand of its pages.
            self.cdb.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _restore(self) -> None:
        if self._relaxed:
            self._relaxed = False
            self.cdb.restore_durability()

    def close(self) -> None:
        """The pull ended (finished, failed or cancelled): keep what was applied.

        A finished pull's stage is empty and goes: otherwise every later pull (the
        usual one-page sync) opened an SQLCipher file, wrote an empty DELETE and
        checkpointed it on close, only to find nothing staged (docs/sync.md).
        """
        try:
            self.settle()
        finally:
            if self._finished:
                self.stage.remove()
            else:
                self.stage.close()


def resume(
    cdb: CacheDb,
    stage: PullStage,
    apply: Callable[[StagedPage], object],
) -> int:
    """Apply the staged pages that follow on from the cache's cursor, in one
    transaction; forget the stage. Returns how many were applied.

    `apply` parses and applies one page (it may refuse a page it cannot read: the
    rest is downloaded again). Pages that do not follow on (committed before a crash
    cut the stage's clearing short, or from another pull) are dropped.
    """
    pages: Sequence[StagedPage] = stage.pages()
    applied = 0
    try:
        if pages:
            with cdb.atomic():
                for page in pages:
                    if page.after != state.read(cdb).cursor:
                        continue
                    try:
                        apply(page)
                    except ValueError as exc:
                        log.warning("a staged page could not be read (%s)", type(exc).__name__)
                        break
                    applied += 1
            dropped = len(pages) - applied
            log.info("pull resumed: %d staged page(s) applied, %d dropped", applied, dropped)
    finally:
        # Whatever happened, the stage goes: pages that failed to apply are downloaded
        # again rather than failing every later sync (and the next pull opens no file).
        stage.clear()
        stage.remove()
    return applied
