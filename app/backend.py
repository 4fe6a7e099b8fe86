"""The live session backend: keys and cache from `storage/`, sign-in and sync from `sync/`.

Implements `app.session.SessionBackend`. The cache key is unwrapped with the
password (offline); tokens live only in the credential store (sync.auth); the
server's policy and the officer's codes are remembered in the profile's settings
so an offline unlock can enforce them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import settings as settings_store
from app.changes import PulledChanges
from app.context import AppContext, Officer
from app.letter_kit import refresh_letter_kit
from app.rows import SearchHit
from app.session import Policy
from app.settings import Settings
from storage.crypto import KdfParams
from storage.keys import KeyStore
from storage.profile import CACHE_FILE, Profile

if TYPE_CHECKING:
    from storage.state import SyncState
    from sync.cache import EncryptedCache
    from sync.client import SyncClient
    from sync.progress import ProgressReport

log = logging.getLogger(__name__)

DEVICE_NAME = "Fieldcase desktop"

# Records per pull page. Parsing a page holds the interpreter lock from start to end
# (pydantic's validator gives it up only when done), so the window cannot repaint
# meanwhile; bigger pages make a first sync faster (fewer requests and commits).
# ui_max_stall_ms_during_sync (bench/ui.py's scene, load ~2, 2026-11-29): 400 records
# 28-36 ms, 1,000 31-32 ms, 2,000 35-45 ms, 5,000 64-74 ms (target < 50). Earlier rounds
# measured ~110 ms at 1,000, before the caseload was refreshed per case and long-lived
# objects were kept out of the garbage collector. `python -m bench sync` uses this value.
PULL_PAGE_RECORDS = 1_000

# What the first screen after an unlock needs; imported while Argon2 runs (it releases
# the GIL), so the caseload query does not wait for them after the key is unwrapped.
AFTER_UNLOCK = (
    "storage.queries.caseload",
    "app.cache_adapter",
    "app.usecases.caseload",
)
# The sync bridge's engine and HTTP stack, with the pull writer and the mutation semantics
# it re-applies pending changes with (~0.25 s of CPU): imported on a worker once the
# caseload has painted (ui/shell.py), so neither the caseload query nor the GUI thread
# waits on them.
SYNC_STACK = ("storage.pulled", "storage.push_results", "sync.client", "sync.scheduler")
# What opening a case needs below the app layer (its reads; the "case viewed" record goes
# through the mutation semantics): not needed for the caseload, so not imported before it
# (app/cache_adapter.py), but preloaded after it with the case view (ui/shell.py).
FOR_CASE = ("storage.records", "storage.queries.case", "storage.write")
# From the unlock screen: sync.cache, then the caseload query and its domain rules (~0.1 s
# of CPU with bytecode cached): the officer's typing hides it; an unlock that begins
# sooner unwraps the key (Argon2) while it is imported. The write paths are not in it
# (tests/app/test_startup_imports.py).
FOR_UNLOCK = ("sync.cache", *AFTER_UNLOCK)
_unlock_preload: list[threading.Thread] = []


def preload(names: tuple[str, ...]) -> None:
    """Import these modules now (on the calling thread)."""
    for name in names:
        importlib.import_module(name)


def start_preload(names: tuple[str, ...] = AFTER_UNLOCK) -> threading.Thread:
    """Import modules needed soon on a thread (a lower layer's before a higher one's)."""
    thread = threading.Thread(target=preload, args=(names,), name="fieldcase-preload", daemon=True)
    thread.start()
    return thread


def preload_for_unlock() -> None:
    """Start importing what an unlock needs, once per process (from the unlock screen, or
    at the latest as the unlock begins)."""
    if not _unlock_preload:
        _unlock_preload.append(start_preload(FOR_UNLOCK))


class LiveBackend:
    def __init__(self, folder: Path, settings: Settings, *, kdf: KdfParams | None = None) -> None:
        self.folder = folder
        self.settings = settings
        self.kdf = kdf
        self.cache: EncryptedCache | None = None
        self.client: SyncClient | None = None
        self.pulled = PulledChanges()  # what syncs changed, taken when each one ends
        self._lock = threading.Lock()

    def _name(self, username: str) -> str:
        """One credential-store entry per (officer, profile folder)."""
        return f"{username}@{self.folder.resolve()}"

    def has_cache(self) -> bool:
        user = self.settings.username
        return (
            bool(user)
            and (self.folder / CACHE_FILE).exists()
            and KeyStore(self._name(user)).exists()
        )

    def remembered_user(self) -> str:
        return self.settings.username

    def _open(self, username: str, password: str) -> EncryptedCache:
        if self.cache is None:
            preload_for_unlock()
        with self._lock:
            if self.cache is None:
                # Argon2 first: it releases the GIL, so the preload thread imports
                # sync.cache and the caseload query meanwhile.
                profile = Profile(self.folder, self._name(username), kdf=self.kdf)
                key = profile.unlock_or_create(password)
                from sync.cache import EncryptedCache

                # What each pulled page, push answer or reset changed goes to `pulled`,
                # so a sync refreshes just those cases.
                self.cache = EncryptedCache.from_key(profile, key, self.pulled.add)
                self._seal_old_tokens(username, self.cache)
            return self.cache

    def _seal_old_tokens(self, username: str, cache: EncryptedCache) -> None:
        """Tokens an older version kept in the clear are sealed at this unlock (reading
        the entry with the vault key seals it in place; storage/vault.py)."""
        from storage.vault import SealedEntry, token_entry

        server = self.settings.server_url
        if server and self.settings.username == username:
            SealedEntry(token_entry(server, username, cache.client_id()), cache.vault_key()).load()

    def ensure_client(self) -> SyncClient:
        """The sync client, made on first need (HTTP stack imported after the caseload shows)."""
        from sync.client import SyncClient, SyncSettings

        with self._lock:
            assert self.cache is not None, "open the cache first"
            if self.client is None:
                self.client = SyncClient(
                    self.cache,
                    self.settings.server_url,
                    self.settings.username,
                    SyncSettings(pull_limit=PULL_PAGE_RECORDS),
                )
            return self.client

    def sign_in(self, server_url: str, username: str, password: str) -> tuple[Officer, Policy]:
        """Online: unlock or create the cache, get tokens, read the officer and policy."""
        from sync.address import check_server_url

        server_url = check_server_url(server_url)  # before the cache is made or a packet sent
        self._open(username, password)
        self._lapse_keeps(username)
        self.settings = self.settings.model_copy(
            update={"server_url": server_url, "username": username}
        )
        with self._lock:
            if self.client is not None and self.client.http.base_url != server_url + "/":
                self.client.close()
                self.client = None
        client = self.ensure_client()
        client.sign_in(password, DEVICE_NAME)
        me = client.me()
        refresh_letter_kit(client, self.cache)
        officer = _officer(username, me.officer)
        policy = Policy(me.policy.idle_lock_minutes, me.policy.max_offline_days)
        self.settings = settings_store.update(
            self.folder,
            server_url=server_url,
            username=username,
            officer_name=officer.name,
            staff_code=officer.staff_code,
            team_code=officer.team_code,
            idle_lock_minutes=policy.idle_lock_minutes,
            max_offline_days=policy.max_offline_days,
            max_document_bytes=me.policy.max_document_bytes,
            max_documents_at_once=me.policy.max_documents_at_once,
        )
        return officer, policy

    def unlock(self, username: str, password: str) -> tuple[Officer, Policy]:
        """Offline: the password unwraps the cache key; no network needed."""
        self._open(username, password)
        self._lapse_keeps(username)
        s = self.settings
        officer = Officer(username, s.officer_name, s.staff_code, s.team_code)
        return officer, Policy(s.idle_lock_minutes, s.max_offline_days)

    def _lapse_keeps(self, username: str) -> None:
        """Cases kept from outside the caseload whose keep lapsed by this laptop's clock
        leave the cache now, search index included, even offline (storage/kept.py)."""
        from domain.actor import Actor
        from storage import kept

        assert self.cache is not None
        s = self.settings
        actor = Actor(username, s.staff_code or None, s.team_code or None)
        gone = kept.lapse(self.cache.db(), actor=actor, now=_now())
        if gone:
            log.info("%d kept case(s) lapsed on this laptop and were removed", len(gone))

    def _state(self) -> SyncState:
        from storage import state

        assert self.cache is not None
        return state.read(self.cache.db())

    def first_sync_done(self) -> bool:
        return self._state().last_success is not None

    def first_sync(
        self, on_progress: Callable[[int, int], None], cancelled: threading.Event
    ) -> None:
        from sync.errors import SyncCancelled
        from sync.progress import Progress

        client = self.ensure_client()

        def listen(report: ProgressReport) -> None:
            if cancelled.is_set():
                progress.cancel()
            on_progress(report.done, report.total or max(report.done, 1))

        progress = Progress(listen)
        try:
            summary = client.sync(progress)
        except SyncCancelled:
            log.info("first sync cancelled; resumes with the next sync")
            return
        finally:
            self.pulled.take()  # the workspace then loads the whole caseload anyway
        log.info("first sync: %d cases in %.1f s", summary.cases, summary.duration_s)

    def last_successful_sync(self) -> dt.datetime | None:
        return self._state().last_success

    def pending_count(self) -> int:
        """The officer's changes waiting (what the status bar and the case say too)."""
        assert self.cache is not None
        return self.cache.changes_waiting()

    def open_context(self, officer: Officer) -> AppContext:
        cache = self.cache
        assert cache is not None
        from domain.actor import Actor  # not domain.semantics: the write paths load later

        actor = Actor(officer.username, officer.staff_code or None, officer.team_code or None)

        from app.cache_adapter import StorageCache

        def open_cache() -> StorageCache:
            return StorageCache(cache.db(), actor, _now, owns_connection=False)

        from app.document_files import LiveDocumentFetcher
        from domain.documents import DocumentLimits

        limits = DocumentLimits(
            self.settings.max_document_bytes, self.settings.max_documents_at_once
        )
        from app.team_live import LiveTeamService, team_store

        return AppContext(
            open_cache,
            officer,
            national=LiveNationalSearch(self),
            documents=LiveDocumentFetcher(self),
            document_limits=limits,
            team=LiveTeamService(self),
            team_store=team_store(officer.staff_code or None),
        )

    def close(self) -> None:
        with self._lock:
            if self.client is not None:
                self.client.close()
                self.client = None
            if self.cache is not None:
                self.cache.close()
                self.cache = None
            self.pulled.take()  # the next unlock loads the whole caseload

    def lock(self) -> None:
        from app.document_files import opened_copies

        opened_copies().clear()  # documents opened in other applications go too
        self.close()

    def sign_out(self) -> None:
        if self.client is not None:
            self.client.auth.forget()
        self.close()


class LiveNationalSearch:
    """`app.ports.NationalSearch` over the signed-in client (its tokens, TLS and timeouts).

    The officer is waiting on it, so it retries once, briefly, instead of the sync's
    patient backoff: with no connection the answer comes in seconds, not a minute.
    """

    def __init__(self, backend: LiveBackend) -> None:
        self.backend = backend

    def search(self, text: str, *, limit: int) -> list[SearchHit]:
        from sync.api import RetryPolicy, SyncApi
        from sync.progress import Progress

        client = self.backend.ensure_client()
        api = SyncApi(
            client.http,
            client.auth,
            Progress(lambda _report: None),
            RetryPolicy(attempts=2, initial_s=0.3, max_s=1.0),
        )
        answer = api.search(text, limit=limit)
        return [
            SearchHit(
                crn=r.crn,
                name=r.name,
                date_of_birth=r.date_of_birth,
                detail=_where_held(r.in_caseload, r.team, r.offender_manager),
                on_this_laptop=False,
            )
            for r in answer.results
        ]


def _where_held(in_caseload: bool, team: str | None, manager: str | None) -> str:
    if in_caseload:
        return "Your case"
    return " · ".join(p for p in (team, f"Managed by {manager}" if manager else None) if p)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _officer(username: str, raw: dict[str, Any]) -> Officer:
    name = str(
        raw.get("name")
        or " ".join(str(raw.get(k, "")) for k in ("forename", "surname") if raw.get(k))
    )
    return Officer(
        username,
        name,
        str(raw.get("staff_code") or raw.get("code") or ""),
        str(raw.get("team_code") or ""),
    )
