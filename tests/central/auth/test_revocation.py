"""Revocation takes effect now: an access token already handed out stops working at its
next request after a password reset, a refresh-token family revoke or a device revoke,
not when it expires 15 minutes later."""

from __future__ import annotations

import uuid

import httpx

from central.cli import main as central_cli
from tests.central.conftest import LiveServer

NEW_PASSWORD = "a brand new passphrase for the officer"


def _officer(server: LiveServer, n: int = 0) -> str:
    assert server.seed is not None
    return server.seed.officers[n]


def _pair(server: LiveServer, username: str) -> tuple[str, str, str]:
    """(access token, refresh token, device id) of a fresh sign-in."""
    device = str(uuid.uuid4())
    answer = server.sign_in(username, device_id=device)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["access_token"], body["refresh_token"], device


def _me(server: LiveServer, access: str) -> httpx.Response:
    return server.get("/v1/me", access)


def test_a_password_reset_ends_every_session_of_the_user_at_once(server: LiveServer) -> None:
    username = _officer(server)
    laptops = [_pair(server, username) for _ in range(2)]
    other_officer = _pair(server, _officer(server, 1))
    assert all(_me(server, access).status_code == 200 for access, _, _ in laptops)
    db = ["--database-url", server.settings.database_url]
    assert central_cli(["users", "reset-password", username, "--password", NEW_PASSWORD, *db]) == 0
    for access, refresh, device in laptops:
        answer = _me(server, access)
        assert answer.status_code == 401
        assert answer.json()["code"] == "session_ended"
        assert server.refresh(refresh, device).status_code == 400
    assert _me(server, other_officer[0]).status_code == 200


def test_a_revoked_refresh_family_ends_its_access_token_at_once(server: LiveServer) -> None:
    username = _officer(server)
    access, refresh, device = _pair(server, username)
    other_laptop = _pair(server, username)
    rotated = server.refresh(refresh, device)
    assert rotated.status_code == 200
    newest = rotated.json()["access_token"]
    assert _me(server, newest).status_code == 200
    # The spent refresh token comes back (it was copied): the family is revoked ...
    assert server.refresh(refresh, device).status_code == 400
    # ... and with it every access token of that sign-in, the newest included.
    for token in (access, newest):
        answer = _me(server, token)
        assert answer.status_code == 401
        assert answer.json()["code"] == "session_ended"
    assert _me(server, other_laptop[0]).status_code == 200  # another sign-in is untouched


def test_devices_revoke_ends_the_access_token_at_once(server: LiveServer) -> None:
    access, _, device = _pair(server, _officer(server))
    assert _me(server, access).status_code == 200
    db = ["--database-url", server.settings.database_url]
    assert central_cli(["devices", "revoke", device, "--by", "admin1", *db]) == 0
    answer = _me(server, access)
    assert answer.status_code == 403
    assert answer.json()["action"]["kind"] == "wipe"
