"""A real central service on loopback for HTTP tests: uvicorn in a thread, polled ready."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import uvicorn
from sqlalchemy import Connection

from central.api import create_app
from central.auth.devices import enrol_device
from central.auth.tokens import issue_access_token
from central.config import Settings
from central.db import utcnow
from central.tables import token_families

SECRET = "c3a1f8e27b9d4c6a0e5f2b8d1a7c4e9f6b3d0a2c5e8f1b4d7a9c2e6f0b3d5a87"
READY_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(database_url: str) -> Iterator[str]:
    """Serve `database_url` on 127.0.0.1; yield the base URL once /healthz answers."""
    settings = Settings(database_url=database_url, jwt_secret_value=SECRET)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, thread)
        yield base
    finally:
        server.should_exit = True
        thread.join(READY_SECONDS)


def _wait_ready(base: str, thread: threading.Thread) -> None:
    tick = threading.Event()
    for _ in range(READY_SECONDS * 20):
        if not thread.is_alive():
            raise RuntimeError("the server thread stopped during start-up")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        tick.wait(0.05)
    raise RuntimeError("the server did not become ready")


def register_laptop(conn: Connection, device_id: str, username: str) -> None:
    """Enrol a test laptop with one signed-in session whose id is the device id, as
    `bearer` expects (a test shortcut for the password grant and its DPoP proof)."""
    now = utcnow()
    enrol_device(conn, device_id, username, name="test laptop", jkt="test-key", now=now)
    conn.execute(
        token_families.insert().values(
            id=device_id, device_id=device_id, username=username, jkt="test-key", created_at=now
        )
    )


def bearer(username: str, device_id: str) -> dict[str, str]:
    token = issue_access_token(
        SECRET.encode(), username, device_id, utcnow(), timedelta(minutes=15), session_id=device_id
    )
    return {"Authorization": f"Bearer {token}"}
