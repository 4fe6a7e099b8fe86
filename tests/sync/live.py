"""The real central service for sync end-to-end tests: seeded, on loopback, SQLite or PostgreSQL.

Laptops here are a real `SyncClient` over real HTTP; the cache is the in-memory
port implementation until the encrypted cache adapter (sync/cache.py) is wired.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("FIELDCASE_CENTRAL_ARGON2_PROFILE", "CHEAPEST")

import sqlalchemy

from central.seed import SeedResult, seed_database
from domain.semantics import Actor
from storage.crypto import FAST_TEST_PARAMS
from storage.write import apply_local_mutation
from sync.cache import EncryptedCache, profile_name
from sync.client import SyncClient
from sync.ports import CachePort
from tests.central.conftest import LiveServer, make_settings, run_server
from tests.sync.conftest import FAST
from tests.sync.memory_store import MemoryStore

PASSWORD = "correct horse battery"
SEED = {"officers": 3, "cases_per_officer": 4, "seed": 11, "password": PASSWORD}


@dataclass
class Live:
    server: LiveServer
    seed: SeedResult
    engine: sqlalchemy.Engine
    clients: list[SyncClient] = field(default_factory=list)

    def laptop(self, username: str, store: CachePort | None = None) -> SyncClient:
        client = SyncClient(store or MemoryStore(), self.server.url, username, FAST)
        client.sign_in(PASSWORD, "test laptop")
        self.clients.append(client)
        return client

    @contextlib.contextmanager
    def admin(self) -> Iterator[sqlalchemy.Connection]:
        with self.engine.begin() as conn:
            yield conn

    def staff_code(self, username: str) -> str:
        return self.seed.staff_codes[username]

    def visible_caseload(self, username: str) -> set[str]:
        """The officer's caseload minus Limited Access cases that exclude them."""
        own = set(self.seed.caseloads[username])
        barred = {c for c, users in self.seed.exclusions.items() if username in users}
        return own - barred


@contextlib.contextmanager
def live_central(database_url: str, **overrides: Any) -> Iterator[Live]:
    seeded = seed_database(database_url, **SEED)
    engine = sqlalchemy.create_engine(database_url)
    with run_server(make_settings(database_url, **overrides), seeded) as server:
        live = Live(server, seeded, engine)
        try:
            yield live
        finally:
            for client in live.clients:
                client.close()
            engine.dispose()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record_contact_args(crn: str, notes: str = "Phoned to confirm appointment") -> dict[str, Any]:
    return {
        "contact_id": str(uuid.uuid4()),
        "crn": crn,
        "type_code": "CTOB",
        "date": dt.date.today().isoformat(),
        "notes": notes,
    }


def records_of(store: MemoryStore, crn: str, kind: str) -> list[Any]:
    return [r for r in store.cases.get(crn, {}).values() if r.kind == kind]


def encrypted_cache(folder: Path, username: str) -> EncryptedCache:
    """A real encrypted cache for `username` in `folder` (cheap Argon2 for tests)."""
    return EncryptedCache.open(
        folder, profile_name(folder, username), PASSWORD, kdf=FAST_TEST_PARAMS
    )


def queue_local(cache: EncryptedCache, live: Live, username: str, name: str, args: Any) -> int:
    """What a use case does: apply to the cache and append to the outbox, one transaction."""
    actor = Actor(username=username, staff_code=live.staff_code(username), team_code=None)
    change = apply_local_mutation(
        cache.db(), name, args, actor=actor, today=dt.date.today(), now=now()
    )
    return change.seq
