"""Enrolment of a new laptop is seen and, by policy, approved by an administrator: a
password alone does not silently enrol another device."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from central.auth.approval import SERVICE_WIDE, set_policy
from central.cli import main as central_cli
from central.db import make_engine, transaction, utcnow
from central.tables import audit_log, device_approval, staff, teams, users
from sync.dpop import DeviceKey
from tests.central.conftest import LiveServer


def _officer(server: LiveServer, n: int = 0) -> str:
    assert server.seed is not None
    return server.seed.officers[n]


def _policy(server: LiveServer, scope: str | None, *, required: bool) -> None:
    """Set a rule; scope None removes every rule (the built-in default applies)."""
    engine = make_engine(server.settings.database_url)
    with transaction(engine) as conn:
        if scope is None:
            conn.execute(device_approval.delete())
        else:
            set_policy(conn, scope, required=required, by="admin1", now=utcnow())
    engine.dispose()


def _region(server: LiveServer, username: str) -> str:
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        code = conn.execute(
            select(teams.c.provider_code)
            .select_from(users.join(staff, staff.c.code == users.c.staff_code))
            .join(teams, teams.c.code == staff.c.team_code)
            .where(users.c.username == username)
        ).scalar_one()
    engine.dispose()
    return str(code)


def _device_actions(server: LiveServer, device: str) -> list[str]:
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        query = select(audit_log.c.action).where(audit_log.c.device_id == device)
        actions = list(conn.execute(query.order_by(audit_log.c.id)).scalars())
    engine.dispose()
    return actions


def _cli(server: LiveServer, *words: str) -> int:
    return central_cli([*words, "--database-url", server.settings.database_url])


def test_with_no_rule_a_new_laptop_waits_for_approval(server: LiveServer, capsys) -> None:
    _policy(server, None, required=True)
    device = str(uuid.uuid4())
    waiting = server.sign_in(_officer(server), device_id=device)
    assert waiting.status_code == 403
    assert waiting.json()["code"] == "device_pending"
    assert "access_token" not in waiting.json()
    assert _cli(server, "devices", "list", "--status", "pending") == 0
    assert device in capsys.readouterr().out
    assert _cli(server, "devices", "approve", device, "--by", "admin1") == 0
    assert server.sign_in(_officer(server), device_id=device).status_code == 200
    assert _device_actions(server, device) == ["device_enrolled", "device_approved"]


def test_the_seeded_demo_approves_laptops_as_they_enrol(server: LiveServer) -> None:
    device = str(uuid.uuid4())
    assert server.sign_in(_officer(server), device_id=device).status_code == 200
    assert _device_actions(server, device) == ["device_enrolled"]


def test_a_region_rule_wins_over_the_service_wide_one(server: LiveServer) -> None:
    officer = _officer(server)
    region = _region(server, officer)
    _policy(server, SERVICE_WIDE, required=True)
    _policy(server, region, required=False)
    assert server.sign_in(officer).status_code == 200
    _policy(server, SERVICE_WIDE, required=False)
    _policy(server, region, required=True)
    assert server.sign_in(officer).status_code == 403


def test_a_known_laptop_signing_in_with_another_key_is_enrolled_again(server: LiveServer):
    device = str(uuid.uuid4())
    first = server.sign_in(_officer(server), device_id=device)
    assert first.status_code == 200
    _policy(server, SERVICE_WIDE, required=True)
    server.keys[device] = DeviceKey.generate()  # the device id, with someone else's key
    again = server.sign_in(_officer(server), device_id=device)
    assert again.status_code == 403
    assert again.json()["code"] == "device_pending"
    # The sessions of the old key ended with the re-enrolment.
    assert server.get("/v1/me", first.json()["access_token"]).status_code == 401


def test_devices_policy_shows_and_sets_the_rule(server: LiveServer, capsys) -> None:
    assert _cli(server, "devices", "policy") == 0
    assert "automatic" in capsys.readouterr().out  # the seed's rule
    assert _cli(server, "devices", "policy", "required", "--by", "admin1") == 0
    assert "required" in capsys.readouterr().out
    assert server.sign_in(_officer(server)).status_code == 403
    assert _cli(server, "devices", "policy", "required", "--region", "NOPE") == 1
    assert "no region" in capsys.readouterr().err
