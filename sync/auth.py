"""Sign-in, silent refresh and token keeping: tokens live only in the OS credential store.

The officer signs in with a password once (OAuth2 password grant, which also
registers this laptop as a device whose id is the sync client id); after that
the short-lived access token is renewed with the refresh token without asking.
When the refresh token is expired or revoked the officer is asked to sign in
again: nothing queued is dropped or rejected because of it. Tokens are never
written to files or logs.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import keyring
import keyring.errors
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from storage.errors import NoCredentialStore
from storage.keys import secure_backend
from sync.errors import (
    BadAnswerError,
    CredentialStoreError,
    ServerBusyError,
    SignInFailed,
    SignInRequired,
)
from sync.http import HttpClient

log = logging.getLogger(__name__)

CLIENT_ID = "fieldcase-desktop"
KEYRING_SERVICE = "Fieldcase sync"
TOKEN_PATH = "/oauth/token"  # noqa: S105 (a URL path, not a secret)
# Renew this long before the access token runs out, so a request never races its expiry.
REFRESH_MARGIN_S = 30.0


class TokenAnswer(BaseModel):
    """RFC 6749 §5.1; unknown members are allowed there, so they are ignored here."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    access_token: str = Field(min_length=1, max_length=8192)
    token_type: str
    expires_in: int = Field(ge=1, le=366 * 86400)
    refresh_token: str = Field(min_length=1, max_length=8192)


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    access_expires_at: float  # time.time() seconds


class TokenStore:
    """One JSON secret per (server, username, device) in the OS credential store; the
    device (= profile's client id) is part of the key so two profiles never share tokens."""

    def __init__(self, server: str, username: str, device_id: UUID) -> None:
        self.key = f"{server.rstrip('/')} {username} {device_id}"

    def load(self) -> Tokens | None:
        try:
            raw = secure_backend().get_password(KEYRING_SERVICE, self.key)
        except (keyring.errors.KeyringError, NoCredentialStore) as exc:
            raise CredentialStoreError(_NO_STORE) from exc
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            return Tokens(str(data["a"]), str(data["r"]), float(data["e"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored an unreadable token entry in the credential store")
            return None

    def save(self, tokens: Tokens) -> None:
        raw = json.dumps(
            {"a": tokens.access_token, "r": tokens.refresh_token, "e": tokens.access_expires_at}
        )
        try:
            secure_backend().set_password(KEYRING_SERVICE, self.key, raw)
        except (keyring.errors.KeyringError, NoCredentialStore) as exc:
            raise CredentialStoreError(_NO_STORE) from exc

    def clear(self) -> None:
        try:
            secure_backend().delete_password(KEYRING_SERVICE, self.key)
        except keyring.errors.PasswordDeleteError:
            pass
        except (keyring.errors.KeyringError, NoCredentialStore) as exc:
            raise CredentialStoreError(_NO_STORE) from exc


class Authenticator:
    """Hands out a valid access token, refreshing it (thread-safely) when needed."""

    def __init__(
        self,
        http: HttpClient,
        username: str,
        device_id: UUID,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.http = http
        self.username = username
        self.device_id = device_id
        self.clock = clock
        self.store = TokenStore(http.base_url, username, device_id)
        self._lock = threading.Lock()

    def signed_in(self) -> bool:
        return self.store.load() is not None

    def sign_in(self, password: str, device_name: str) -> None:
        """Password grant; registers this device. Wrong password -> SignInFailed."""
        form = {
            "grant_type": "password",
            "username": self.username,
            "password": password,
            "client_id": CLIENT_ID,
            "device_id": str(self.device_id),
            "device_name": device_name,
        }
        with self._lock:
            self._grant(form, on_refused=SignInFailed(_REFUSED_SIGN_IN))
        log.info("signed in; device %s registered", self.device_id)

    def access_token(self) -> str:
        """A token good for at least REFRESH_MARGIN_S more seconds."""
        with self._lock:
            tokens = self.store.load()
            if tokens is None:
                raise SignInRequired(_SIGN_IN)
            if tokens.access_expires_at - self.clock() > REFRESH_MARGIN_S:
                return tokens.access_token
            return self._refresh(tokens).access_token

    def renew(self, rejected_token: str) -> str:
        """After a 401: refresh unless another thread already replaced that token."""
        with self._lock:
            tokens = self.store.load()
            if tokens is None:
                raise SignInRequired(_SIGN_IN)
            if tokens.access_token != rejected_token:
                return tokens.access_token
            return self._refresh(tokens).access_token

    def forget(self) -> None:
        """Sign out locally: the tokens leave the credential store."""
        with self._lock:
            self.store.clear()

    def _refresh(self, tokens: Tokens) -> Tokens:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token,
            "client_id": CLIENT_ID,
            "device_id": str(self.device_id),
        }
        fresh = self._grant(form, on_refused=SignInRequired(_SIGN_IN))
        log.info("access token refreshed")
        return fresh

    def _grant(self, form: dict[str, str], *, on_refused: Exception) -> Tokens:
        status, body = self.http.post_form(TOKEN_PATH, form)
        if status in (400, 401):
            error = body.get("error")
            if error == "invalid_grant" or status == 401:
                if isinstance(on_refused, SignInRequired):
                    self.store.clear()
                raise on_refused
            if error == "slow_down":
                raise ServerBusyError("Too many sign-in attempts; please wait a moment.")
            raise BadAnswerError(f"The case service refused the sign-in ({error or status}).")
        try:
            answer = TokenAnswer.model_validate(body)
        except PydanticValidationError as exc:
            raise BadAnswerError("The sign-in answer was not in the expected form.") from exc
        tokens = Tokens(answer.access_token, answer.refresh_token, self.clock() + answer.expires_in)
        self.store.save(tokens)
        return tokens


_NO_STORE = (
    "Fieldcase keeps its sign-in only in the system's credential store, which is not "
    "available. Ask IT to check Windows Credential Manager."
)
_SIGN_IN = "Your sign-in has expired. Sign in again to send your changes; nothing was lost."
_REFUSED_SIGN_IN = "That username and password were not accepted."
