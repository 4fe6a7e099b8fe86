"""Sign-in, silent refresh and token keeping: tokens live only in the OS credential store,
sealed under the officer's key.

The officer signs in with a password once (OAuth2 password grant, which also
enrols this laptop as a device whose id is the sync client id, bound to the
laptop's DPoP key: sync/dpop.py); after that the short-lived access token is
renewed with the refresh token without asking, each refresh proving the key.
When the refresh token is expired or revoked the officer is asked to sign in
again: nothing queued is dropped or rejected because of it. Tokens and the key
are sealed (storage/vault.py) before they reach the credential store, so the
store alone yields nothing usable; they are never written to files or logs, are
unsealed only for the moment they are used, and after `close` (on lock) nothing
can unseal them until the password is typed again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from storage.errors import NoCredentialStore
from storage.vault import SERVICE, SealedEntry, device_key_entry, token_entry
from sync.dpop import DeviceKey
from sync.errors import (
    BadAnswerError,
    CredentialStoreError,
    DeviceAwaitingApproval,
    ServerBusyError,
    ServerRefusedError,
    SignInFailed,
    SignInRequired,
)
from sync.http import HttpClient

log = logging.getLogger(__name__)

CLIENT_ID = "fieldcase-desktop"
KEYRING_SERVICE = SERVICE
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
    """The tokens of one (server, username, device), sealed under the vault key."""

    def __init__(self, server: str, username: str, device_id: UUID, vault: bytes) -> None:
        self.entry = SealedEntry(token_entry(server, username, device_id), vault)

    def load(self) -> Tokens | None:
        raw = _store_call(self.entry.load)
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
        _store_call(lambda: self.entry.save(raw.encode()))

    def clear(self) -> None:
        _store_call(self.entry.delete)


class KeyStore:
    """The laptop's DPoP key for one device id, sealed under the vault key."""

    def __init__(self, device_id: UUID, vault: bytes) -> None:
        self.entry = SealedEntry(device_key_entry(device_id), vault)

    def load(self) -> DeviceKey | None:
        pem = _store_call(self.entry.load)
        if pem is None:
            return None
        try:
            return DeviceKey.from_pem(pem)
        except ValueError:
            log.warning("ignored an unreadable device key in the credential store")
            return None

    def create(self) -> DeviceKey:
        """Enrolment: a new key pair, kept for every later sign-in on this profile."""
        key = DeviceKey.generate()
        _store_call(lambda: self.entry.save(key.to_pem()))
        return key


T = TypeVar("T")


def _store_call(call: Callable[[], T]) -> T:
    try:
        return call()
    except NoCredentialStore as exc:
        raise CredentialStoreError(_NO_STORE) from exc


class Authenticator:
    """Hands out a valid access token, refreshing it (thread-safely) when needed.

    `vault` is the sealing key (storage.vault.vault_key of the unlocked cache key).
    """

    def __init__(
        self,
        http: HttpClient,
        username: str,
        device_id: UUID,
        vault: bytes,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.http = http
        self.username = username
        self.device_id = device_id
        self.clock = clock
        self.store = TokenStore(http.base_url, username, device_id, vault)
        self.keys = KeyStore(device_id, vault)
        self._lock = threading.Lock()
        self._key: DeviceKey | None = None
        self._clock_offset = 0.0  # the server's clock minus ours, learned from a refusal
        self._closed = False

    def signed_in(self) -> bool:
        with self._lock:
            return self._load() is not None

    def sign_in(self, password: str, device_name: str) -> None:
        """Password grant; enrols this device and its key. Wrong password -> SignInFailed;
        a laptop an administrator has not approved yet -> DeviceAwaitingApproval."""
        form = {
            "grant_type": "password",
            "username": self.username,
            "password": password,
            "client_id": CLIENT_ID,
            "device_id": str(self.device_id),
            "device_name": device_name,
        }
        with self._lock:
            self._check_open()
            if self._key is None:
                self._key = self.keys.load() or self.keys.create()
            try:
                self._grant(form, on_refused=SignInFailed(_REFUSED_SIGN_IN))
            except ServerRefusedError as refused:
                if refused.code != "device_pending":
                    raise
                raise DeviceAwaitingApproval(refused.message) from None
        log.info("signed in; device %s enrolled", self.device_id)

    def access_token(self) -> str:
        """A token good for at least REFRESH_MARGIN_S more seconds."""
        with self._lock:
            tokens = self._load()
            if tokens is None:
                raise SignInRequired(_SIGN_IN)
            if tokens.access_expires_at - self.clock() > REFRESH_MARGIN_S:
                return tokens.access_token
            return self._refresh(tokens).access_token

    def renew(self, rejected_token: str) -> str:
        """After a 401: refresh unless another thread already replaced that token."""
        with self._lock:
            tokens = self._load()
            if tokens is None:
                raise SignInRequired(_SIGN_IN)
            if tokens.access_token != rejected_token:
                return tokens.access_token
            return self._refresh(tokens).access_token

    def forget(self, *, device_key: bool = False) -> None:
        """Sign out locally: the tokens leave memory and the credential store. The device
        key stays (this laptop's identity at its next sign-in) unless the laptop is wiped."""
        with self._lock:
            self.store.clear()
            if device_key:
                self._key = None
                _store_call(self.keys.entry.delete)

    def close(self) -> None:
        """Lock: the unsealed key leaves memory and nothing is unsealed any more (tokens
        are unsealed per use, never kept); only the password brings them back (a new
        Authenticator, made after the unlock)."""
        with self._lock:
            self._key = None
            self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise SignInRequired("Fieldcase is locked; unlock it with your password.")

    def _load(self) -> Tokens | None:
        """The tokens, unsealed for this use only (the store is the one copy)."""
        self._check_open()
        return self.store.load()

    def _refresh(self, tokens: Tokens) -> Tokens:
        if self._key is None:
            self._key = self.keys.load()
        if self._key is None:  # tokens from before keys were bound: sign in once more
            self._drop_tokens()
            raise SignInRequired(_SIGN_IN)
        form = {
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token,
            "client_id": CLIENT_ID,
            "device_id": str(self.device_id),
        }
        fresh = self._grant(form, on_refused=SignInRequired(_SIGN_IN))
        log.info("access token refreshed")
        return fresh

    def _drop_tokens(self) -> None:
        self.store.clear()

    def _post(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST to the token endpoint with a DPoP proof; once more, on the server's clock,
        when the proof was refused for its time (this laptop's clock is off)."""
        assert self._key is not None
        url = self.http.url(TOKEN_PATH)
        status, body = 0, dict[str, Any]()
        for _ in range(2):
            proof = self._key.proof("POST", url, issued_at=self.clock() + self._clock_offset)
            status, body = self.http.post_form(TOKEN_PATH, form, headers={"DPoP": proof})
            server_time = body.get("server_time")
            if body.get("error") != "invalid_dpop_proof" or not isinstance(server_time, int):
                break
            offset = server_time - self.clock()
            if abs(offset - self._clock_offset) < 1:
                break  # not a clock problem
            log.info("this laptop's clock is %.0f s off the server's; proof signed again", offset)
            self._clock_offset = offset
        return status, body

    def _grant(self, form: dict[str, str], *, on_refused: Exception) -> Tokens:
        status, body = self._post(form)
        if status in (400, 401):
            error = body.get("error")
            if error == "invalid_grant" or status == 401:
                if isinstance(on_refused, SignInRequired):
                    self._drop_tokens()
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
