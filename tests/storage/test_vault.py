"""Secrets sealed under the officer's key: the credential store alone opens nothing."""

from __future__ import annotations

import json
import uuid

from storage.vault import SERVICE, SealedEntry, token_entry, vault_key

KEY = vault_key(bytes(range(32)))
SECRET = b'{"a": "access-abc", "r": "refresh-xyz", "e": 1.0}'


def test_the_store_holds_only_ciphertext(memory_keyring) -> None:
    SealedEntry("entry", KEY).save(SECRET)
    raw = memory_keyring.store[(SERVICE, "entry")]
    assert b"refresh-xyz" not in raw.encode()
    assert json.loads(raw)["v"] == 1
    assert SealedEntry("entry", KEY).load() == SECRET


def test_another_key_opens_nothing(memory_keyring) -> None:
    SealedEntry("entry", KEY).save(SECRET)
    assert SealedEntry("entry", vault_key(bytes(32))).load() is None


def test_a_blob_copied_into_another_entry_does_not_open(memory_keyring) -> None:
    SealedEntry("mine", KEY).save(SECRET)
    memory_keyring.store[(SERVICE, "theirs")] = memory_keyring.store[(SERVICE, "mine")]
    assert SealedEntry("theirs", KEY).load() is None


def test_an_entry_written_in_the_clear_is_sealed_when_read(memory_keyring) -> None:
    name = token_entry("https://central.example/", "officer1", uuid.uuid4())
    memory_keyring.store[(SERVICE, name)] = SECRET.decode()  # as an older version kept it
    assert SealedEntry(name, KEY).load() == SECRET
    assert "refresh-xyz" not in memory_keyring.store[(SERVICE, name)]
    assert SealedEntry(name, KEY).load() == SECRET


def test_the_sealing_key_is_not_the_cache_key() -> None:
    assert vault_key(bytes(range(32))) != bytes(range(32))
