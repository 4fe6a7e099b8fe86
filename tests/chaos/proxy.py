"""A fault-injecting HTTP proxy on loopback, between the client and the central service.

Each request draws one fate from a seeded random generator: pass, drop the
request, delay it (bounded), send it twice, truncate it, reset the connection,
answer 500/503 itself, truncate the answer, or lose the answer after the server
committed. Same seed, same sequence of fates (the client sends one request at a
time), so a failing run can be replayed. `faults_on = False` makes it a plain
pass-through, for "convergence once faults stop".
"""

from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FATES = (
    "drop_request",
    "delay",
    "duplicate_request",
    "truncate_request",
    "reset",
    "error_500",
    "error_503",
    "truncate_response",
    "lose_response",
)
MAX_DELAY_S = 0.05
# Host is passed through, as a reverse proxy in front of the service must (or the service
# is told its public address): DPoP proofs name the host the laptop signed them for.
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class FaultPlan:
    """How often a request meets a fault, and which ones may happen."""

    seed: int = 0
    rate: float = 0.3
    fates: tuple[str, ...] = FATES
    rng: random.Random = field(init=False)
    seen: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def draw(self) -> tuple[str, float]:
        """The next fate, and its delay in seconds (bounded; drawn here to stay seeded)."""
        fate = self.rng.choice(self.fates) if self.rng.random() < self.rate else "pass"
        self.seen[fate] += 1
        return fate, self.rng.random() * MAX_DELAY_S


class ChaosProxy:
    def __init__(self, upstream: str, plan: FaultPlan) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.plan = plan
        self.faults_on = True
        self.lock = threading.Lock()
        self.url = ""

    def fate(self, path: str) -> tuple[str, float]:
        if not self.faults_on or path == "/healthz":
            return "pass", 0.0
        with self.lock:
            return self.plan.draw()

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()


class _Handler(BaseHTTPRequestHandler):
    proxy: ChaosProxy
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        fate, delay = self.proxy.fate(self.path)
        if fate in ("drop_request", "reset"):
            self._reset()
            return
        if fate in ("error_500", "error_503"):
            self._answer(int(fate[-3:]), [("Content-Type", "text/html")], b"<html>oops</html>")
            return
        if fate == "delay":
            threading.Event().wait(delay)  # the fault itself: a slow network
        if fate == "truncate_request":
            body = body[: len(body) // 2]
        if fate == "duplicate_request":
            self.proxy.forward(self.command, self.path, headers, body)
        status, answer_headers, answer = self.proxy.forward(self.command, self.path, headers, body)
        if fate == "lose_response":
            self._reset()
            return
        self._answer(status, answer_headers, answer, truncate=fate == "truncate_response")

    do_GET = do_POST = _serve

    def _answer(
        self, status: int, headers: list[tuple[str, str]], body: bytes, *, truncate: bool = False
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_HEADERS:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        self.wfile.flush()
        self.close_connection = True

    def _reset(self) -> None:
        """Close with RST (SO_LINGER 0): the client sees a connection reset."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def chaos_proxy(upstream: str, plan: FaultPlan) -> Iterator[ChaosProxy]:
    """Run a proxy to `upstream` on a free loopback port; `proxy.url` is its address."""
    proxy = ChaosProxy(upstream, plan)
    handler = type("Handler", (_Handler,), {"proxy": proxy})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
