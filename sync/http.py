"""The one HTTP session the client uses: timeouts, TLS, size caps and strict parsing.

Everything the server says passes through here before the engine sees it, so a
captive portal's HTML page, a truncated body, a gzip bomb or a field of the
wrong type becomes a typed error with a plain message, and never reaches the
cache. Redirects are never followed: an API answer that points elsewhere is
refused rather than trusted.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import requests
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from sync.address import check_server_url
from sync.errors import (
    AccessTokenExpired,
    ActionRequired,
    BadAnswerError,
    OfflineError,
    ServerBusyError,
    ServerRefusedError,
    UnreachableError,
    UpgradeRequired,
)
from sync.protocol import PROTOCOL_VERSION, Problem

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

PROTOCOL_HEADER = "X-Fieldcase-Protocol"
USER_AGENT = "Fieldcase-Desktop"
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts in seconds, the organisation's CA bundle, the biggest answer accepted."""

    # A server that does not take the connection in 2 s is offline to the officer: the
    # status bar says so within 2 s (a refused connection: at once), never after 8.
    connect_timeout: float = 2.0
    read_timeout: float = 60.0
    ca_bundle: str | None = None
    max_body_bytes: int = 64 * 1024 * 1024
    extra_headers: dict[str, str] = field(default_factory=dict)


class HttpClient:
    """POST/GET JSON to one server and hand back validated protocol models."""

    def __init__(self, base_url: str, settings: HttpSettings | None = None) -> None:
        # Refused before any connection: no packet goes to a plain-HTTP remote address.
        self.base_url = check_server_url(base_url) + "/"
        self.settings = settings or HttpSettings()
        self.bytes_sent = 0
        self.bytes_received = 0  # as on the wire (compressed), for diagnostics and bench
        self.session = requests.Session()
        self.session.verify = self.settings.ca_bundle or True
        self.session.headers.update(
            {
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                **self.settings.extra_headers,
            }
        )

    def close(self) -> None:
        self.session.close()

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/"))

    def post_model(
        self, path: str, body: BaseModel, answer: type[M], *, token: str | None = None
    ) -> M:
        """POST a protocol model, return the answer parsed strictly into `answer`."""
        return parse_model(self.post_json(path, body, token=token), answer)

    def post_json(self, path: str, body: BaseModel, *, token: str | None = None) -> bytes:
        """POST a protocol model, return the answer's body (a 2xx, within the size cap)."""
        data = body.model_dump_json().encode()
        headers = {"Content-Type": "application/json"}
        _, raw = self._send("POST", path, data=data, headers=headers, token=token)
        return raw

    def get_model(self, path: str, answer: type[M], *, token: str | None = None) -> M:
        _, raw = self._send("GET", path, token=token)
        return parse_model(raw, answer)

    def send_bytes(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> bytes:
        """A request whose body or answer is raw bytes (documents); errors as for JSON."""
        return self._send(method, path, data=data, headers=headers, token=token)[1]

    def post_form(
        self, path: str, form: dict[str, str], *, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """POST a form (the OAuth token endpoint): status and JSON object.

        400 and 401 come back as data rather than errors, because RFC 6749 puts
        the reason (`invalid_grant`...) in the body and only the caller knows
        what it means.
        """
        status, raw = self._send(
            "POST", path, data=form, headers=headers or {}, answer_errors={400, 401}
        )
        return status, parse_object(raw)

    def probe(self, path: str = "/healthz", timeout: float = 3.0) -> bool:
        """A cheap "is the server reachable?" check for the scheduler; never raises."""
        try:
            response = self.session.get(
                self.url(path),
                timeout=(min(timeout, self.settings.connect_timeout), timeout),
                allow_redirects=False,
                verify=self.session.verify,
            )
            response.close()
        except requests.RequestException:
            return False
        return response.status_code == 200

    def _send(
        self,
        method: str,
        path: str,
        *,
        data: bytes | dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
        answer_errors: frozenset[int] | set[int] = frozenset(),
    ) -> tuple[int, bytes]:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            response = self.session.request(
                method,
                self.url(path),
                data=data,
                headers=all_headers,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
                # Explicit, or REQUESTS_CA_BUNDLE in the environment would silently win over
                # the organisation's CA setting (requests issue #3829).
                verify=self.session.verify,
            )
            with response:
                body = read_capped(response, self.settings.max_body_bytes)
                self.bytes_received += int(response.raw.tell() or len(body))
            self.bytes_sent += len(data) if isinstance(data, bytes) else 0
        except requests.exceptions.SSLError as exc:
            raise ServerRefusedError(
                "The server's security certificate was not trusted, so nothing was sent. "
                "Ask IT to check the organisation's certificate setting.",
                code="tls",
            ) from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            kind = UnreachableError if _never_connected(exc) else OfflineError
            raise kind("Could not reach the case service; working offline.") from exc
        except requests.RequestException as exc:
            raise OfflineError("The connection to the case service dropped.") from exc
        if response.status_code not in answer_errors:
            check_status(response, body)
        return response.status_code, body


def _never_connected(exc: requests.RequestException) -> bool:
    """The connection was never made (as opposed to one that dropped mid-answer)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def read_capped(response: requests.Response, limit: int) -> bytes:
    """The decoded body, refusing more than `limit` bytes (a gzip bomb stops here too)."""
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BadAnswerError("The server's answer was far too large, so it was ignored.")
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(chunk_size=65536):
        total += len(chunk)
        if total > limit:
            raise BadAnswerError("The server's answer was far too large, so it was ignored.")
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta or HTTP date), bounded to an hour."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), 3600.0)
    try:
        when = parsedate_to_datetime(value)
        date = response.headers.get("Date")
        now = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError):
        return None
    if now is None:
        return None
    return max(0.0, min((when - now).total_seconds(), 3600.0))


def check_status(response: requests.Response, body: bytes) -> None:
    """Map a non-2xx answer onto a typed error; redirects are refused outright."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", "")).netloc or "another address"
        log.warning("refused a redirect (status %s)", status)
        raise BadAnswerError(
            f"The server tried to send us to {target}; Fieldcase only talks to the address "
            "it was set up with, so nothing was sent or changed."
        )
    problem = problem_of(body)
    if problem is not None and problem.action is not None:
        if problem.action.kind == "upgrade_required":
            raise UpgradeRequired(problem.action.message)
        raise ActionRequired(problem.action)
    if status in TRANSIENT_STATUSES:
        raise ServerBusyError(
            "The case service is busy or unavailable; Fieldcase will try again shortly.",
            retry_after=retry_after(response),
        )
    if status == 401:
        raise AccessTokenExpired("Your session needs renewing.")
    if status == 426:
        raise UpgradeRequired("This version of Fieldcase is too old for the case service.")
    if status >= 500:
        raise ServerBusyError("The case service had a problem; Fieldcase will try again.")
    code = problem.code if problem else "http_error"
    message = problem.message if problem else f"The case service refused the request ({status})."
    raise ServerRefusedError(message, code=code, status=status)


def problem_of(body: bytes) -> Problem | None:
    """The Problem in an error body, or None when it is not one (e.g. a proxy's HTML)."""
    try:
        return Problem.model_validate_json(body)
    except PydanticValidationError:
        return None


def parse_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadAnswerError(NOT_JSON) from exc
    if not isinstance(value, dict):
        raise BadAnswerError(NOT_JSON)
    return value


def parse_model(body: bytes, model: type[M]) -> M:
    """Strict parsing: no coercion of "5" to 5, no unknown fields, nothing missing."""
    try:
        return model.model_validate_json(body, strict=True)
    except PydanticValidationError as exc:
        log.warning("answer refused: %s error(s) parsing %s", exc.error_count(), model.__name__)
        raise BadAnswerError(NOT_JSON) from exc


NOT_JSON = (
    "The server's answer was not in the expected form (a network filter or an "
    "unfinished download can cause this). Nothing was changed; Fieldcase will try again."
)
