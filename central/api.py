"""The app factory: `create_app(settings)` builds the whole HTTP service.

Routers of the platform (auth, officer, search, operations) and, when present,
the sync endpoints (`central.sync.router`) are mounted on one FastAPI app with
Problem-shaped error answers, metrics, JSON access logs and the protocol header.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from pydantic import BaseModel
from sqlalchemy import Engine, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import calendar_feed, letters_kit, metrics
from central.auth import routes as auth_routes
from central.config import Settings
from central.covers import router as covers_router
from central.db import make_engine
from central.duty_api import router as duty_router
from central.errors import ApiError, install_error_handlers
from central.limits import BodyLimit
from central.me import router as me_router
from central.search import router as search_router
from central.state import AppState, app_state
from central.team import router as team_router
from domain.documents import DocumentLimits
from sync.protocol import PROTOCOL_VERSION

log = logging.getLogger(__name__)
PROTOCOL_HEADER = "X-Fieldcase-Protocol"
SYNC_ROUTER = "central.sync.router"

health_router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    protocol_version: int


@health_router.get("/healthz", response_model=Health)
def healthz(state: Annotated[AppState, Depends(app_state)]) -> Health:
    """Ready when the database answers; a load balancer polls this."""
    try:
        with state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        log.error("health check: database unreachable (%s)", type(exc).__name__)
        raise ApiError(503, "database_unavailable", "The database is not reachable.") from exc
    return Health(status="ok", protocol_version=PROTOCOL_VERSION)


class Observe:
    """ASGI middleware: count and time each request by route template, log it, and add
    the protocol header. Plain ASGI rather than `@app.middleware("http")`, whose
    BaseHTTPMiddleware runs every request through an extra task and memory stream
    (measured with the other request-path changes: docs/central.md, "Morning model")."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.header = (PROTOCOL_HEADER.lower().encode(), str(PROTOCOL_VERSION).encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), self.header]
            await send(message)

        await self.app(scope, receive, send_observed)
        elapsed = time.perf_counter() - started
        path = getattr(scope.get("route"), "path", None)  # the template, never the raw path
        route = path if isinstance(path, str) else "unmatched"
        metrics.REQUESTS.labels(scope["method"], route, str(status)).inc()
        metrics.LATENCY.labels(scope["method"], route).observe(elapsed)
        if log.isEnabledFor(logging.INFO):
            log.info(
                "request",
                extra={"method": scope["method"], "route": route, "status": status,
                       "duration_ms": round(elapsed * 1000, 2)},
            )  # fmt: skip


def _sync_routers() -> list[APIRouter]:
    """B2's sync endpoints, mounted when their module exists in this build."""
    if importlib.util.find_spec(SYNC_ROUTER) is None:
        return []
    router: APIRouter = importlib.import_module(SYNC_ROUTER).router
    return [router]


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The service for `settings` (an engine may be shared, e.g. by tests)."""
    owned = engine is None
    state = AppState(settings, engine if engine is not None else make_engine(settings.database_url))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            state.engine.dispose()

    docs = settings.api_docs  # interactive docs only where a deployment asks for them
    app = FastAPI(
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        title="Fieldcase central case service",
        version=f"protocol {PROTOCOL_VERSION}",
        description="Auth, officer profile, national search and offline sync for Fieldcase.",
        lifespan=lifespan,
    )
    state.jwt_secret  # noqa: B018 - a weak signing key stops the service here, at start-up
    app.state.fieldcase = state
    install_error_handlers(app)
    # Answers over 1 KiB are gzipped for clients that ask (the desktop client does).
    # Level 1: about 9x smaller JSON at ~190 MB/s; Starlette's default level 9 costs
    # ten times the CPU for a few percent more. Added first, so it sits inside
    # `Observe` and sees whole bodies (its size threshold needs them).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    # Inside `Observe` (so a 413 is logged and counted), outside everything that reads.
    app.add_middleware(BodyLimit)
    app.add_middleware(Observe)
    for router in (health_router, auth_routes.router, me_router, search_router):
        app.include_router(router)
    app.include_router(duty_router)
    for router in (letters_kit.router, calendar_feed.router):
        app.include_router(router)
    for router in _sync_routers():
        app.include_router(router)
    from central.documents import gate, routes

    gate.configure(DocumentLimits(settings.max_document_bytes, settings.max_documents_at_once))
    app.include_router(routes.router)
    for router in (team_router, covers_router):
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings come from `FIELDCASE_CENTRAL_*` variables."""
    from central import logs

    logs.configure(os.environ.get("FIELDCASE_CENTRAL_LOG_LEVEL", "INFO"))
    return create_app(Settings())
