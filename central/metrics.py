"""Prometheus metrics: request counts and latency by route template, mutations applied.

Labels are route templates (`/v1/search`), never raw paths or query strings,
so no CRN or name ever reaches a metric. With several worker processes set
`PROMETHEUS_MULTIPROC_DIR` (the `serve` command does) and each answer covers
every worker.

The numbers describe the service's load, not cases, but they are not for the
world either: they are served only on a separate admin listener, off by default
(`fieldcase-central serve --metrics-port N`, bound to loopback unless told
otherwise), never on the API's own port.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

REQUESTS = Counter(
    "fieldcase_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "fieldcase_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
MUTATIONS = Counter(
    "fieldcase_mutations_total", "Mutations pushed, by name and result", ["name", "status"]
)

# PostgreSQL: how many transaction ids the change feed's watermark trails the newest
# (`central.sync.feed`): a long transaction anywhere on the cluster holds every pull
# back to it, and this grows. Set by each pull; the most recent of the live workers.
FEED_LAG = Gauge(
    "fieldcase_feed_watermark_lag_transactions",
    "Transaction ids between the pull watermark and the next transaction id (PostgreSQL)",
    multiprocess_mode="livemostrecent",
)


def route_template(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


async def measure(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """HTTP middleware: time the request and count it under its route template."""
    started = time.perf_counter()
    response = await call_next(request)
    elapsed = time.perf_counter() - started
    route = route_template(request)
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    LATENCY.labels(request.method, route).observe(elapsed)
    request.state.duration_ms = round(elapsed * 1000, 2)
    return response


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return DEFAULT_REGISTRY


def exposition() -> bytes:
    """Prometheus text exposition of this service's counters (every worker's)."""
    return generate_latest(_registry())


def start_admin_listener(port: int, host: str = "127.0.0.1") -> Callable[[], None]:
    """Serve `/metrics` on its own port, in a daemon thread; returns how to stop it."""
    server, thread = start_http_server(port, addr=host, registry=_registry())

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    return stop
