"""Schemathesis over the committed OpenAPI document: no input makes the server fail.

Every generated request goes to the real server over loopback HTTP with a valid
token; any answer must be below 500, and every error a Problem with a code and
a message. Bounded by `MAX_EXAMPLES` per operation to keep the suite fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from tests.central.conftest import LiveServer

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
MAX_EXAMPLES = 12

schema = schemathesis.openapi.from_dict(json.loads(OPENAPI.read_text("utf-8")))


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case: schemathesis.Case, sqlite_server: LiveServer) -> None:
    assert sqlite_server.seed is not None
    token = _token(sqlite_server)
    response = case.call(
        base_url=sqlite_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["code"], body
        assert body["message"], body


_TOKENS: dict[str, str] = {}


def _token(server: LiveServer) -> str:
    """One sign-in per server (fresh database per operation), reused across examples."""
    if server.url not in _TOKENS:
        assert server.seed is not None
        _TOKENS[server.url] = server.token(server.seed.officers[0])
    return _TOKENS[server.url]
