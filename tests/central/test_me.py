"""`GET /v1/me`: officer, team, offices and the policy the client enforces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from central.seed import SeedResult
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import LiveServer, make_settings, run_server


def test_me_describes_the_officer_team_offices_and_policy(server: LiveServer) -> None:
    assert server.seed is not None
    username = server.seed.officers[0]
    answer = server.get("/v1/me", server.token(username))
    assert answer.status_code == 200
    body = answer.json()
    assert body["officer"]["username"] == username
    assert body["officer"]["staff_code"] == server.seed.staff_codes[username]
    assert len(body["officer"]["name"].split()) >= 2
    assert len(body["team"]["code"]) == 6
    assert body["offices"]
    assert all(o["code"] and o["description"] for o in body["offices"])
    assert body["policy"] == {
        "idle_lock_minutes": 15,
        "max_offline_days": 7,
        "max_document_bytes": 5_000_000,  # MPOP's: 5 MB, five at a time
        "max_documents_at_once": 5,
    }
    assert body["protocol_version"] == PROTOCOL_VERSION
    server_time = datetime.fromisoformat(body["server_time"])
    assert abs(server_time - datetime.now(UTC)) < timedelta(minutes=1)


def test_policy_comes_from_the_settings(sqlite_seeded: tuple[str, SeedResult]) -> None:
    url, seed = sqlite_seeded
    settings = make_settings(
        url,
        idle_lock_minutes=5,
        max_offline_days=3,
        max_document_bytes=1_000,
        max_documents_at_once=2,
    )
    with run_server(settings, seed) as live:
        policy = live.get("/v1/me", live.token(seed.officers[1])).json()["policy"]
    assert policy == {
        "idle_lock_minutes": 5,
        "max_offline_days": 3,
        "max_document_bytes": 1_000,
        "max_documents_at_once": 2,
    }
