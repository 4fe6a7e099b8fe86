"""Fixtures for the central service: a seeded database and the real server on loopback."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
import uvicorn

from central.api import create_app
from central.config import CLIENT_ID, Settings
from central.seed import SeedResult, seed_database
from tests.support.postgres import free_port

# Cheap Argon2 parameters: the suite signs in hundreds of times (see central.auth.passwords).
os.environ.setdefault("FIELDCASE_CENTRAL_ARGON2_PROFILE", "CHEAPEST")

PASSWORD = "correct horse battery"
SECRET = "test-secret-" + "x" * 40


def make_settings(database_url: str, **overrides: Any) -> Settings:
    base = Settings(
        database_url=database_url,
        jwt_secret_value=SECRET,
        max_failed_logins=3,
        throttle_seconds=120,
    )
    return replace(base, **overrides)


@pytest.fixture
def seeded(database_url: str) -> SeedResult:
    """A fresh database with 3 officers x 4 cases (two of them Limited Access)."""
    return seed_database(database_url, officers=3, cases_per_officer=4, seed=11, password=PASSWORD)


@dataclass
class LiveServer:
    url: str
    settings: Settings
    seed: SeedResult | None

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def sign_in(
        self, username: str, password: str = PASSWORD, device_id: str | None = None
    ) -> httpx.Response:
        with self.client() as http:
            return http.post(
                "/oauth/token",
                data={
                    "grant_type": "password",
                    "client_id": CLIENT_ID,
                    "username": username,
                    "password": password,
                    "device_id": device_id or str(uuid.uuid4()),
                    "device_name": "test laptop",
                },
            )

    def token(self, username: str, device_id: str | None = None) -> str:
        answer = self.sign_in(username, device_id=device_id)
        assert answer.status_code == 200, answer.text
        access: str = answer.json()["access_token"]
        return access

    def get(self, path: str, token: str, **params: Any) -> httpx.Response:
        with self.client() as http:
            return http.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


@contextlib.contextmanager
def run_server(settings: Settings, seed: SeedResult | None = None) -> Iterator[LiveServer]:
    """The real app under uvicorn in a thread on a free loopback port; ready when
    /healthz answers (polled, never slept on)."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    live = LiveServer(f"http://127.0.0.1:{port}", settings, seed)
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            thread.join(0.01)  # poll the started flag, yielding to the server thread
        with live.client() as http:
            assert http.get("/healthz").status_code == 200
        yield live
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(database_url: str, seeded: SeedResult) -> Iterator[LiveServer]:
    """The service over real HTTP on a freshly seeded database."""
    with run_server(make_settings(database_url), seeded) as live:
        yield live
