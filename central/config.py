"""Settings of the central service, from command-line flags and environment variables.

One frozen object built once at start-up and handed to the app factory, so that
several worker processes started from the same flags agree on every value.
Environment variables (`FIELDCASE_CENTRAL_*`) let a deployment configure the
service without a wrapper script; flags win over them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

ENV_PREFIX = "FIELDCASE_CENTRAL_"
DEFAULT_DATABASE_URL = "sqlite:///fieldcase-central.db"
CLIENT_ID = "fieldcase-desktop"


def env(name: str, default: str) -> str:
    """The value of `FIELDCASE_CENTRAL_<NAME>`, or `default`."""
    return os.environ.get(ENV_PREFIX + name.upper(), default)


def default_secret_file() -> Path:
    return Path(user_data_dir("fieldcase-central", appauthor=False)) / "jwt-secret"


@dataclass(frozen=True)
class Settings:
    """Everything the running service needs to know; policies are sent to clients."""

    database_url: str = field(default_factory=lambda: env("database_url", DEFAULT_DATABASE_URL))
    jwt_secret_file: Path = field(
        default_factory=lambda: Path(env("jwt_secret_file", str(default_secret_file())))
    )
    access_token_minutes: int = field(
        default_factory=lambda: int(env("access_token_minutes", "15"))
    )
    refresh_token_days: int = field(default_factory=lambda: int(env("refresh_token_days", "30")))
    idle_lock_minutes: int = field(default_factory=lambda: int(env("idle_lock_minutes", "15")))
    max_offline_days: int = field(default_factory=lambda: int(env("max_offline_days", "7")))
    # Documents (MPOP's limits): bytes per document, documents per change.
    max_document_bytes: int = field(
        default_factory=lambda: int(env("max_document_bytes", "5000000"))
    )
    max_documents_at_once: int = field(
        default_factory=lambda: int(env("max_documents_at_once", "5"))
    )
    # Failed sign-ins of one username from one address before it is throttled, and how long.
    max_failed_logins: int = field(default_factory=lambda: int(env("max_failed_logins", "5")))
    throttle_seconds: int = field(default_factory=lambda: int(env("throttle_seconds", "300")))
    # The address laptops use (https://cases.example.org), when a proxy in front rewrites
    # the Host header: DPoP proofs are checked against it. Unset: the request's Host.
    public_url: str | None = field(default_factory=lambda: env("public_url", "") or None)
    # From anywhere, for laptops not enrolled for the user; and per source address.
    max_failed_per_username: int = field(
        default_factory=lambda: int(env("max_failed_per_username", "20"))
    )
    max_failed_per_source: int = field(
        default_factory=lambda: int(env("max_failed_per_source", "30"))
    )
    # Global, per process: password checks for laptops not enrolled for the user (a burst,
    # then a rate); past it they are answered 429 without hashing (central/auth/sign_in.py).
    new_laptop_sign_in_burst: int = field(
        default_factory=lambda: int(env("new_laptop_sign_in_burst", "10"))
    )
    new_laptop_sign_ins_per_minute: int = field(
        default_factory=lambda: int(env("new_laptop_sign_ins_per_minute", "12"))
    )
    # Swagger UI and ReDoc (/docs, /redoc): off unless a deployment turns them on. The
    # OpenAPI document itself stays at /openapi.json, as published in docs/openapi.json.
    api_docs: bool = field(default_factory=lambda: env("api_docs", "0") == "1")
    # A region's own letter templates: <folder>/<provider code>/*.txt (docs/letters.md).
    letter_templates_dir: str = field(default_factory=lambda: env("letter_templates_dir", ""))
    # Providers whose people are supervised in Wales: their letters are Welsh and English.
    welsh_providers: str = field(default_factory=lambda: env("welsh_providers", "N03"))
    # A test or a one-off demo may pass the secret itself instead of a file.
    jwt_secret_value: str | None = field(default=None, repr=False)

    def jwt_secret(self) -> bytes:
        """The HS256 signing key: shared by every worker through one file (mode 0600).

        Checked wherever it comes from (`check_secret`): a weak key is refused at
        start-up rather than signing tokens anyone could forge."""
        if self.jwt_secret_value:
            return check_secret(self.jwt_secret_value.encode(), "the configured JWT secret")
        from_env = os.environ.get(ENV_PREFIX + "JWT_SECRET")
        if from_env:
            return check_secret(from_env.encode(), f"${ENV_PREFIX}JWT_SECRET")
        return read_or_create_secret(self.jwt_secret_file)


class WeakSecret(ValueError):
    """The signing key is too short or too regular to be 32 random bytes."""


MIN_SECRET_BYTES = 32
# 32 random bytes hold ~30 distinct values (hex or base64 text of them, 16+): a
# key with fewer is a repeated or typed one, whatever its length.
MIN_DISTINCT_BYTES = 16


def check_secret(value: bytes, source: str) -> bytes:
    """`value` unchanged when it can be 32 random bytes, else `WeakSecret`.

    Hex text (as `read_or_create_secret` writes) counts the bytes it encodes.
    Randomness cannot be proven from one value; this refuses the keys that are
    plainly not random (short, or a few characters repeated)."""
    text = value.strip()
    try:
        raw = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raw = text
    if len(raw) < MIN_SECRET_BYTES:
        raise WeakSecret(
            f"{source} holds fewer than {MIN_SECRET_BYTES} bytes; "
            "make one with: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if len(set(raw)) < MIN_DISTINCT_BYTES:
        raise WeakSecret(f"{source} is not random (too few distinct bytes); make a new one")
    return value


def read_or_create_secret(path: Path) -> bytes:
    """Read the secret, creating a random one the first time (atomically, owner-only)."""
    if path.exists():
        return check_secret(path.read_bytes().strip(), f"JWT secret file {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race: use its secret
        return check_secret(path.read_bytes().strip(), f"JWT secret file {path}")
    with os.fdopen(fd, "wb") as handle:
        handle.write(value)
    return value
