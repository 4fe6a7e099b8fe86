"""The live backend: tokens kept in the clear by an older version are sealed at unlock."""

from __future__ import annotations

import json

from app.backend import LiveBackend
from app.settings import Settings
from storage.crypto import FAST_TEST_PARAMS
from storage.vault import SERVICE, token_entry

SERVER = "https://cases.example.invalid"
USER = "officer1"
PASSWORD = "correct horse battery"


def test_an_old_clear_token_entry_is_sealed_at_the_next_unlock(tmp_path, memory_keyring):
    settings = Settings(server_url=SERVER, username=USER)
    backend = LiveBackend(tmp_path, settings, kdf=FAST_TEST_PARAMS)
    backend.unlock(USER, PASSWORD)
    assert backend.cache is not None
    device = backend.cache.client_id()
    backend.lock()
    entry = (SERVICE, token_entry(SERVER, USER, device))
    clear = json.dumps({"a": "old-access", "r": "old-refresh", "e": 1.0})
    memory_keyring.store[entry] = clear  # as the previous version kept it

    backend.unlock(USER, PASSWORD)
    try:
        assert "old-refresh" not in memory_keyring.store[entry]
        client = backend.ensure_client()
        tokens = client.auth.store.load()
        assert tokens is not None
        assert tokens.refresh_token == "old-refresh"
    finally:
        backend.close()
