"""Opening the encrypted cache: SQLCipher with a raw key, wrapped in sqlite-utils.

Every connection is opened with the raw 256-bit key (0.3 ms) rather than a passphrase
(SQLCipher's PBKDF2 would cost ~200 ms per connection); the password work happens once,
in keys.py. See docs/storage.md for the pragmas chosen and why.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import sqlcipher3
import sqlite_utils

from storage import checkpointer
from storage.errors import DiskFull

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5_000
# WAL pages between automatic checkpoints: SQLite's default, so that small commits (saves)
# share one checkpoint per ~1,000 pages, and while a pull writes the pages before its last
# (`re_downloadable`). A checkpoint syncs the WAL and the database file (two fsyncs) and
# copies every page the WAL holds: at 1,000 a first sync of 27,000 records checkpointed
# ~22 times; at 8,000 (32 MiB of WAL) ~3 times, and a page written by several commits is
# copied once.
CHECKPOINT_PAGES = 1_000
BULK_CHECKPOINT_PAGES = 8_000
# A large durable write (a pull's last page, `checkpoint_behind`) leaves its checkpoint to
# a thread (storage/checkpointer.py); SQLite's own stays as a safety net at this many
# pages, above what one such page adds to the log (~600 pages for 1,000 contacts).
FALLBACK_PAGES = 4_000
# After a checkpoint empties the WAL, its file is cut back to this size (a bulk pull may
# have grown it to ~BULK_CHECKPOINT_PAGES pages).
WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024
# Page cache of a connection that applies pulled pages, in KiB (others keep the default,
# 8 MiB here). Every page SQLCipher reads from the file is decrypted and its HMAC checked;
# a first sync of 27,000 records (a 31 MB cache) with 8 MiB read 24,129 pages back while
# writing (random-order index pages evicted and read again), with 64 MiB 8,357. Memory
# is taken as pages are used, so a small caseload costs only what it holds; it is kept
# for the connection's life (shrinking would drop the pages the next page needs).
PULL_CACHE_KIB = 65_536
# The files SQLite keeps beside a database (WAL, shared memory, rollback journal).
SIDE_FILES = ("-wal", "-shm", "-journal")
SQLError = sqlcipher3.Error
IntegrityError = sqlcipher3.IntegrityError


def with_side_files(path: Path) -> list[Path]:
    """A database file and the files SQLite may keep beside it."""
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)]


class NotADatabase(Exception):
    """The file cannot be read with this key: damaged, truncated or another file."""


def _pragmas() -> tuple[str, ...]:
    return (
        "PRAGMA journal_mode = WAL",
        # FULL: in WAL mode NORMAL may lose the last commits on power loss; FULL syncs
        # the WAL on every commit, so a change the officer saw saved stays saved.
        "PRAGMA synchronous = FULL",
        f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}",
        f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}",
        "PRAGMA foreign_keys = ON",
        # Deleted case data is overwritten with zeros rather than left in free pages.
        "PRAGMA secure_delete = ON",
        # Temporary tables and sort spills stay in memory, never in plain temp files.
        "PRAGMA temp_store = MEMORY",
        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    )


def connect(path: Path, key: bytes, *, plain: bool = False) -> sqlcipher3.Connection:
    """A raw connection (autocommit: transactions are explicit). `plain` is for benchmarks."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if not plain:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in _pragmas():
            conn.execute(pragma)
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise NotADatabase(str(exc)) from None
        raise
    return conn


class CacheDb:
    """One thread's connection to the cache, with `atomic()` for one write transaction."""

    def __init__(self, path: Path, key: bytes, *, plain: bool = False) -> None:
        self.path = path
        self.db = sqlite_utils.Database(connect(path, key, plain=plain))
        self.checkpointer = checkpointer.acquire(path, lambda: connect(path, key, plain=plain))
        self._poke_after = False  # inside `checkpoint_behind`

    @property
    def conn(self) -> Any:
        return self.db.conn

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.db.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, params: Any = ()) -> Any:
        row = self.db.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextlib.contextmanager
    def atomic(self) -> Iterator[CacheDb]:
        """One transaction, taken as writer up front (BEGIN IMMEDIATE) so it never fails
        half-way on a lock upgrade; nested use becomes a savepoint."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._rolled_back(exc)
        self._committed()

    def commit(self) -> None:
        """COMMIT a transaction begun by hand (storage/chunked.py); rolled back if it fails."""
        try:
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._rolled_back(exc)
        self._committed()

    def _committed(self) -> None:
        if self._poke_after:
            self.checkpointer.poke()

    @contextlib.contextmanager
    def checkpoint_behind(self) -> Iterator[CacheDb]:
        """Transactions inside leave their WAL checkpoint to the file's checkpointer thread
        instead of paying for it in their COMMIT (storage/checkpointer.py says why: for a
        pull's last page, 8-12 ms every other pull). Wraps whole transactions."""
        if self.conn.in_transaction:
            raise RuntimeError("checkpoint_behind() must wrap whole transactions")
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {FALLBACK_PAGES}")
        self._poke_after = True
        try:
            yield self
        finally:
            self._poke_after = False
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")

    def _rolled_back(self, exc: BaseException) -> NoReturn:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlcipher3.OperationalError) and "full" in str(exc):
            raise DiskFull() from exc
        raise exc

    def use_pull_cache(self) -> None:
        """Give this connection the pull's page cache (PULL_CACHE_KIB), once."""
        size = int(self.one("PRAGMA cache_size"))
        # Negative = KiB, positive = pages (4 KiB each with SQLCipher's default page size).
        if (-size if size < 0 else size * 4) < PULL_CACHE_KIB:
            self.execute(f"PRAGMA cache_size = -{PULL_CACHE_KIB}")

    @contextlib.contextmanager
    def re_downloadable(self) -> Iterator[CacheDb]:
        """Transactions inside commit without an fsync (`synchronous = NORMAL`) and
        checkpoint less often; only for pulled pages the server can send again.

        Why this keeps every promise (docs/storage.md "Pragmas", docs/sync.md):
        - A process crash (SIGKILL, an exception) loses nothing: a NORMAL commit is in the
          WAL file (the OS holds it) before COMMIT returns, exactly as with FULL.
        - Power loss may drop the last NORMAL commits, never part of one: WAL frames are
          checksummed and only whole committed transactions are replayed, so the cache
          comes back as it was after an earlier page, with that page's cursor (saved in
          the same transaction). The next pull asks again from that cursor: the lost pages
          are downloaded again, nothing is skipped or half-applied.
        - Nothing else becomes less durable. The outbox, push results and local saves are
          never written in here and still commit with FULL, and a FULL commit (any
          connection) syncs the whole WAL, so it also makes every earlier NORMAL commit
          durable: a saved change can never outlive the pulled page it was made on. With
          NORMAL, SQLite also syncs the WAL before any checkpoint copies it.
        - The caller commits the last page of each pull outside this block, with FULL, so
          a pull that has finished is durable as a whole.
        """
        self.relax_durability()
        try:
            yield self
        finally:
            self.restore_durability()

    def relax_durability(self) -> None:
        """Enter `re_downloadable`'s mode (outside a transaction); see there for why."""
        if self.conn.in_transaction:
            raise RuntimeError("re_downloadable() must wrap whole transactions")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")

    def restore_durability(self) -> None:
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")

    def close(self) -> None:
        """Close the connection; the file's last one also stops its checkpointer."""
        try:
            self.db.close()
        finally:
            checkpointer.release(self.path)

    def __enter__(self) -> CacheDb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
