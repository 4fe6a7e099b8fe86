"""National search over real HTTP: names, CRN, dates of birth, Limited Access, audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from central.audit import case_audit
from central.db import make_engine
from central.tables import records
from tests.central.conftest import LiveServer


def _person(server: LiveServer, crn: str) -> dict[str, Any]:
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        data = conn.execute(
            select(records.c.data).where(records.c.crn == crn, records.c.kind == "person")
        ).scalar_one()
    engine.dispose()
    return dict(data)


def _crns(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [r["crn"] for r in answer.json()["results"]]


def _ordinary_case(server: LiveServer, username: str) -> str:
    """A case of `username`'s caseload with no Limited Access."""
    assert server.seed is not None
    lao = {*server.seed.exclusions, *server.seed.restrictions}
    return next(c for c in server.seed.caseloads[username] if c not in lao)


def test_finds_by_surname_first_name_and_crn(server: LiveServer) -> None:
    assert server.seed is not None
    me = server.seed.officers[0]
    token = server.token(me)
    crn = _ordinary_case(server, me)
    person = _person(server, crn)
    assert crn in _crns(server.get("/v1/search", token, q=person["surname"].upper()))
    assert crn in _crns(server.get("/v1/search", token, q=person["first_name"][:3].lower()))
    both = f"{person['first_name']} {person['surname']}"
    assert crn in _crns(server.get("/v1/search", token, q=both))
    by_crn = server.get("/v1/search", token, q=crn.lower()).json()["results"]
    assert [r["crn"] for r in by_crn] == [crn]
    result = by_crn[0]
    assert result["name"] == both
    assert result["in_caseload"] is True
    assert result["offender_manager"]
    assert result["team"]


def test_finds_by_date_of_birth_in_uk_formats(server: LiveServer) -> None:
    assert server.seed is not None
    me = server.seed.officers[0]
    token = server.token(me)
    crn = _ordinary_case(server, me)
    y, m, d = (int(p) for p in _person(server, crn)["date_of_birth"].split("-"))
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for text in (
        f"{d}/{m}/{y}",
        f"{d:02d}-{m:02d}-{y}",
        f"{d}.{m}.{y}",
        f"{y}-{m:02d}-{d:02d}",
        f"{d} {months[m - 1]} {y}",
        f"{d}/{m}/{y % 100:02d}",
    ):
        assert crn in _crns(server.get("/v1/search", token, q=text)), text


def test_other_officers_cases_are_found_but_not_in_caseload(server: LiveServer) -> None:
    assert server.seed is not None
    other = server.seed.officers[1]
    crn = _ordinary_case(server, other)
    token = server.token(server.seed.officers[0])
    [result] = server.get("/v1/search", token, q=crn).json()["results"]
    assert result["in_caseload"] is False


def test_excluded_user_never_finds_the_case(server: LiveServer) -> None:
    assert server.seed is not None
    crn, [excluded] = next(iter(server.seed.exclusions.items()))
    surname = _person(server, crn)["surname"]
    token = server.token(excluded)
    assert _crns(server.get("/v1/search", token, q=crn)) == []
    assert crn not in _crns(server.get("/v1/search", token, q=surname))
    # Someone not excluded still finds it.
    allowed = next(u for u in server.seed.officers if u != excluded)
    assert _crns(server.get("/v1/search", server.token(allowed), q=crn)) == [crn]


def test_restricted_case_is_found_only_by_listed_users(server: LiveServer) -> None:
    assert server.seed is not None
    crn, admitted = next(iter(server.seed.restrictions.items()))
    for username in server.seed.officers:
        found = _crns(server.get("/v1/search", server.token(username), q=crn))
        assert found == ([crn] if username in admitted else []), username


def test_every_result_is_audited_with_user_and_device(server: LiveServer) -> None:
    assert server.seed is not None
    me = server.seed.officers[0]
    device = "0b7f6c7e-0a63-4c4f-9e57-6f2b7e0f0001"
    token = server.token(me, device_id=device)
    crn = _ordinary_case(server, me)
    server.get("/v1/search", token, q=crn)
    engine = make_engine(server.settings.database_url)
    with engine.connect() as conn:
        trail = case_audit(conn, crn)
    engine.dispose()
    assert [(e.username, e.device_id, e.action) for e in trail] == [(me, device, "search_result")]


def test_queries_with_nothing_to_search_for_are_422(server: LiveServer) -> None:
    assert server.seed is not None
    token = server.token(server.seed.officers[0])
    for q in ("!!", "%", "_ _"):
        answer = server.get("/v1/search", token, q=q)
        assert answer.status_code == 422, q
        assert answer.json()["code"] == "invalid_query"


def test_like_wildcards_in_names_are_literal(server: LiveServer) -> None:
    assert server.seed is not None
    token = server.token(server.seed.officers[0])
    assert _crns(server.get("/v1/search", token, q="a%")) == _crns(
        server.get("/v1/search", token, q="a")
    )


def test_results_are_limited_and_say_so(server: LiveServer) -> None:
    assert server.seed is not None
    token = server.token(server.seed.officers[0])
    everyone = _crns(server.get("/v1/search", token, q="a"))
    answer = server.get("/v1/search", token, q="a", limit=1)
    body = answer.json()
    assert len(body["results"]) <= 1
    assert body["truncated"] is (len(everyone) > 1)
