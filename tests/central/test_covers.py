"""Cover for a colleague: the cases it brings into scope, for its period, audited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select, update

from central.db import make_engine
from central.sync.cover import WRITE_GRACE
from central.sync.scope import scope_crns
from central.tables import audit_log, covers
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import LiveServer


@dataclass(frozen=True)
class Who:
    username: str
    staff_code: str | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _post(server: LiveServer, token: str, path: str, body: Any = None) -> httpx.Response:
    with server.client() as http:
        return http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


def _cover(server: LiveServer, me: str, colleague: str, **extra: Any) -> httpx.Response:
    assert server.seed is not None
    body = {
        "protocol_version": PROTOCOL_VERSION,
        "id": str(uuid.uuid4()),
        "staff_code": server.seed.staff_codes[colleague],
        "starts_at": _now().isoformat(),
        "ends_at": (_now() + dt.timedelta(days=2)).isoformat(),
        "reason": "Colleague off sick",
        **extra,
    }
    return _post(server, server.token(me), "/v1/covers", body)


def _scope(server: LiveServer, username: str, *, writing: bool = False) -> set[str]:
    assert server.seed is not None
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        found = scope_crns(conn, Who(username, server.seed.staff_codes[username]), writing=writing)
    engine.dispose()
    return found


def _admin(server: LiveServer, statement: Any) -> None:
    engine = make_engine(server.settings.database_url)
    with engine.begin() as conn:
        conn.execute(statement)
    engine.dispose()


def test_covering_brings_the_colleagues_visible_cases_into_scope(server: LiveServer) -> None:
    assert server.seed is not None
    me, colleague = server.seed.officers[0], server.seed.officers[1]
    answer = _cover(server, me, colleague)
    assert answer.status_code == 200, answer.text
    grant = answer.json()
    barred = {c for c, names in server.seed.restrictions.items() if me not in names}
    barred |= {c for c, names in server.seed.exclusions.items() if me in names}
    expected = set(server.seed.caseloads[colleague]) - barred
    assert set(grant["crns"]) == expected
    assert expected
    assert barred & set(server.seed.caseloads[colleague])  # the seed has one to withhold
    assert expected <= _scope(server, me)
    assert not (barred & _scope(server, me))


def test_cover_ends_when_its_period_runs_out_but_queued_work_is_still_accepted(
    server: LiveServer,
) -> None:
    assert server.seed is not None
    me, colleague = server.seed.officers[0], server.seed.officers[1]
    grant = _cover(server, me, colleague).json()
    covered = set(grant["crns"])
    _admin(server, update(covers).values(ends_at=_now() - dt.timedelta(minutes=1)))
    assert not (covered & _scope(server, me))  # no longer pulled: the laptop lets them go
    assert covered <= _scope(server, me, writing=True)  # offline work still lands
    _admin(server, update(covers).values(ends_at=_now() - WRITE_GRACE - dt.timedelta(hours=1)))
    assert not (covered & _scope(server, me, writing=True))


def test_the_colleague_back_early_ends_the_cover(server: LiveServer) -> None:
    assert server.seed is not None
    me, colleague = server.seed.officers[0], server.seed.officers[1]
    grant = _cover(server, me, colleague).json()
    token = server.token(colleague)
    assert [c["id"] for c in server.get("/v1/covers", token).json()["covers"]] == [grant["id"]]
    ended = _post(server, token, f"/v1/covers/{grant['id']}/end")
    assert ended.status_code == 200
    assert ended.json()["ended_at"]
    assert not (set(grant["crns"]) & _scope(server, me))
    assert server.get("/v1/covers", server.token(me)).json()["covers"] == []
    stranger = server.seed.officers[2]
    refused = _post(server, server.token(stranger), f"/v1/covers/{grant['id']}/end")
    assert refused.status_code == 404


def test_their_visits_only_brings_the_cases_with_an_appointment_in_the_period(
    server: LiveServer,
) -> None:
    assert server.seed is not None
    me, colleague = server.seed.officers[2], server.seed.officers[0]
    whole = set(_cover(server, me, colleague).json()["crns"])
    far = _now() + dt.timedelta(days=3650)
    visits = _cover(
        server,
        me,
        colleague,
        visits_only=True,
        starts_at=far.isoformat(),
        ends_at=(far + dt.timedelta(days=1)).isoformat(),
    ).json()
    assert visits["crns"] == []
    assert whole


def test_cover_is_refused_outside_the_team_for_oneself_and_for_a_past_period(
    server: LiveServer,
) -> None:
    assert server.seed is not None
    me = server.seed.officers[0]
    assert _cover(server, me, me).status_code == 422
    past = (_now() - dt.timedelta(days=1)).isoformat()
    answer = _cover(server, me, server.seed.officers[1], ends_at=past)
    assert answer.status_code == 422
    assert "ended" in answer.json()["message"]


def test_starting_a_cover_is_audited_with_its_reason_on_each_case(server: LiveServer) -> None:
    assert server.seed is not None
    me, colleague = server.seed.officers[0], server.seed.officers[1]
    grant = _cover(server, me, colleague, reason="Court all week").json()
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.crn, audit_log.c.detail).where(
                audit_log.c.action == "cover_started", audit_log.c.username == me
            )
        ).all()
    engine.dispose()
    assert {r.crn for r in rows if r.crn} == set(grant["crns"])
    assert all(r.detail["reason"] == "Court all week" for r in rows)


def test_a_period_without_a_time_zone_is_refused_not_guessed(server: LiveServer) -> None:
    assert server.seed is not None
    me, colleague = server.seed.officers[0], server.seed.officers[1]
    answer = _cover(server, me, colleague, ends_at="2030-01-01T18:00:00")
    assert answer.status_code == 422
