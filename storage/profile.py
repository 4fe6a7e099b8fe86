"""A profile folder: exactly one cache, its key in the credential store, one writer.

The app opens the writer connection once (taking the profile lock), and per-thread
reader connections with `connect()`. Opening detects a damaged file and rebuilds it,
keeping whatever unsent work could be read (salvage.py).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from storage import salvage, state
from storage.crypto import KdfParams
from storage.db import CacheDb, NotADatabase, SQLError
from storage.errors import CacheDamaged, NoCacheKey
from storage.keys import KeyStore
from storage.lock import ProfileLock
from storage.migrations import migrate
from storage.wipe import remove_files, wipe

log = logging.getLogger(__name__)

CACHE_FILE = "cache.db"

# Tables read at open: a damaged header, schema or outbox page fails here, before use.
_PROBES = (
    "SELECT count(*) FROM sqlite_master",
    "SELECT count(*) FROM sync_state",
    "SELECT count(*) FROM outbox",
)


_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "no such table")


def _is_damage(exc: Exception) -> bool:
    """Errors that mean the file's content is broken (SQLCipher's HMAC failures included)."""
    return isinstance(exc, NotADatabase) or any(w in str(exc) for w in _DAMAGE_WORDS)


class Profile:
    def __init__(self, folder: Path, name: str, *, kdf: KdfParams | None = None) -> None:
        self.folder = folder
        self.db_path = folder / CACHE_FILE
        self.keys = KeyStore(name, params=kdf)
        self.lock = ProfileLock(folder)
        self.notice: CacheDamaged | None = None

    def unlock_or_create(self, password: str) -> bytes:
        """The cache key: unwrapped with the password, or made on the first sign-in.

        A cache file without its key is never given a new key: opening it would fail and
        rebuild it, losing cases (and anything unsent that salvage cannot read).
        """
        if self.keys.exists():
            return self.keys.unlock(password)
        if self.db_path.exists():
            raise NoCacheKey()
        return self.keys.create(password)

    def open_writer(self, key: bytes) -> CacheDb:
        """The writing connection: lock, open, check, migrate (or salvage and rebuild)."""
        self.lock.acquire()
        try:
            return self._open_checked(key)
        except BaseException:
            self.lock.release()
            raise

    def connect(self, key: bytes) -> CacheDb:
        """Another thread's connection to an already opened cache (WAL: readers never block)."""
        return CacheDb(self.db_path, key)

    def _open_checked(self, key: bytes) -> CacheDb:
        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            cdb = CacheDb(self.db_path, key)
            try:
                migrate(cdb.db)
                state.ensure(cdb)
                for probe in _PROBES:
                    cdb.one(probe)
            except BaseException:
                cdb.close()
                raise
        except (NotADatabase, SQLError) as exc:
            if not _is_damage(exc):
                raise  # a full disk or a locked file is not a reason to throw cases away
            log.error("cache damaged at open (%s); salvaging", type(exc).__name__)
            return self._rebuild(key)
        log.info("cache opened in %.1f ms", (time.perf_counter() - started) * 1000)
        return cdb

    def _rebuild(self, key: bytes) -> CacheDb:
        found = salvage.read_what_we_can(self.db_path, key)
        if found.outbox:
            salvage.seal_to_file(self.folder, key, found)
        for path in (self.db_path, *self.db_path.parent.glob(CACHE_FILE + "-*")):
            path.unlink(missing_ok=True)
        cdb = CacheDb(self.db_path, key)
        migrate(cdb.db)
        state.ensure(cdb)
        salvage.restore(cdb, found)
        self.notice = CacheDamaged(len(found.outbox))
        log.info("cache rebuilt: %d unsent changes kept", len(found.outbox))
        return cdb

    def close(self) -> None:
        self.lock.release()

    def wipe(self) -> None:
        """Key and files gone; call after closing every connection (idempotent)."""
        wipe(self.db_path, self.keys)

    def remove_cache_files(self) -> int:
        return remove_files(self.db_path)
