"""The real client against the real service: nothing usable in the credential store
alone, a copied refresh token useless on another laptop, lock means locked."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from sync.auth import Tokens
from sync.client import SyncClient
from sync.errors import SignInRequired
from tests.sync.conftest import FAST
from tests.sync.live import Live, live_central
from tests.sync.memory_store import MemoryStore


@pytest.fixture
def live(tmp_path) -> Iterator[Live]:
    with live_central(f"sqlite:///{tmp_path}/central.db") as running:
        yield running


def _reopened(live: Live, client: SyncClient) -> tuple[SyncClient, Tokens]:
    """The laptop locked and unlocked 15 minutes later: its access token has expired."""
    tokens = client.auth.store.load()
    assert tokens is not None
    client.auth.store.save(Tokens(tokens.access_token, tokens.refresh_token, 0.0))
    client.close()
    again = SyncClient(client.store, live.server.url, client.auth.username, FAST)
    live.clients.append(again)
    return again, tokens


def test_the_credential_store_alone_yields_no_usable_token(live: Live, memory_keyring) -> None:
    officer = live.seed.officers[0]
    laptop = live.laptop(officer)
    tokens = laptop.auth.store.load()
    assert tokens is not None
    everything = " ".join(memory_keyring.store.values())
    assert tokens.refresh_token not in everything
    assert tokens.access_token not in everything
    assert "PRIVATE KEY" not in everything
    # Whoever reads the store has the entries but not the officer's key: nothing opens.
    elsewhere = SyncClient(MemoryStore(laptop.store.client_id()), live.server.url, officer, FAST)
    with pytest.raises(SignInRequired):
        elsewhere.sync()
    elsewhere.close()


def test_a_refresh_token_copied_to_another_laptop_is_refused(live: Live) -> None:
    officer = live.seed.officers[0]
    laptop = live.laptop(officer)
    laptop.sync()
    laptop, stolen = _reopened(live, laptop)
    # Another computer with the stolen tokens and device id, and a key of its own.
    thief = SyncClient(MemoryStore(laptop.store.client_id()), live.server.url, officer, FAST)
    thief.auth.keys.create()
    thief.auth.store.save(Tokens(stolen.access_token, stolen.refresh_token, time.time() - 60))
    with pytest.raises(SignInRequired):
        thief.sync()
    thief.close()
    # The copy gave itself away: the laptop signs in again, and nothing of its is lost.
    with pytest.raises(SignInRequired):
        laptop.sync()
    laptop.sign_in("correct horse battery", "test laptop")
    assert laptop.sync().pending == 0


def test_the_laptop_refreshes_with_its_own_key(live: Live) -> None:
    laptop, before = _reopened(live, live.laptop(live.seed.officers[0]))
    laptop.sync()
    after = laptop.auth.store.load()
    assert after is not None
    assert after.refresh_token != before.refresh_token


def test_a_laptop_whose_clock_is_far_off_still_signs_in_and_refreshes(live: Live) -> None:
    client = SyncClient(MemoryStore(), live.server.url, live.seed.officers[0], FAST)
    live.clients.append(client)
    client.auth.clock = lambda: time.time() + 3 * 3600  # three hours fast
    client.sign_in("correct horse battery", "test laptop")
    client, _ = _reopened(live, client)
    client.auth.clock = lambda: time.time() - 3 * 3600  # and now three hours slow
    client.sync()


def test_lock_drops_the_tokens_from_memory(live: Live) -> None:
    laptop = live.laptop(live.seed.officers[0])
    assert laptop.auth.access_token()
    laptop.close()
    with pytest.raises(SignInRequired, match="locked"):
        laptop.auth.access_token()
