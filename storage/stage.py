"""The pull stage: pages of a pull from scratch, kept until the cache has committed them.

A pull from scratch (a first sync, a re-download after a server reset) applies several
pages per transaction (storage/chunked.py): a commit per page rewrote the same index and
search pages at every commit, a third of a first sync's time. So that a crash still
re-downloads at most one page, each page is first written here, with the cursor it was
asked for with, in a small SQLCipher file beside the cache (same key): the next pull
applies the staged pages that follow on from the cache's cursor, then asks from there.

Everything here can be downloaded again, so it commits without an fsync (a power cut may
drop staged pages, never half of one), and a damaged file is simply started afresh.
Bodies are compressed (zlib level 1: ~11x on pulled JSON, ~3 ms a 1,000-record page),
by `pack`, which the sync engine runs on the thread that fetched the page.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.db import NotADatabase, SQLError, connect, with_side_files

log = logging.getLogger(__name__)

STAGE_FILE = "pull-stage.db"


@dataclass(frozen=True, slots=True)
class StagedPage:
    after: str | None  # the cursor the page was asked for with (None: the first page)
    body: bytes  # the server's answer, as received


def pack(body: bytes) -> bytes:
    """A page as the stage keeps it. Pure, and zlib lets other threads run meanwhile."""
    return zlib.compress(body, 1)


class PullStage:
    """The staged pages of one profile. Opened by the thread that uses it, per pull."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key
        self._conn: Any = None  # a sqlcipher3 connection (untyped)

    def _db(self) -> Any:
        if self._conn is None:
            try:
                self._conn = self._open()
            except (NotADatabase, SQLError) as exc:
                log.warning("pull stage unreadable (%s); starting it afresh", type(exc).__name__)
                self.remove()
                self._conn = self._open()
        return self._conn

    def _open(self) -> Any:
        conn = connect(self.path, self._key)
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS page (n INTEGER PRIMARY KEY, after TEXT,"
                " body BLOB NOT NULL)"
            )
            conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            conn.close()  # or Windows keeps the file open and `remove` cannot delete it
            raise
        return conn

    def add(self, after: str | None, packed: bytes) -> None:
        """Keep one page, `pack`ed (its own transaction: there, or not at all)."""
        self._db().execute("INSERT INTO page (after, body) VALUES (?, ?)", (after, packed))

    def pages(self) -> list[StagedPage]:
        """The staged pages in the order they came; none when there is no stage file.

        A page that cannot be read back ends the list: what follows it is asked for again.
        """
        if self._conn is None and not self.path.exists():
            return []
        try:
            rows = self._db().execute("SELECT after, body FROM page ORDER BY n").fetchall()
        except SQLError as exc:
            log.warning("pull stage unreadable (%s); pages will be downloaded again", exc)
            return []
        pages: list[StagedPage] = []
        for after, body in rows:
            try:
                pages.append(StagedPage(after, zlib.decompress(body)))
            except (zlib.error, TypeError):
                break
        return pages

    def clear(self) -> None:
        """Forget every staged page (zeroed on disk: the cache's pragmas keep secure_delete)."""
        if self._conn is None and not self.path.exists():
            return
        self._db().execute("DELETE FROM page")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def remove(self) -> None:
        """Close and delete the stage and SQLite's files beside it."""
        self.close()
        for path in with_side_files(self.path):
            path.unlink(missing_ok=True)
