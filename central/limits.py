"""Request bodies capped while they are read, whether or not a Content-Length is sent.

A declared length over the route's limit is refused before a byte of the body is
read. A body without one (chunked) is counted as it streams in: the read that passes
the limit raises `BodyTooLarge`, which the app answers 413 — before authentication,
since FastAPI reads a body before it resolves dependencies, and with the server
holding at most the limit in memory, never the whole body (measured in
docs/security.md: a 400 MiB chunked POST grew the server by over 1 GiB before this).

A pure ASGI middleware, not `BaseHTTPMiddleware`: it wraps `receive` itself, so
nothing ahead of it buffers the body.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.errors import ApiError

MIB = 2**20
# A full push batch (500 mutations with 12,000-character notes) is about 7 MiB.
PUSH_BODY_BYTES = 16 * MIB
# Everything else the service accepts is small: a pull request, a case request.
DEFAULT_BODY_BYTES = 1 * MIB
# The token endpoint takes a handful of short form fields.
TOKEN_BODY_BYTES = 16 * 1024

ROUTE_LIMITS: Mapping[str, int] = {
    "/v1/sync/push": PUSH_BODY_BYTES,
    "/oauth/token": TOKEN_BODY_BYTES,
}


def describe(limit: int) -> str:
    size = f"{limit // MIB} MiB" if limit >= MIB else f"{limit // 1024} KiB"
    return f"Request body over {size}; send smaller batches."


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the body read so far passes the route's limit.

    An `HTTPException`, so FastAPI's body parsing lets it through unchanged and the
    app's handler answers it as the Problem `payload_too_large`.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, describe(limit))


class BodyLimit:
    """ASGI middleware: refuse an over-long body early, counting it as it streams."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default: int = DEFAULT_BODY_BYTES,
        routes: Mapping[str, int] = ROUTE_LIMITS,
    ) -> None:
        self.app = app
        self.default = default
        self.routes = dict(routes)

    def limit_for(self, path: str) -> int:
        return self.routes.get(path.rstrip("/") or "/", self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        refused = _declared_refusal(scope, limit)
        if refused is not None:
            await refused.response()(scope, receive, send)
            return
        started = False

        async def send_watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _counting(receive, limit), send_watched)
        except BodyTooLarge as exc:  # raised where no handler answered it
            if started:
                raise
            await ApiError(413, "payload_too_large", str(exc.detail)).response()(
                scope, receive, send
            )


def _declared_refusal(scope: Scope, limit: int) -> ApiError | None:
    """A Content-Length that is not a number, or above `limit`, refused unread."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            declared = value.decode("latin-1").strip()
            if not declared.isdigit():
                return ApiError(400, "bad_request", "Content-Length must be a number.")
            if int(declared) > limit:
                return ApiError(413, "payload_too_large", describe(limit))
    return None


def _counting(receive: Receive, limit: int) -> Receive:
    """`receive`, raising `BodyTooLarge` on the chunk that passes `limit`."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted
