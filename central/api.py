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
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from pydantic import BaseModel
from sqlalchemy import Engine, text

from central import calendar_feed, letters_kit, metrics
from central.auth import routes as auth_routes
from central.config import Settings
from central.db import make_engine
from central.errors import ApiError, install_error_handlers
from central.me import router as me_router
from central.search import router as search_router
from central.state import AppState, app_state
from sync.protocol import PROTOCOL_VERSION

log = logging.getLogger(__name__)
PROTOCOL_HEADER = "X-Fieldcase-Protocol"
SYNC_ROUTER = "central.sync.router"
# A full push batch (500 mutations with 12,000-character notes) is about 7 MiB.
MAX_BODY_BYTES = 16 * 2**20

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


def _too_large(request: Request) -> Response | None:
    """Refuse a declared body above `MAX_BODY_BYTES` before reading it."""
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) <= MAX_BODY_BYTES:
        return None
    if not declared.isdigit():
        return ApiError(400, "bad_request", "Content-Length must be a number.").response()
    message = f"Request body over {MAX_BODY_BYTES // 2**20} MiB; send smaller batches."
    return ApiError(413, "payload_too_large", message).response()


async def _observe(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    refused = _too_large(request)
    if refused is not None:
        refused.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        return refused
    response = await metrics.measure(request, call_next)
    response.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
    log.info(
        "request",
        extra={
            "method": request.method,
            "route": metrics.route_template(request),
            "status": response.status_code,
            "duration_ms": getattr(request.state, "duration_ms", None),
        },
    )
    return response


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

    app = FastAPI(
        title="Fieldcase central case service",
        version=f"protocol {PROTOCOL_VERSION}",
        description="Auth, officer profile, national search and offline sync for Fieldcase.",
        lifespan=lifespan,
    )
    app.state.fieldcase = state
    install_error_handlers(app)
    # Answers over 1 KiB are gzipped for clients that ask (the desktop client does).
    # Level 1: about 9x smaller JSON at ~190 MB/s; Starlette's default level 9 costs
    # ten times the CPU for a few percent more. Added first, so it sits inside
    # `_observe` and sees whole bodies (its size threshold needs them).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    app.middleware("http")(_observe)
    for router in (health_router, metrics.router, auth_routes.router, me_router, search_router):
        app.include_router(router)
    for router in (letters_kit.router, calendar_feed.router):
        app.include_router(router)
    for router in _sync_routers():
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings come from `FIELDCASE_CENTRAL_*` variables."""
    from central import logs

    logs.configure(os.environ.get("FIELDCASE_CENTRAL_LOG_LEVEL", "INFO"))
    return create_app(Settings())
