"""Key wrapping: the random cache key sealed under a key derived from the password.

Argon2id (memory-hard) makes each password guess cost ~64 MiB and ~0.35 s on a laptop,
and AES-GCM authenticates the wrapped key, so a wrong password is detected before the
database is touched. The KDF parameters travel with the blob so they can be raised
later without breaking existing caches.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.errors import WrongPassword

KEY_BYTES = 32
BLOB_VERSION = 1


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost; the default takes ~0.35 s on the reference 2-core machine."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2


FAST_TEST_PARAMS = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


def new_key() -> bytes:
    """A fresh random 256-bit cache key."""
    return secrets.token_bytes(KEY_BYTES)


def derive(password: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        params.time_cost,
        params.memory_kib,
        params.parallelism,
        KEY_BYTES,
        Type.ID,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def wrap(key: bytes, password: str, *, context: str, params: KdfParams) -> str:
    """The cache key sealed under the password, as a JSON string for the credential store.

    `context` (the profile) is bound as associated data, so a blob copied to another
    profile does not open there.
    """
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(derive(password, salt, params)).encrypt(nonce, key, context.encode())
    blob = {"v": BLOB_VERSION, "kdf": "argon2id", **asdict(params)}
    blob |= {"salt": _b64(salt), "nonce": _b64(nonce), "sealed": _b64(sealed)}
    return json.dumps(blob, sort_keys=True)


def unwrap(blob: str, password: str, *, context: str) -> bytes:
    """The cache key, or WrongPassword (AES-GCM authenticates the result)."""
    data = json.loads(blob)
    if data.get("v") != BLOB_VERSION or data.get("kdf") != "argon2id":
        raise ValueError("unknown key blob format")
    params = KdfParams(data["time_cost"], data["memory_kib"], data["parallelism"])
    kek = derive(password, base64.b64decode(data["salt"]), params)
    try:
        return AESGCM(kek).decrypt(
            base64.b64decode(data["nonce"]), base64.b64decode(data["sealed"]), context.encode()
        )
    except InvalidTag:
        raise WrongPassword() from None


def seal_bytes(key: bytes, plaintext: bytes, *, context: str) -> bytes:
    """Encrypt a small file's content with the cache key (salvaged outbox rows)."""
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode())


def open_bytes(key: bytes, sealed: bytes, *, context: str) -> bytes:
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], context.encode())
