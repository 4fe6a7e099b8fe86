"""Refresh tokens bound to the laptop's key (DPoP, RFC 9449): each attack on the proof
is refused, and a refresh token stolen from one laptop does not work from another."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from central.config import CLIENT_ID
from sync.dpop import DeviceKey
from tests.central.conftest import PASSWORD, LiveServer, make_settings, run_server

TOKEN_PATH = "/oauth/token"


def _officer(server: LiveServer) -> str:
    assert server.seed is not None
    return server.seed.officers[0]


def _refresh(server: LiveServer, token: str, device_id: str, proof: str | None) -> httpx.Response:
    return server.refresh(token, device_id, proof)


def _signed_in(server: LiveServer) -> tuple[str, str, DeviceKey]:
    device = str(uuid.uuid4())
    answer = server.sign_in(_officer(server), device_id=device)
    assert answer.status_code == 200, answer.text
    return answer.json()["refresh_token"], device, server.keys[device]


def _proof(key: DeviceKey, server: LiveServer, **changes: Any) -> str:
    return key.proof(
        changes.get("method", "POST"),
        changes.get("url", server.url + TOKEN_PATH),
        issued_at=changes.get("iat", time.time()),
    )


def _error(answer: httpx.Response) -> str:
    assert answer.status_code == 400, answer.text
    return str(answer.json()["error"])


def test_a_refresh_token_stolen_from_one_laptop_does_not_work_on_another(server: LiveServer):
    refresh, device, _ = _signed_in(server)
    thief = DeviceKey.generate()  # another computer: the token and device id, not the key
    stolen = _refresh(server, refresh, device, _proof(thief, server))
    assert _error(stolen) == "invalid_grant"
    assert "another device's key" in stolen.json()["message"]
    # The copy gave the theft away: the session is over for the laptop too, until sign-in.
    owner = _refresh(server, refresh, device, server.proof(device)["DPoP"])
    assert _error(owner) == "invalid_grant"


def test_the_owner_refreshes_with_a_fresh_proof_each_time(server: LiveServer):
    refresh, device, key = _signed_in(server)
    for _ in range(3):
        answer = _refresh(server, refresh, device, _proof(key, server))
        assert answer.status_code == 200, answer.text
        refresh = answer.json()["refresh_token"]


def test_a_refresh_without_a_proof_is_refused(server: LiveServer):
    refresh, device, _ = _signed_in(server)
    assert _error(_refresh(server, refresh, device, None)) == "invalid_dpop_proof"


def test_a_replayed_proof_is_refused(server: LiveServer):
    refresh, device, key = _signed_in(server)
    proof = _proof(key, server)
    first = _refresh(server, refresh, device, proof)
    assert first.status_code == 200
    again = _refresh(server, first.json()["refresh_token"], device, proof)
    assert _error(again) == "invalid_dpop_proof"
    assert "already used" in again.json()["message"]


@pytest.mark.parametrize(
    "changes",
    [
        {"method": "GET"},
        {"url": "http://elsewhere.example" + TOKEN_PATH},
        {"url": "http://127.0.0.1:1/v1/sync/pull"},
        {"iat": time.time() - 3600},
        {"iat": time.time() + 3600},
    ],
)
def test_a_proof_for_another_request_or_time_is_refused(server: LiveServer, changes):
    refresh, device, key = _signed_in(server)
    answer = _refresh(server, refresh, device, _proof(key, server, **changes))
    assert _error(answer) == "invalid_dpop_proof"
    assert abs(answer.json()["server_time"] - time.time()) < 60  # for a laptop's clock
    assert _refresh(server, refresh, device, _proof(key, server)).status_code == 200


def _forged(key: DeviceKey, signer: Any, server: LiveServer, **header: Any) -> str:
    claims = {
        "jti": uuid.uuid4().hex,
        "htm": "POST",
        "htu": server.url + TOKEN_PATH,
        "iat": int(time.time()),
    }
    headers = {"typ": "dpop+jwt", "jwk": key.jwk, **header}
    algorithm = header.pop("alg", "ES256")
    return jwt.encode(claims, signer, algorithm=algorithm, headers=headers)


def test_forged_proofs_are_refused(server: LiveServer):
    refresh, device, key = _signed_in(server)
    other = ec.generate_private_key(ec.SECP256R1())
    private_jwk = ECAlgorithm.to_jwk(other, as_dict=True)
    forgeries = [
        _forged(key, other, server),  # the owner's public key, someone else's signature
        _forged(key, "a shared secret of thirty-two bytes!", server, alg="HS256"),
        _forged(key, None, server, alg="none"),
        _forged(key, other, server, typ="JWT"),
        _forged(DeviceKey(other), other, server, jwk=private_jwk),  # a private key sent
    ]
    for forgery in forgeries:
        assert _error(_refresh(server, refresh, device, forgery)) == "invalid_dpop_proof"
    assert _refresh(server, refresh, device, _proof(key, server)).status_code == 200


def test_sign_in_without_a_proof_is_refused(server: LiveServer):
    form = {
        "grant_type": "password",
        "client_id": CLIENT_ID,
        "username": _officer(server),
        "password": "irrelevant",
        "device_id": str(uuid.uuid4()),
    }
    with server.client() as http:
        answer = http.post(TOKEN_PATH, data=form)
    assert _error(answer) == "invalid_dpop_proof"


def test_behind_a_proxy_proofs_name_the_public_address(sqlite_seeded) -> None:
    """A proxy that rewrites Host: the service checks proofs against its public URL."""
    url, seeded = sqlite_seeded
    public = "https://cases.example.org"
    with run_server(make_settings(url, public_url=public), seeded) as server:
        refresh, device, key = _signed_in_through(server, public)
        wrong = _refresh(server, refresh, device, _proof(key, server))  # the inner address
        assert _error(wrong) == "invalid_dpop_proof"
        good = key.proof("POST", public + TOKEN_PATH, issued_at=time.time())
        assert _refresh(server, refresh, device, good).status_code == 200


def _signed_in_through(server: LiveServer, public: str) -> tuple[str, str, DeviceKey]:
    device, key = str(uuid.uuid4()), DeviceKey.generate()
    form = {
        "grant_type": "password",
        "client_id": CLIENT_ID,
        "username": _officer(server),
        "password": PASSWORD,
        "device_id": device,
    }
    proof = key.proof("POST", public + TOKEN_PATH, issued_at=time.time())
    with server.client() as http:
        answer = http.post(TOKEN_PATH, data=form, headers={"DPoP": proof})
    assert answer.status_code == 200, answer.text
    return answer.json()["refresh_token"], device, key
