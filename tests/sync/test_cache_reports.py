"""What the encrypted cache tells the app (`on_change`): the app refreshes only what
it is told changed, so a change left unreported would stay stale on screen."""

from __future__ import annotations

import uuid
from pathlib import Path

from storage.crypto import FAST_TEST_PARAMS
from storage.pulled import Applied
from storage.schema import RECORD_KINDS
from sync.cache import EncryptedCache, profile_name
from sync.client import SyncClient
from tests.sync.conftest import FAST, PASSWORD, USER
from tests.sync.fake_central import Central, serve

CRNS = [f"X{400000 + i}" for i in range(3)]


def test_pages_name_their_cases_and_a_reset_asks_for_everything(tmp_path: Path) -> None:
    central = Central()
    for crn in CRNS:
        central.put(crn, uuid.uuid4(), {"notes": "synthetic visit"})
    central.scope[USER] = set(CRNS)
    central.passwords[USER] = PASSWORD
    reports: list[Applied] = []
    folder = tmp_path / "profile"
    cache = EncryptedCache.open(
        folder, profile_name(folder, USER), PASSWORD, kdf=FAST_TEST_PARAMS, on_change=reports.append
    )
    try:
        with serve(central) as url:
            client = SyncClient(cache, url, USER, FAST)
            client.sign_in(PASSWORD, "test laptop")
            client.sync()
            client.close()
        assert set().union(*(r.cases for r in reports)) == set(CRNS)
        assert any(r.caseload for r in reports)

        reports.clear()
        cache.reset_for_redownload()  # the server's `reset`: every case goes, outbox kept
        assert reports == [Applied(frozenset(), frozenset(RECORD_KINDS), caseload=True)]
    finally:
        cache.close()
