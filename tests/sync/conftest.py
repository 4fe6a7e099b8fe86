"""Fixtures for engine tests: a fake central on loopback, an in-memory cache, a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from sync.api import RetryPolicy
from sync.client import SyncClient, SyncSettings
from sync.http import HttpSettings
from tests.sync.fake_central import Central, serve
from tests.sync.memory_store import MemoryStore

USER = "officer1"
PASSWORD = "correct horse battery"
FAST = SyncSettings(
    http=HttpSettings(connect_timeout=2, read_timeout=5),
    retry=RetryPolicy(attempts=4, initial_s=0.001, max_s=0.01),
    push_batch=50,
    pull_limit=100,
)


def seed(central: Central, cases: int = 3, records: int = 4) -> list[str]:
    crns = [f"X{100000 + i}" for i in range(cases)]
    for crn in crns:
        for _ in range(records):
            central.put(crn, uuid.uuid4(), {"notes": "synthetic"})
    central.scope[USER] = set(crns)
    central.passwords[USER] = PASSWORD
    return crns


@pytest.fixture
def central() -> Central:
    c = Central()
    seed(c)
    return c


@pytest.fixture
def server(central: Central) -> Iterator[str]:
    with serve(central) as url:
        yield url


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def client(store: MemoryStore, server: str) -> Iterator[SyncClient]:
    c = SyncClient(store, server, USER, FAST)
    c.sign_in(PASSWORD, "test laptop")
    yield c
    c.close()
