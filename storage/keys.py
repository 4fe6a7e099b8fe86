"""Where the wrapped cache key lives: the OS credential store, one entry per profile.

Only the *wrapped* key is stored (see crypto.py), so even an open Windows session does
not yield the cache without the officer's password. There is deliberately no fallback:
with no credential store the cache cannot be opened at all.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from storage import crypto
from storage.errors import NoCacheKey, NoCredentialStore

log = logging.getLogger(__name__)

SERVICE = "Fieldcase"


def _entry(profile: str) -> str:
    return f"cache-key:{profile}"


def _is_secure(backend: KeyringBackend) -> bool:
    """False for backends that are no credential store at all: `fail` (none found), `null`
    (silently forgets) and keyrings.alt's file backends (a plaintext or home-made file)."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return not type(backend).__module__.startswith("keyrings.alt")


def secure_backend() -> KeyringBackend:
    """The OS credential store, never a file fallback (the tokens use it too).

    keyring's chainer would try every backend in turn, so a locked Secret Service could
    quietly hand the key to a plaintext file backend; we use the best secure one directly.
    """
    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        secure: list[KeyringBackend] = [b for b in backend.backends if _is_secure(b)]
        if not secure:
            raise NoCredentialStore()
        return secure[0]
    if not _is_secure(backend):
        raise NoCredentialStore()
    return backend


def _get(profile: str) -> str | None:
    try:
        return secure_backend().get_password(SERVICE, _entry(profile))
    except keyring.errors.NoKeyringError:
        raise NoCredentialStore() from None


def _set(profile: str, blob: str) -> None:
    try:
        secure_backend().set_password(SERVICE, _entry(profile), blob)
    except keyring.errors.NoKeyringError:
        raise NoCredentialStore() from None


class KeyStore:
    """The cache key of one profile, wrapped under the officer's password."""

    def __init__(self, profile: str, *, params: crypto.KdfParams | None = None) -> None:
        self.profile = profile
        self.params = params or crypto.KdfParams()

    def exists(self) -> bool:
        return _get(self.profile) is not None

    def create(self, password: str) -> bytes:
        """Make and store a new random key (a new cache); returns the raw key."""
        key = crypto.new_key()
        _set(self.profile, crypto.wrap(key, password, context=self.profile, params=self.params))
        log.info("cache key created for a profile")
        return key

    def unlock(self, password: str) -> bytes:
        """The raw key; WrongPassword or NoCacheKey otherwise. Works offline."""
        blob = _get(self.profile)
        if blob is None:
            raise NoCacheKey()
        return crypto.unwrap(blob, password, context=self.profile)

    def change_password(self, old: str, new: str) -> None:
        """Re-wrap the same key under the new password; the database is untouched."""
        key = self.unlock(old)
        _set(self.profile, crypto.wrap(key, new, context=self.profile, params=self.params))
        log.info("cache key re-wrapped")

    def delete(self) -> None:
        """Forget the key (idempotent): without it the cache file is noise."""
        try:
            secure_backend().delete_password(SERVICE, _entry(self.profile))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.NoKeyringError:
            raise NoCredentialStore() from None
