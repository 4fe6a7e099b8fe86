"""Sign-in and silent refresh: tokens only in the credential store, never a lost change."""

from __future__ import annotations

import logging
import uuid

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from sync.auth import KEYRING_SERVICE
from sync.client import SyncClient
from sync.errors import CredentialStoreError, SignInFailed, SignInRequired
from tests.sync.conftest import FAST, PASSWORD, USER
from tests.sync.fake_central import Central
from tests.sync.memory_store import MemoryStore


def test_tokens_live_only_in_the_credential_store(
    store: MemoryStore, server: str, central: Central, memory_keyring, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    client = SyncClient(store, server, USER, FAST)
    client.sign_in(PASSWORD, "laptop")
    assert {service for service, _ in memory_keyring.store} == {KEYRING_SERVICE}
    refresh = next(iter(central.refresh))
    assert client.auth.store.load().refresh_token == refresh
    assert refresh not in caplog.text
    assert PASSWORD not in caplog.text
    assert list(tmp_path.iterdir()) == []


def test_wrong_password_is_a_plain_failure(store: MemoryStore, server: str, memory_keyring):
    client = SyncClient(store, server, USER, FAST)
    with pytest.raises(SignInFailed, match="not accepted"):
        client.sign_in("wrong", "laptop")
    assert client.auth.store.load() is None  # only the laptop's (sealed) key was kept
    assert all(entry.startswith("device-key ") for _, entry in memory_keyring.store)


def test_expired_access_token_is_refreshed_silently(client, store: MemoryStore, central):
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    central.access.clear()  # every access token now answers 401
    summary = client.sync()
    assert (summary.applied, summary.rejected) == (1, 0)


def test_token_near_expiry_is_renewed_before_use(store: MemoryStore, server: str, central):
    central.expires_in = 10  # inside the renewal margin from the start
    client = SyncClient(store, server, USER, FAST)
    client.sign_in(PASSWORD, "laptop")
    first = next(iter(central.access))
    client.sync()
    assert len(central.access) >= 2
    assert first in central.access


def test_expired_refresh_token_asks_to_sign_in_and_keeps_the_outbox(
    client, store: MemoryStore, central
):
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    central.access.clear()
    central.refresh.clear()  # expired or revoked while the laptop was offline
    with pytest.raises(SignInRequired, match="nothing was lost"):
        client.sync()
    assert store.pending_count() == 1
    assert store.results == {}
    client.sign_in(PASSWORD, "laptop")
    assert client.sync().applied == 1


def test_no_credential_store_is_said_plainly(store: MemoryStore, server: str):
    keyring.set_keyring(FailKeyring())
    client = SyncClient(store, server, USER, FAST)
    with pytest.raises(CredentialStoreError, match="credential store"):
        client.sign_in(PASSWORD, "laptop")


def test_tokens_never_fall_back_to_a_plaintext_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """keyring's chainer tries every backend; tokens go only to a real credential store."""
    from keyring.backends import chainer

    from sync.auth import Tokens, TokenStore
    from tests.support.memory_keyring import MemoryKeyring

    class PlaintextFile(MemoryKeyring):
        pass

    PlaintextFile.__module__ = "keyrings.alt.file"
    secure, plaintext = MemoryKeyring(), PlaintextFile()
    monkeypatch.setattr(
        chainer.ChainerBackend, "backends", property(lambda self: [plaintext, secure])
    )
    keyring.set_keyring(chainer.ChainerBackend())
    store = TokenStore("https://central.example", USER, uuid.uuid4(), bytes(32))
    store.save(Tokens("access", "refresh", 1.0))
    assert plaintext.store == {}
    assert store.load() == Tokens("access", "refresh", 1.0)

    monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda self: [plaintext]))
    keyring.set_keyring(chainer.ChainerBackend())
    with pytest.raises(CredentialStoreError):
        store.load()
