"""The case service's sync endpoints as typed calls, with auth and retries folded in.

Each call: take a fresh access token, send, and on a 401 refresh once and send
again (an expired token is never a failure of the mutation). Transient failures
(no network, timeouts, 5xx, 429) are retried with capped exponential backoff and
full jitter by tenacity, honouring a server's Retry-After, and the wait wakes up
at once when the sync is cancelled.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from domain.letters.kit import LetterKit
from sync.auth import Authenticator
from sync.checks import COPIED_PROFILE, diverged_message
from sync.errors import (
    AccessTokenExpired,
    QueueDiverged,
    ServerRefusedError,
    TransientError,
    UnreachableError,
)
from sync.http import HttpClient, parse_model
from sync.progress import Progress
from sync.protocol import (
    CaseRequest,
    CaseSnapshot,
    PullRequest,
    PushRequest,
    PushResponse,
    ResultsRequest,
    ResultsResponse,
    SearchResponse,
)
from sync.pull_page import PulledPage, parse_pull_page

log = logging.getLogger(__name__)
# The server's codes for a seq reused for another change (central/sync/replay.py).
SEQ_REUSED_CODES = frozenset({"seq_reused", "duplicate_seq"})

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for one request: attempts, first wait and cap in seconds."""

    attempts: int = 6
    initial_s: float = 0.5
    max_s: float = 30.0


class Policy(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    idle_lock_minutes: int
    max_offline_days: int
    max_document_bytes: int = 5_000_000  # a server from before documents sends none
    max_documents_at_once: int = 5


class Me(BaseModel):
    """GET /v1/me: who is signed in and the organisation's policies (extra fields kept out)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    policy: Policy
    officer: dict[str, Any] = {}


class SyncApi:
    def __init__(
        self,
        http: HttpClient,
        auth: Authenticator,
        progress: Progress,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.http = http
        self.auth = auth
        self.progress = progress
        self.retry = retry or RetryPolicy()
        self.requests = 0
        self.seconds_in_requests = 0.0  # waiting on the network and the server

    def push(self, request: PushRequest) -> PushResponse:
        """A push; a server that holds another change under one of these seqs (409
        `seq_reused` / `duplicate_seq`) means this copy's numbers diverged from what the
        server saw: the explicit diverged state, never an endless retry."""
        try:
            return self._call("/v1/sync/push", request, PushResponse)
        except ServerRefusedError as refused:
            if refused.code not in SEQ_REUSED_CODES:
                raise
            log.warning("push refused: %s at a seq this laptop sent", refused.code)
            what = (
                "The case service already holds a different change under a number this "
                f"laptop used. {COPIED_PROFILE}"
            )
            raise QueueDiverged(diverged_message(request.client_id, what)) from refused

    def results(self, request: ResultsRequest) -> ResultsResponse:
        """Stored results of seqs the server applied but whose answers were lost."""
        return self._call("/v1/sync/results", request, ResultsResponse)

    def pull(self, request: PullRequest) -> PulledPage:
        """A page, each record's `data` kept as the JSON text received (sync/pull_page.py)."""
        return self._send("/v1/sync/pull", request, parse_pull_page)

    def case(self, request: CaseRequest) -> CaseSnapshot:
        return self._call("/v1/sync/case", request, CaseSnapshot)

    def search(self, text: str, *, limit: int = 25) -> SearchResponse:
        """GET /v1/search: cases beyond this laptop (the server applies Limited Access
        and audits every result it returns)."""
        path = "/v1/search?" + urlencode({"q": text, "limit": limit})
        return self._retrying(
            lambda: self._authorised(lambda t: self.http.get_model(path, SearchResponse, token=t))
        )

    def me(self) -> Me:
        return self._retrying(
            lambda: self._authorised(lambda t: self.http.get_model("/v1/me", Me, token=t))
        )

    def call(self, send: Callable[[str], T]) -> T:
        """`send(access_token)` with the same token renewal and retries as every call."""
        return self._retrying(lambda: self._authorised(send))

    def letter_kit(self) -> LetterKit:
        """GET /v1/letters/kit: the region's letter templates, the offices, Welsh teams."""
        return self._retrying(
            lambda: self._authorised(
                lambda t: self.http.get_model("/v1/letters/kit", LetterKit, token=t)
            )
        )

    def _call(self, path: str, body: BaseModel, answer: type[M]) -> M:
        return self._send(path, body, lambda raw: parse_model(raw, answer))

    def _send(self, path: str, body: BaseModel, parse: Callable[[bytes], T]) -> T:
        def send(token: str) -> T:
            self.requests += 1
            started = time.perf_counter()
            try:
                return parse(self.http.post_json(path, body, token=token))
            finally:
                self.seconds_in_requests += time.perf_counter() - started

        return self._retrying(lambda: self._authorised(send))

    def _authorised(self, send: Callable[[str], T]) -> T:
        token = self.auth.access_token()
        try:
            return send(token)
        except AccessTokenExpired:
            log.info("access token refused; refreshing once")
            return send(self.auth.renew(token))

    def _retrying(self, attempt: Callable[[], T]) -> T:
        jitter = wait_random_exponential(multiplier=self.retry.initial_s, max=self.retry.max_s)

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            hint = getattr(error, "retry_after", None)
            chosen = float(jitter(state))
            if isinstance(hint, float):
                chosen = max(chosen, min(hint, self.retry.max_s))
            log.info(
                "transient failure (attempt %s); retrying in %.2fs", state.attempt_number, chosen
            )
            return chosen

        retrying = Retrying(
            # Not an unreachable server: retrying it here kept "Online – syncing…" on
            # screen for 10 s after the server died. The scheduler owns that case (it
            # says offline at once and probes cheaply until the server answers).
            retry=retry_if_exception_type(TransientError)
            & retry_if_not_exception_type(UnreachableError),
            stop=stop_after_attempt(self.retry.attempts),
            wait=wait,
            sleep=self.progress.wait,
            before=lambda _state: self.progress.check(),
            reraise=True,
        )
        return retrying(attempt)
