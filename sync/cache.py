"""The encrypted cache (storage/) behind the engine's port (sync.ports.CachePort).

Each thread that calls the adapter gets its own SQLCipher connection (a
connection belongs to the thread that opened it; WAL lets them coexist), and
every write is one of storage's own transactions, so the engine's guarantees
(an answer committed before it counts, the cursor saved with its page) are
storage's transactions. What changed is reported to `on_change`, so the app can
refresh just those views (CONVENTIONS.md §7).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from storage import outbox, state
from storage.profile import Profile
from storage.queries import problems
from storage.schema import RECORD_KINDS
from sync.errors import BadAnswerError, DeviceWiped
from sync.ports import CacheCounts, PullState

# The app opens the cache (`from_key`) before its first screen, the caseload; what only
# a sync uses is imported in the methods that use it, once the caseload has painted:
# `storage.pulled` (with the mutation semantics it re-applies pending changes with) and
# `sync.protocol` (the wire models). tests/app/test_startup_imports.py keeps it so.
if TYPE_CHECKING:
    from storage.chunked import ChunkedPull
    from storage.crypto import KdfParams
    from storage.db import CacheDb
    from storage.pulled import Applied, Row
    from storage.stage import PullStage, StagedPage
    from sync.protocol import CaseSnapshot, MutationEnvelope, PushResponse
    from sync.pull_page import PullPage

log = logging.getLogger(__name__)

OnChange = Callable[["Applied"], None]


@dataclass(frozen=True, slots=True)
class DerivedPage:
    """`prepare_pull_page`'s work: `pulled.snapshot_rows` and the `stage.pack`ed page."""

    rows: dict[str, list[Row]]
    packed: bytes | None


def profile_name(folder: Path, username: str) -> str:
    """The credential-store name of a profile's cache key: one per (officer, folder).

    The app (app/backend.py) and `fieldcase-sync` must agree on it, or the CLI would
    not find the app's key.
    """
    return f"{username}@{folder.resolve()}"


class EncryptedCache:
    """CachePort over one profile's encrypted cache, given its unwrapped key."""

    def __init__(self, profile: Profile, key: bytes, on_change: OnChange | None = None) -> None:
        self.profile = profile
        self._key = key
        self.on_change = on_change
        self._lock = threading.Lock()
        self._connections: dict[int, CacheDb] = {}
        self._writer: CacheDb | None = None
        self._wiped = False
        self._chunked: ChunkedPull | None = None  # a pull from scratch under way

    @classmethod
    def open(
        cls,
        folder: Path,
        name: str,
        password: str,
        *,
        kdf: KdfParams | None = None,
        on_change: OnChange | None = None,
    ) -> EncryptedCache:
        """Unlock (or create, on first sign-in) the profile's cache and take its writer lock."""
        profile = Profile(folder, name, kdf=kdf)
        return cls.from_key(profile, profile.unlock_or_create(password), on_change)

    @classmethod
    def from_key(
        cls, profile: Profile, key: bytes, on_change: OnChange | None = None
    ) -> EncryptedCache:
        """Open the cache with a key already unwrapped (the app unwraps it before this
        module is imported, so the import overlaps Argon2) and take its writer lock."""
        cache = cls(profile, key, on_change)
        cache._writer = profile.open_writer(key)
        cache._connections[threading.get_ident()] = cache._writer
        try:
            # A first sync interrupted before its last page left some indexes unbuilt
            # (listed in `deferred_index`, storage/deferred.py). Mostly there are
            # none: the pull writer is then not imported before the caseload shows.
            if cache._writer.one("SELECT 1 FROM deferred_index LIMIT 1") is not None:
                from storage.deferred import build_deferred_indexes

                build_deferred_indexes(cache._writer)
        except BaseException:
            cache.close()
            raise
        return cache

    def db(self) -> CacheDb:
        """This thread's connection (opened on first use)."""
        ident = threading.get_ident()
        with self._lock:
            if self._wiped:  # reconnecting would create a new, empty cache file
                raise DeviceWiped("This laptop's case data was removed.")
            found = self._connections.get(ident)
            if found is None:
                found = self.profile.connect(self._key)
                self._connections[ident] = found
            return found

    def close(self) -> None:
        """Close every connection this adapter opened; then release the profile lock.

        sqlite connections may only be closed by their own thread; the others are
        dropped and closed by the garbage collector.
        """
        with self._lock:
            mine = self._connections.pop(threading.get_ident(), None)
            self._connections.clear()
            # A pull still under way is left as a crash would leave it: its open chunk
            # rolls back with the connection, its pages stay staged (storage/chunked.py).
            self._chunked = None
        if mine is not None:
            mine.close()
        if self._writer is not None:
            self._writer = None
            self.profile.close()

    def _changed(self, applied: Applied) -> None:
        if self.on_change is not None:
            self.on_change(applied)

    def client_id(self) -> UUID:
        return state.read(self.db()).client_id

    def vault_key(self) -> bytes:
        from storage.vault import vault_key

        return vault_key(self._key)

    def next_outbox_batch(self, limit: int) -> Sequence[MutationEnvelope]:
        from storage.document_outbox import first_waiting_seq
        from sync.protocol import MutationEnvelope

        waiting = first_waiting_seq(self.db())
        return [
            MutationEnvelope(
                seq=row.seq,
                id=row.mutation_id,
                name=row.name,
                version=row.version,
                args=row.args,
                created_at=row.created_at,
            )
            for row in outbox.pending(self.db(), limit)
            if waiting is None or row.seq < waiting  # changes waiting for document bytes
        ]

    def record_push_results(self, response: PushResponse) -> None:
        from storage import push_results

        applied = push_results.record_push_results(
            self.db(), response.results, last_applied_seq=response.last_applied_seq
        )
        self._changed(applied)

    def last_queued_seq(self) -> int:
        return state.read(self.db()).last_seq

    def push_failed(self, head_seq: int) -> int:
        from storage import push_health

        return push_health.failed(self.db(), head_seq, now=dt.datetime.now(dt.UTC))

    def push_went_through(self) -> None:
        from storage import push_health

        push_health.went_through(self.db())

    def push_failures(self) -> tuple[int, int] | None:
        from storage import push_health

        found = push_health.read(self.db())
        return None if found is None else (found.head_seq, found.failures)

    def pull_state(self) -> PullState:
        """Where the next pull starts; pages a crash left staged are applied first."""
        from storage import pulled

        cdb = self.db()
        if self._chunked is None:
            self._resume_staged(cdb)
        current = state.read(cdb)
        return PullState(current.client_id, current.cursor, pulled.held_cases(cdb))

    def prepare_pull_page(self, response: PullPage) -> DerivedPage:
        """The rows a page's snapshots become and, for a pull of several pages, the page
        as the stage keeps it: derived on the thread that fetched it (no cache access),
        so the sync thread spends a first sync's time writing (docs/sync.md). A pull's
        last page is packed by the sync thread if a pull from scratch stages it: packing
        every page here would delay the usual one-page sync for nothing.
        """
        from storage import pulled, stage

        body = response._body
        packed = stage.pack(body) if response.has_more and body is not None else None
        return DerivedPage(pulled.snapshot_rows(response.snapshots), packed)

    def apply_pull_page(self, response: PullPage, prepared: object = None) -> None:
        """One page; a pull from scratch (a resumed one too) applies its pages in chunks
        (storage/chunked.py)."""
        from storage import chunked, pulled, stage

        ready = prepared if isinstance(prepared, DerivedPage) else None
        cdb = self.db()
        bulk = self._chunked
        if bulk is None and response.has_more and pulled.from_scratch(cdb):
            bulk = self._chunked = chunked.ChunkedPull(cdb, self._stage())
        if bulk is None:
            self._changed(self._apply_page(cdb, response, ready))
            return
        if bulk.cdb is not cdb:
            raise RuntimeError("a pull's pages must all be applied by one thread")
        packed = ready.packed if ready is not None else None
        if packed is None:
            packed = stage.pack(_body(response))
        after = state.read(cdb).cursor
        try:
            applied = bulk.apply(
                after,
                packed,
                lambda: self._apply_page(cdb, response, ready),
                more_to_come=response.has_more,
            )
        finally:
            if not response.has_more:
                self._chunked = None
                bulk.close()
        self._changed(applied)

    def settle_pull(self) -> None:
        """Commit what a pull from scratch has applied so far (the engine waits for the
        network, or the pull ended): no write lock is held while nothing is written."""
        bulk = self._chunked
        if bulk is None:
            return
        if bulk.cdb is not self.db():
            raise RuntimeError("a pull must be settled by the thread that applied it")
        bulk.settle()

    def end_pull(self) -> None:
        """The pull is over (done, failed or cancelled): commit and forget its chunking."""
        bulk, self._chunked = self._chunked, None
        if bulk is not None:
            bulk.close()

    def _apply_page(
        self, cdb: CacheDb, response: PullPage, prepared: DerivedPage | None = None
    ) -> Applied:
        from storage import pulled

        return pulled.apply_pull_page(
            cdb,
            snapshots=response.snapshots,
            changes=response.changes,
            evicted=response.evicted,
            cursor=response.cursor,
            last_applied_seq=response.last_applied_seq,
            more_to_come=response.has_more,
            rows=prepared.rows if prepared is not None else None,
        )

    def _stage(self) -> PullStage:
        from storage.stage import STAGE_FILE, PullStage

        return PullStage(self.profile.folder / STAGE_FILE, self._key)

    def _resume_staged(self, cdb: CacheDb) -> None:
        """Apply the pages an interrupted pull from scratch staged (storage/chunked.py)."""
        from storage import chunked
        from storage.stage import STAGE_FILE

        if not (self.profile.folder / STAGE_FILE).exists():
            return
        from sync.pull_page import parse_pull_page

        def apply(page: StagedPage) -> None:
            try:
                response = parse_pull_page(page.body)
            except BadAnswerError as exc:
                raise ValueError("unreadable staged page") from exc
            self._changed(self._apply_page(cdb, response))

        chunked.resume(cdb, self._stage(), apply)

    def replace_case(self, snapshot: CaseSnapshot) -> None:
        from storage import pulled

        self._changed(pulled.replace_case(self.db(), snapshot))

    def case_checksums(self) -> Mapping[str, str]:
        from storage import checksum

        return checksum.case_checksums(self.db())

    def evict(self, crns: Sequence[str]) -> None:
        from storage import pulled

        self._changed(pulled.evict(self.db(), crns))

    def pending_count(self) -> int:
        return outbox.pending_count(self.db())

    def changes_waiting(self) -> int:
        """The officer's own changes not yet sent (`storage.outbox.changes_waiting`)."""
        return outbox.changes_waiting(self.db())

    def oldest_pending_age(self) -> timedelta | None:
        oldest = outbox.oldest_pending_at(self.db())
        if oldest is None:
            return None
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        return dt.datetime.now(dt.UTC) - oldest

    def counts(self) -> CacheCounts:
        found = problems.counts(self.db())
        return CacheCounts(
            cases=int(found["cases"]),
            conflicts=int(found["conflicts"]),
            rejections=int(found["rejections"]),
            changes_waiting=int(found["changes_waiting"]),
        )

    def wipe(self) -> None:
        """Revoked device: close connections, then destroy key, cache, WAL and SHM."""
        log.info("wiping the profile's cache")
        self.close()
        with self._lock:
            self._wiped = True
        self.profile.wipe()

    def reset_for_redownload(self) -> None:
        from storage import pulled

        pulled.reset_for_redownload(self.db())
        # Every case went: whoever shows cases reloads them all.
        self._changed(pulled.Applied(frozenset(), frozenset(RECORD_KINDS), caseload=True))


def _body(page: PullPage) -> bytes:
    """The page's JSON as received, or as pydantic writes it for one built in memory
    (tests, tools)."""
    if page._body is not None:
        return page._body
    from sync.protocol import PullResponse

    if not isinstance(page, PullResponse):
        raise TypeError("a received page keeps its body")
    return page.model_dump_json().encode()
