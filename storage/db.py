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
from typing import Any

import sqlcipher3
import sqlite_utils

from storage.errors import DiskFull

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5_000
SQLError = sqlcipher3.Error
IntegrityError = sqlcipher3.IntegrityError


class NotADatabase(Exception):
    """The file cannot be read with this key: damaged, truncated or another file."""


def _pragmas() -> tuple[str, ...]:
    return (
        "PRAGMA journal_mode = WAL",
        # FULL: in WAL mode NORMAL may lose the last commits on power loss; FULL syncs
        # the WAL on every commit, so a change the officer saw saved stays saved.
        "PRAGMA synchronous = FULL",
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
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlcipher3.OperationalError) and "full" in str(exc):
                raise DiskFull() from exc
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CacheDb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
