"""Fixtures for the central service: a seeded database and the real server on loopback."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy
import uvicorn
from fastapi import FastAPI

from central.api import create_app
from central.config import CLIENT_ID, Settings
from central.seed import SeedResult, seed_database
from sync.dpop import DeviceKey
from tests.support.postgres import free_port

# Cheap Argon2 parameters: the suite signs in hundreds of times (see central.auth.passwords).
os.environ.setdefault("FIELDCASE_CENTRAL_ARGON2_PROFILE", "CHEAPEST")

PASSWORD = "correct horse battery"
# A fixed random key (32 bytes as hex): the service refuses weak ones at start-up.
SECRET = "5f0c2e9a8b7d41f3a6c9e2d8b1f4a7c03e6d9b2a5f8c1e4d7a0b3c6e9f2d5a81"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    base = Settings(
        database_url=database_url,
        jwt_secret_value=SECRET,
        max_failed_logins=3,
        throttle_seconds=120,
        new_laptop_sign_in_burst=10**6,  # the suite signs in from new laptops all day
    )
    return replace(base, **overrides)


SEED_ARGS: dict[str, Any] = {
    "officers": 3,
    "cases_per_officer": 4,
    "seed": 11,
    "password": PASSWORD,
}


@pytest.fixture(scope="session")
def seed_templates() -> dict[str, tuple[str, SeedResult]]:
    """Seeded template databases, made once per backend and copied for each test."""
    return {}


def _clone_sqlite(
    url: str, templates: dict[str, tuple[str, SeedResult]], folder: Path
) -> SeedResult:
    if "sqlite" not in templates:
        path = folder / "template.db"
        result = seed_database(f"sqlite:///{path}", **SEED_ARGS)
        templates["sqlite"] = (str(path), result)
    path, result = templates["sqlite"]
    shutil.copyfile(path, url.removeprefix("sqlite:///"))
    return result


def _clone_postgres(
    url: str, admin_url: str, templates: dict[str, tuple[str, SeedResult]]
) -> SeedResult:
    base = admin_url.rsplit("/", 1)[0]
    if "postgres" not in templates:
        name = f"tmpl_{uuid.uuid4().hex[:12]}"
        _admin(admin_url, f'CREATE DATABASE "{name}"')
        templates["postgres"] = (name, seed_database(f"{base}/{name}", **SEED_ARGS))
    template, result = templates["postgres"]
    target = url.rsplit("/", 1)[1]
    _admin(
        admin_url, f'DROP DATABASE "{target}"', f'CREATE DATABASE "{target}" TEMPLATE "{template}"'
    )
    return result


def _admin(admin_url: str, *statements: str) -> None:
    engine = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(sqlalchemy.text(statement))
    engine.dispose()


@pytest.fixture
def seeded(
    database_url: str,
    request: pytest.FixtureRequest,
    seed_templates: dict[str, tuple[str, SeedResult]],
    tmp_path_factory: pytest.TempPathFactory,
) -> SeedResult:
    """A fresh database holding 3 officers x 4 cases (two of them Limited Access):
    a copy of a template seeded once per session (same data as seeding again)."""
    if database_url.startswith("sqlite"):
        return _clone_sqlite(database_url, seed_templates, tmp_path_factory.getbasetemp())
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    return _clone_postgres(database_url, admin_url, seed_templates)


@dataclass
class LiveServer:
    url: str
    settings: Settings
    seed: SeedResult | None
    keys: dict[str, DeviceKey] = field(default_factory=dict)  # each device's DPoP key

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def proof(self, device_id: str) -> dict[str, str]:
        """The DPoP header a laptop with this device id sends to the token endpoint."""
        key = self.keys.setdefault(device_id, DeviceKey.generate())
        return {"DPoP": key.proof("POST", self.url + "/oauth/token", issued_at=time.time())}

    def sign_in(
        self, username: str, password: str = PASSWORD, device_id: str | None = None
    ) -> httpx.Response:
        device_id = device_id or str(uuid.uuid4())
        with self.client() as http:
            return http.post(
                "/oauth/token",
                headers=self.proof(device_id),
                data={
                    "grant_type": "password",
                    "client_id": CLIENT_ID,
                    "username": username,
                    "password": password,
                    "device_id": device_id,
                    "device_name": "test laptop",
                },
            )

    def refresh(self, token: str, device_id: str, proof: str | None = "") -> httpx.Response:
        """A refresh grant with `proof` ("" signs one with this device's key; None: none)."""
        headers = {} if proof is None else {"DPoP": proof}
        if proof == "":
            headers = self.proof(device_id)
        form = {
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "refresh_token": token,
            "device_id": device_id,
        }
        with self.client() as http:
            return http.post("/oauth/token", data=form, headers=headers)

    def token(self, username: str, device_id: str | None = None) -> str:
        answer = self.sign_in(username, device_id=device_id)
        assert answer.status_code == 200, answer.text
        access: str = answer.json()["access_token"]
        return access

    def get(self, path: str, token: str, **params: Any) -> httpx.Response:
        with self.client() as http:
            return http.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


@contextlib.contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    """`app` under uvicorn in a thread on a free loopback port; yields its base URL
    once uvicorn reports it started (polled, never slept on)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            thread.join(0.01)  # poll the started flag, yielding to the server thread
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def run_server(settings: Settings, seed: SeedResult | None = None) -> Iterator[LiveServer]:
    """The real service for `settings`, checked healthy before use."""
    with serve_app(create_app(settings)) as url:
        live = LiveServer(url, settings, seed)
        with live.client() as http:
            assert http.get("/healthz").status_code == 200
        yield live


@pytest.fixture
def server(database_url: str, seeded: SeedResult) -> Iterator[LiveServer]:
    """The service over real HTTP on a freshly seeded database (SQLite, then PostgreSQL)."""
    with run_server(make_settings(database_url), seeded) as live:
        yield live


@pytest.fixture
def sqlite_seeded(
    tmp_path: Path,
    seed_templates: dict[str, tuple[str, SeedResult]],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, SeedResult]:
    """A freshly seeded SQLite database only: (url, what was seeded)."""
    url = f"sqlite:///{tmp_path}/central.db"
    return url, _clone_sqlite(url, seed_templates, tmp_path_factory.getbasetemp())


@pytest.fixture
def sqlite_server(sqlite_seeded: tuple[str, SeedResult]) -> Iterator[LiveServer]:
    """The service on SQLite only: for input handling that never reaches the database."""
    url, result = sqlite_seeded
    with run_server(make_settings(url), result) as live:
        yield live
