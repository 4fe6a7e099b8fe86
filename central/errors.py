"""Error answers: every 4xx/5xx body is a `sync.protocol.Problem`.

A client (or a developer reading a log) always gets a stable `code` and a
message that says what to change; request validation errors are 422, never a
500, and an unexpected exception is logged with an id the answer repeats.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import FieldcaseError, RuleViolation, ValidationError
from sync.protocol import Problem, ServerAction

log = logging.getLogger(__name__)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


class ApiError(Exception):
    """An expected failure of a request, answered as a Problem with `status`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        action: ServerAction | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.action = action
        self.headers = headers or {}
        self.extra = extra or {}

    def response(self) -> JSONResponse:
        body = Problem(code=self.code, message=self.message, action=self.action)
        content = {**self.extra, **body.model_dump(mode="json", exclude_none=True)}
        return JSONResponse(content, status_code=self.status, headers=self.headers)


def device_revoked() -> ApiError:
    """The answer to every request from a revoked laptop: wipe the local cache."""
    return ApiError(
        403,
        "device_revoked",
        "This device has been revoked by an administrator.",
        action=ServerAction(
            kind="wipe",
            message="This laptop's access was withdrawn; its case data must be removed.",
        ),
    )


def _describe(errors: list[Any]) -> str:
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "Invalid request: " + "; ".join(parts) + more


async def _on_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return ApiError(422, "invalid_request", _describe(list(exc.errors()))).response()


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    headers = dict(exc.headers) if exc.headers else None
    return ApiError(exc.status_code, code, message, headers=headers).response()


async def _on_domain(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FieldcaseError)
    if isinstance(exc, ValidationError):
        return ApiError(422, "validation_error", exc.message).response()
    status, code = (409, "rule_violation") if isinstance(exc, RuleViolation) else (400, "error")
    return ApiError(status, code, exc.message).response()


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.error(
        "unhandled error %s on %s %s",
        incident,
        request.method,
        request.url.path,
        exc_info=exc,
    )
    message = f"Internal server error (incident {incident}); the server log has the details."
    return ApiError(500, "internal_error", message).response()


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(FieldcaseError, _on_domain)
    app.add_exception_handler(Exception, _on_unexpected)
