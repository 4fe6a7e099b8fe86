from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer, fail, null

from storage import crypto
from storage.errors import NoCacheKey, NoCredentialStore, WrongPassword
from storage.keys import SERVICE, KeyStore
from tests.support.memory_keyring import MemoryKeyring

FAST = crypto.FAST_TEST_PARAMS


def test_unlock_returns_the_key_that_was_created() -> None:
    store = KeyStore("officer.one", params=FAST)
    key = store.create("pw-1")
    assert len(key) == 32
    assert store.unlock("pw-1") == key


def test_wrong_password_is_a_plain_typed_error() -> None:
    store = KeyStore("officer.one", params=FAST)
    store.create("pw-1")
    with pytest.raises(WrongPassword) as caught:
        store.unlock("pw-2")
    assert "password" in caught.value.message


def test_only_the_wrapped_key_is_in_the_credential_store(memory_keyring) -> None:
    store = KeyStore("officer.one", params=FAST)
    key = store.create("pw-1")
    [(service, _), blob] = next((k, v) for k, v in memory_keyring.store.items())
    assert service == SERVICE
    assert key.hex() not in blob
    assert "argon2id" in blob


def test_change_password_rewraps_the_same_key() -> None:
    store = KeyStore("officer.one", params=FAST)
    key = store.create("old")
    store.change_password("old", "new")
    assert store.unlock("new") == key
    with pytest.raises(WrongPassword):
        store.unlock("old")


def test_a_blob_does_not_open_under_another_profile(memory_keyring) -> None:
    KeyStore("a", params=FAST).create("pw")
    blob = next(iter(memory_keyring.store.values()))
    with pytest.raises(WrongPassword):
        crypto.unwrap(blob, "pw", context="b")


def test_missing_key_says_to_sign_in_online() -> None:
    with pytest.raises(NoCacheKey):
        KeyStore("nobody", params=FAST).unlock("pw")


def test_no_keyring_backend_names_what_to_install() -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(NoCredentialStore) as caught:
        KeyStore("officer.one", params=FAST).create("pw")
    assert "Credential Manager" in caught.value.message
    assert "gnome-keyring" in caught.value.message


def test_delete_is_idempotent() -> None:
    store = KeyStore("officer.one", params=FAST)
    store.create("pw")
    store.delete()
    store.delete()
    assert not store.exists()


def test_default_kdf_cost_is_deliberate() -> None:
    params = crypto.KdfParams()
    assert params.memory_kib >= 64 * 1024
    assert params.time_cost >= 3


class _PlaintextFileKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plaintext file backend (same module path)."""


_PlaintextFileKeyring.__module__ = "keyrings.alt.file"


@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), _PlaintextFileKeyring()], ids=type
)
def test_a_backend_that_is_no_credential_store_is_refused(backend: object) -> None:
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    with pytest.raises(NoCredentialStore):
        KeyStore("officer.one", params=FAST).create("pw")
    with pytest.raises(NoCredentialStore):
        KeyStore("officer.one", params=FAST).unlock("pw")


def test_the_chainer_never_falls_back_to_a_plaintext_file(monkeypatch: pytest.MonkeyPatch) -> None:
    secure, plaintext = MemoryKeyring(), _PlaintextFileKeyring()
    plaintext.priority = 20  # type: ignore[assignment]  # even when ranked first
    monkeypatch.setattr(
        chainer.ChainerBackend, "backends", property(lambda self: [plaintext, secure])
    )
    keyring.set_keyring(chainer.ChainerBackend())
    KeyStore("officer.one", params=FAST).create("pw")
    assert plaintext.store == {}
    assert len(secure.store) == 1


def test_a_chainer_with_only_insecure_backends_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        chainer.ChainerBackend, "backends", property(lambda self: [_PlaintextFileKeyring()])
    )
    keyring.set_keyring(chainer.ChainerBackend())
    with pytest.raises(NoCredentialStore):
        KeyStore("officer.one", params=FAST).create("pw")
