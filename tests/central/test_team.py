"""The team caseload over real HTTP: every case of the team, Limited Access withheld."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from central.db import make_engine
from central.tables import audit_log, lao_messages
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import LiveServer


def _team(server: LiveServer, username: str) -> dict:  # type: ignore[type-arg]
    answer = server.get("/v1/team/caseload", server.token(username))
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _messages(server: LiveServer, crn: str) -> tuple[str, str]:
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        row = conn.execute(select(lao_messages).where(lao_messages.c.crn == crn)).one()
    engine.dispose()
    return row.exclusion_message, row.restriction_message


def test_lists_every_case_of_the_team_with_its_offender_manager(server: LiveServer) -> None:
    assert server.seed is not None
    me = server.seed.officers[0]
    team = _team(server, me)
    every_case = {c for crns in server.seed.caseloads.values() for c in crns}
    assert {c["crn"] for c in team["cases"]} == every_case  # the seed's three share a team
    assert {o["username"] for o in team["officers"]} == set(server.seed.officers)
    by_code = {o["staff_code"]: o for o in team["officers"]}
    for case in team["cases"]:
        assert case["offender_manager"] == by_code[case["staff_code"]]["name"]
    shown = [c for c in team["cases"] if c["withheld"] is None]
    assert all(c["name"] and c["compliance"] is not None for c in shown)
    assert any(c["next_appointment"] for c in shown)
    assert any(c["risk"] for c in shown)


def test_a_case_that_excludes_the_officer_is_withheld_with_its_message(
    server: LiveServer,
) -> None:
    assert server.seed is not None
    crn, [excluded_user] = next(iter(server.seed.exclusions.items()))
    exclusion_message, _ = _messages(server, crn)
    [row] = [c for c in _team(server, excluded_user)["cases"] if c["crn"] == crn]
    assert row["withheld"] == exclusion_message
    assert row["name"] is None
    assert row["compliance"] is None
    assert row["risk"] is None
    assert row["next_appointment"] is None
    assert row["open_alerts"] == 0
    owner = next(u for u, crns in server.seed.caseloads.items() if crn in crns)
    [seen] = [c for c in _team(server, owner)["cases"] if c["crn"] == crn]
    assert seen["withheld"] is None
    assert seen["name"]


def test_a_restricted_case_is_withheld_from_everyone_not_named(server: LiveServer) -> None:
    assert server.seed is not None
    crn, [named] = next(iter(server.seed.restrictions.items()))
    _, restriction_message = _messages(server, crn)
    for username in server.seed.officers:
        [row] = [c for c in _team(server, username)["cases"] if c["crn"] == crn]
        if username == named:
            assert row["withheld"] is None
            assert row["name"]
        else:
            assert row["withheld"] == restriction_message
            assert row["name"] is None
            assert row["tier"] is None


def test_viewing_the_team_caseload_is_audited(server: LiveServer) -> None:
    assert server.seed is not None
    me = server.seed.officers[1]
    _team(server, me)
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.detail).where(
                audit_log.c.username == me, audit_log.c.action == "team_caseload_viewed"
            )
        ).all()
    engine.dispose()
    assert len(rows) == 1
    assert rows[0].detail["cases"] > 0


def test_a_case_changed_since_the_last_read_is_read_afresh(server: LiveServer) -> None:
    assert server.seed is not None
    me = server.seed.officers[0]
    crn = next(
        c
        for c in server.seed.caseloads[me]
        if c not in {*server.seed.exclusions, *server.seed.restrictions}
    )
    device = str(uuid.uuid4())
    answer = server.sign_in(me, device_id=device)
    token = answer.json()["access_token"]

    def alerts() -> int:
        team = server.get("/v1/team/caseload", token).json()
        return next(c["open_alerts"] for c in team["cases"] if c["crn"] == crn)

    before = alerts()
    mutation = {
        "seq": 1,
        "id": str(uuid.uuid4()),
        "name": "record_contact",
        "version": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "args": {
            "contact_id": str(uuid.uuid4()),
            "crn": crn,
            "type_code": "C204",
            "date": dt.date.today().isoformat(),
            "notes": "Police liaison: arrested",
            "alert": True,
        },
    }
    body = {"protocol_version": PROTOCOL_VERSION, "client_id": device, "mutations": [mutation]}
    with server.client() as http:
        pushed = http.post("/v1/sync/push", json=body, headers={"Authorization": f"Bearer {token}"})
    assert pushed.json()["results"][0]["status"] == "applied"
    assert alerts() == before + 1
