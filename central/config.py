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
    # Failed sign-ins per username before the account is throttled, and for how long.
    max_failed_logins: int = field(default_factory=lambda: int(env("max_failed_logins", "5")))
    throttle_seconds: int = field(default_factory=lambda: int(env("throttle_seconds", "300")))
    # A region's own letter templates: <folder>/<provider code>/*.txt (docs/letters.md).
    letter_templates_dir: str = field(default_factory=lambda: env("letter_templates_dir", ""))
    # Providers whose people are supervised in Wales: their letters are Welsh and English.
    welsh_providers: str = field(default_factory=lambda: env("welsh_providers", "N03"))
    # A test or a one-off demo may pass the secret itself instead of a file.
    jwt_secret_value: str | None = field(default=None, repr=False)

    def jwt_secret(self) -> bytes:
        """The HS256 signing key: shared by every worker through one file (mode 0600)."""
        if self.jwt_secret_value:
            return self.jwt_secret_value.encode()
        from_env = os.environ.get(ENV_PREFIX + "JWT_SECRET")
        if from_env:
            return from_env.encode()
        return read_or_create_secret(self.jwt_secret_file)


def read_or_create_secret(path: Path) -> bytes:
    """Read the secret, creating a random one the first time (atomically, owner-only)."""
    if path.exists():
        data = path.read_bytes().strip()
        if len(data) < 32:
            raise ValueError(f"JWT secret file {path} holds fewer than 32 bytes")
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race: use its secret
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(value)
    return value
