"""`POST /oauth/token` over real HTTP: sign-in, refresh rotation, reuse, throttling."""

from __future__ import annotations

import uuid

import pytest

from central.auth.devices import revoke_device
from central.config import CLIENT_ID
from central.db import make_engine, transaction, utcnow
from central.seed import SeedResult
from tests.central.conftest import PASSWORD, LiveServer, make_settings, run_server


def _officer(server: LiveServer, n: int = 0) -> str:
    assert server.seed is not None
    return server.seed.officers[n]


def test_good_credentials_give_a_bearer_token_pair(server: LiveServer) -> None:
    answer = server.sign_in(_officer(server))
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert 600 <= body["expires_in"] <= 900
    assert body["access_token"].count(".") == 2
    assert body["refresh_token"]
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("username_ok", [True, False])
def test_bad_credentials_are_invalid_grant(server: LiveServer, username_ok: bool) -> None:
    username = _officer(server) if username_ok else "nobody-here"
    answer = server.sign_in(username, password="wrong password")
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "invalid_grant"
    assert body["code"] == "invalid_grant"
    assert "password" in body["message"]


def test_unknown_client_is_401_invalid_client(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as http:
        answer = http.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": "someone-else",
                "username": "x",
                "password": "y",
                "device_id": str(uuid.uuid4()),
            },
        )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"client_id": CLIENT_ID}, "invalid_request"),
        ({"client_id": CLIENT_ID, "grant_type": "client_credentials"}, "unsupported_grant_type"),
        ({"client_id": CLIENT_ID, "grant_type": "password", "username": "a"}, "invalid_request"),
        (
            {
                "client_id": CLIENT_ID,
                "grant_type": "password",
                "username": "a",
                "password": "b",
                "device_id": "not-a-uuid",
            },
            "invalid_request",
        ),
        ({"client_id": CLIENT_ID, "grant_type": "refresh_token"}, "invalid_request"),
    ],
)
def test_incomplete_requests_are_rfc6749_errors(
    sqlite_server: LiveServer, form: dict[str, str], error: str
) -> None:
    with sqlite_server.client() as http:
        answer = http.post("/oauth/token", data=form)
    assert answer.status_code == 400
    assert answer.json()["error"] == error
    assert answer.json()["error_description"]


def test_refresh_rotates_and_reuse_revokes_the_family(server: LiveServer) -> None:
    device = str(uuid.uuid4())
    first = server.sign_in(_officer(server), device_id=device).json()["refresh_token"]
    second = server.refresh(first, device)
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert rotated != first
    # The spent token comes back (a copy was stolen): the whole family dies.
    replay = server.refresh(first, device)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert "already used" in replay.json()["message"]
    assert server.refresh(rotated, device).status_code == 400


def test_refresh_token_is_bound_to_its_device(server: LiveServer) -> None:
    device = str(uuid.uuid4())
    refresh = server.sign_in(_officer(server), device_id=device).json()["refresh_token"]
    answer = server.refresh(refresh, str(uuid.uuid4()))
    assert answer.status_code == 400
    assert "another device" in answer.json()["message"]
    assert server.refresh(refresh, device).status_code == 200


def test_device_of_another_user_is_refused(server: LiveServer) -> None:
    device = str(uuid.uuid4())
    assert server.sign_in(_officer(server, 0), device_id=device).status_code == 200
    answer = server.sign_in(_officer(server, 1), device_id=device)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_revoked_device_is_told_to_wipe_at_the_token_endpoint(server: LiveServer) -> None:
    device = str(uuid.uuid4())
    refresh = server.sign_in(_officer(server), device_id=device).json()["refresh_token"]
    engine = make_engine(server.settings.database_url)
    with transaction(engine) as conn:
        assert revoke_device(conn, device, "admin", utcnow())
    engine.dispose()
    for answer in (
        server.refresh(refresh, device),
        server.sign_in(_officer(server), device_id=device),
    ):
        assert answer.status_code == 403
        body = answer.json()
        assert body["code"] == "device_revoked"
        assert body["action"]["kind"] == "wipe"
        assert body["action"]["message"]


def test_repeated_failures_throttle_the_username_with_retry_after(server: LiveServer) -> None:
    username = _officer(server)
    for _ in range(server.settings.max_failed_logins):
        assert server.sign_in(username, password="nope").status_code == 400
    throttled = server.sign_in(username, password=PASSWORD)  # even the right password waits
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= server.settings.throttle_seconds
    assert throttled.json()["code"] == "too_many_attempts"
    # Another officer is not affected.
    assert server.sign_in(_officer(server, 1)).status_code == 200


def test_a_good_sign_in_resets_the_failure_count(server: LiveServer) -> None:
    username = _officer(server)
    for _ in range(server.settings.max_failed_logins - 1):
        server.sign_in(username, password="nope")
    assert server.sign_in(username).status_code == 200
    for _ in range(server.settings.max_failed_logins - 1):
        assert server.sign_in(username, password="nope").status_code == 400
    assert server.sign_in(username).status_code == 200


def test_unknown_usernames_are_throttled_alike(server: LiveServer) -> None:
    """A 429 must not reveal which usernames exist."""
    for _ in range(server.settings.max_failed_logins):
        assert server.sign_in("no-such-officer", password="guess").status_code == 400
    assert server.sign_in("no-such-officer", password="guess").status_code == 429


def test_an_expired_refresh_token_means_sign_in_again(
    sqlite_seeded: tuple[str, SeedResult],
) -> None:
    url, seed = sqlite_seeded
    with run_server(make_settings(url, refresh_token_days=0), seed) as live:
        device = str(uuid.uuid4())
        refresh = live.sign_in(seed.officers[0], device_id=device).json()["refresh_token"]
        answer = live.refresh(refresh, device)
    assert answer.status_code == 400
    assert "expired" in answer.json()["message"]
