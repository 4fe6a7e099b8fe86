"""Secrets sealed under the officer's key before they reach the OS credential store.

The sign-in tokens and the laptop's DPoP key (sync/auth.py) live in the credential
store, like the cache key; but whoever can read that store (malware in the officer's
Windows session, someone with the Windows password) could replay them. So they are
stored sealed with AES-GCM under a key derived (HKDF) from the cache key, which
itself opens only with the officer's password: the store alone yields nothing
usable. Each entry's name is bound as associated data, so a blob copied into another
entry does not open there. An entry written in the clear by an older version is
sealed in place the first time it is read with the key (at the next unlock).
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from uuid import UUID

import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import NoCredentialStore
from storage.keys import secure_backend

log = logging.getLogger(__name__)

SERVICE = "Fieldcase sync"
SEALED_VERSION = 1
_INFO = b"fieldcase credential vault v1"


def vault_key(cache_key: bytes) -> bytes:
    """The sealing key: a child of the cache key, so it exists only after an unlock."""
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=_INFO).derive(cache_key)


def token_entry(server: str, username: str, device_id: UUID) -> str:
    """One entry per (server, officer, device): two profiles never share tokens."""
    return f"{server.rstrip('/')} {username} {device_id}"


def device_key_entry(device_id: UUID) -> str:
    return f"device-key {device_id}"


class SealedEntry:
    """One credential-store entry whose value is sealed under the vault key.

    Raises NoCredentialStore when there is no secure store (never a file fallback).
    """

    def __init__(self, name: str, key: bytes) -> None:
        self.name = name
        self._aead = AESGCM(key)

    def load(self) -> bytes | None:
        """The plaintext; None when absent or sealed under another key (an older cache's)."""
        raw = self._get()
        if raw is None:
            return None
        sealed = _sealed_part(raw)
        if sealed is None:  # written in the clear by an older version: seal it now
            self.save(raw.encode())
            log.info("sealed a credential-store entry written in the clear")
            return raw.encode()
        try:
            return self._aead.decrypt(sealed[:12], sealed[12:], self.name.encode())
        except InvalidTag:
            log.info("ignored a credential-store entry sealed under another key")
            return None

    def save(self, plaintext: bytes) -> None:
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._aead.encrypt(nonce, plaintext, self.name.encode())
        blob = json.dumps({"v": SEALED_VERSION, "sealed": base64.b64encode(sealed).decode()})
        try:
            secure_backend().set_password(SERVICE, self.name, blob)
        except keyring.errors.KeyringError as exc:
            raise NoCredentialStore() from exc

    def delete(self) -> None:
        """Remove the entry (idempotent)."""
        try:
            secure_backend().delete_password(SERVICE, self.name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise NoCredentialStore() from exc

    def _get(self) -> str | None:
        try:
            return secure_backend().get_password(SERVICE, self.name)
        except keyring.errors.KeyringError as exc:
            raise NoCredentialStore() from exc


def _sealed_part(raw: str) -> bytes | None:
    """The nonce and ciphertext of a sealed blob, or None when `raw` is not one."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("v") != SEALED_VERSION:
        return None
    sealed = data.get("sealed")
    if not isinstance(sealed, str):
        return None
    try:
        return base64.b64decode(sealed, validate=True)
    except ValueError:
        return None
