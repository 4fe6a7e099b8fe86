"""`current_principal` through a protected endpoint: tokens, revocation, disabled users."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import update

from central.auth.devices import revoke_device
from central.auth.tokens import issue_access_token
from central.db import make_engine, transaction, utcnow
from central.tables import users
from tests.central.conftest import SECRET, LiveServer


def _me(server: LiveServer, token: str) -> httpx.Response:
    return server.get("/v1/me", token)


def test_missing_token_is_401_with_bearer_challenge(server: LiveServer) -> None:
    with server.client() as http:
        answer = http.get("/v1/me")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json()["code"] == "not_authenticated"


def test_expired_token_says_refresh(server: LiveServer) -> None:
    assert server.seed is not None
    username = server.seed.officers[0]
    device = str(uuid.uuid4())
    server.token(username, device_id=device)
    old = utcnow() - timedelta(hours=1)
    expired = issue_access_token(
        SECRET.encode(), username, device, old, timedelta(minutes=15), session_id=device
    )
    answer = _me(server, expired)
    assert answer.status_code == 401
    assert answer.json()["code"] == "token_expired"


def test_forged_token_is_rejected(server: LiveServer) -> None:
    assert server.seed is not None
    forged = issue_access_token(
        b"another-secret-" + b"y" * 40,
        server.seed.officers[0],
        str(uuid.uuid4()),
        utcnow(),
        timedelta(minutes=15),
        session_id=str(uuid.uuid4()),
    )
    for token in (forged, "not.a.jwt", "garbage"):
        answer = _me(server, token)
        assert answer.status_code == 401
        assert answer.json()["code"] == "invalid_token"


def test_revoked_device_gets_403_wipe_on_every_endpoint(server: LiveServer) -> None:
    assert server.seed is not None
    device = str(uuid.uuid4())
    token = server.token(server.seed.officers[0], device_id=device)
    assert _me(server, token).status_code == 200
    engine = make_engine(server.settings.database_url)
    with transaction(engine) as conn:
        revoke_device(conn, device, "admin", utcnow())
    engine.dispose()
    for answer in (_me(server, token), server.get("/v1/search", token, q="smith")):
        assert answer.status_code == 403
        assert answer.json()["code"] == "device_revoked"
        assert answer.json()["action"]["kind"] == "wipe"


def test_disabled_account_stops_at_once(server: LiveServer) -> None:
    assert server.seed is not None
    username = server.seed.officers[0]
    token = server.token(username)
    engine = make_engine(server.settings.database_url)
    with transaction(engine) as conn:
        conn.execute(update(users).where(users.c.username == username).values(active=False))
    engine.dispose()
    assert _me(server, token).status_code == 401
    assert server.sign_in(username).json()["error"] == "invalid_grant"
