"""The sync endpoints over real HTTP on loopback: answers, bad input, Limited Access."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from central.audit import case_audit
from central.auth.devices import revoke_device
from central.db import transaction, utcnow
from central.metrics import exposition
from central.tables import applied_mutations, cases, records
from sync.protocol import PROTOCOL_VERSION, CaseSnapshot, PullResponse, PushResponse
from tests.central.sync.conftest import Officer, World, contact_args
from tests.central.sync.http_server import bearer, running_server


@pytest.fixture
def base_url(world: World) -> Iterator[str]:
    with running_server(world.url) as url:
        yield url


class Laptop:
    """An officer's laptop talking HTTP: what the desktop client sends, by hand."""

    def __init__(self, base_url: str, officer: Officer) -> None:
        self.officer = officer
        self.client_id = officer.principal.device_id
        headers = bearer(officer.principal.username, self.client_id)
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=30)

    def post(self, path: str, body: Any) -> httpx.Response:
        if isinstance(body, (bytes, str)):
            return self.http.post(path, content=body, headers={"Content-Type": "application/json"})
        return self.http.post(path, json=body)

    def push(self, *mutations: dict[str, Any]) -> httpx.Response:
        body = {
            "protocol_version": PROTOCOL_VERSION,
            "client_id": self.client_id,
            "mutations": list(mutations),
        }
        return self.post("/v1/sync/push", body)

    def mutation(self, seq: int, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "seq": seq,
            "id": str(uuid.uuid4()),
            "name": name,
            "version": 1,
            "args": args,
            "created_at": "2026-11-20T10:00:00Z",
        }

    def pull(self, **extra: Any) -> httpx.Response:
        body = {"protocol_version": PROTOCOL_VERSION, "client_id": self.client_id, **extra}
        return self.post("/v1/sync/pull", body)

    def case(self, crn: str) -> httpx.Response:
        body = {"protocol_version": PROTOCOL_VERSION, "client_id": self.client_id, "crn": crn}
        return self.post("/v1/sync/case", body)


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"]
    assert body["message"]
    return body


def _contacts(world: World) -> int:
    with world.engine.connect() as conn:
        return len(list(conn.execute(select(records.c.id).where(records.c.kind == "contact"))))


def test_push_and_pull_round_trip(world: World, base_url: str) -> None:
    name = world.seed.officers[0]
    laptop = Laptop(base_url, world.officer(name))
    crn = world.plain_case(name)

    pushed = PushResponse.model_validate_json(
        laptop.push(laptop.mutation(1, "record_contact", contact_args(crn))).content
    )
    first = PullResponse.model_validate_json(laptop.pull(limit=50).content)

    assert (pushed.last_applied_seq, pushed.results[0].status) == (1, "applied")
    assert first.last_applied_seq == 1
    assert first.snapshots
    assert laptop.http.get("/openapi.json").json()["paths"]["/v1/sync/pull"]


def _mutation_counts(laptop: Laptop) -> dict[tuple[str, str], float]:
    """`fieldcase_mutations_total` from /metrics, by (name, status)."""
    text = exposition().decode()  # the server runs in this process: one registry
    return {
        (sample.labels["name"], sample.labels["status"]): sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "fieldcase_mutations"
        for sample in family.samples
        if sample.name == "fieldcase_mutations_total"
    }


def mobile(crn: str, number: str, base: int) -> dict[str, Any]:
    return {"crn": crn, "mobile": number, "base_version": base}


def test_metrics_count_each_mutation_once_by_name_and_result(world: World, base_url: str) -> None:
    owner_name, visitor_name = world.seed.officers[0], world.seed.officers[1]
    crn = world.plain_case(owner_name)
    owner = Laptop(base_url, world.officer(owner_name))
    visitor = Laptop(base_url, world.officer(visitor_name))
    base = world.records_of(crn, "person")[0].version
    before = _mutation_counts(owner)

    batch = (
        owner.mutation(1, "record_contact", contact_args(crn)),
        owner.mutation(2, "record_contact", contact_args(crn, type_code="XXXX")),
        owner.mutation(3, "fly_to_the_moon", {"crn": crn}),
        owner.mutation(4, "update_contact_details", mobile(crn, "07700 900001", base)),
    )
    assert owner.push(*batch).status_code == 200
    assert owner.push(*batch).status_code == 200  # a lost answer: replayed, counted once
    visitor.push(
        visitor.mutation(1, "pin_case", {"crn": crn}),
        visitor.mutation(2, "update_contact_details", mobile(crn, "07700 900002", base)),
    )
    after = _mutation_counts(owner)

    def delta(name: str, status: str) -> float:
        return after.get((name, status), 0) - before.get((name, status), 0)

    assert delta("record_contact", "applied") == 1
    assert delta("record_contact", "rejected") == 1
    assert delta("unknown", "rejected") == 1  # a client's made-up name never becomes a label
    assert delta("update_contact_details", "applied") == 1
    assert delta("update_contact_details", "conflict") == 1
    assert delta("pin_case", "applied") == 1
    assert not any(name == "fly_to_the_moon" for name, _ in after)


def test_bad_input_is_a_4xx_with_an_actionable_message(world: World, base_url: str) -> None:
    name = world.seed.officers[0]
    laptop = Laptop(base_url, world.officer(name))
    before = _contacts(world)

    malformed = _problem(laptop.post("/v1/sync/push", b'{"protocol_version": 1, "mut'), 422)
    wrong_type = laptop.push({**laptop.mutation(1, "record_contact", {}), "seq": "first"})
    not_a_uuid = laptop.post(
        "/v1/sync/push",
        {"protocol_version": PROTOCOL_VERSION, "client_id": "laptop", "mutations": []},
    )

    assert "Invalid request" in malformed["message"]
    assert "seq" in _problem(wrong_type, 422)["message"]
    assert "client_id" in _problem(not_a_uuid, 422)["message"]
    assert _contacts(world) == before


def test_bad_mutations_are_rejected_plainly_and_nothing_half_applied(
    world: World, base_url: str
) -> None:
    name = world.seed.officers[0]
    laptop = Laptop(base_url, world.officer(name))
    crn = world.plain_case(name)
    before = _contacts(world)

    response = laptop.push(
        laptop.mutation(1, "fly_to_the_moon", {"crn": crn}),
        laptop.mutation(2, "record_contact", contact_args(crn, notes="n" * 20_000)),
        laptop.mutation(3, "record_contact", contact_args(crn, type_code="XXXX")),
        laptop.mutation(4, "record_contact", contact_args("NOTACRN")),
        laptop.mutation(5, "record_contact", {**contact_args(crn), "date": 17}),
        laptop.mutation(6, "nul\x00name", {"notes": "nul\x00note"}),
    )

    assert response.status_code == 200, response.text
    results = PushResponse.model_validate_json(response.content).results
    assert [r.status for r in results] == ["rejected"] * 6
    assert results[0].code == "unknown_mutation"
    assert "12,000 characters" in (results[1].message or "")
    assert "CRN" in (results[3].message or "")
    assert all(r.message for r in results)
    assert _contacts(world) == before


def test_protocol_client_and_cursor_are_checked(world: World, base_url: str) -> None:
    me = world.officer(world.seed.officers[0])
    laptop = Laptop(base_url, me)

    old = laptop.post("/v1/sync/pull", {"protocol_version": 0, "client_id": laptop.client_id})
    someone_else = laptop.post(
        "/v1/sync/push",
        {"protocol_version": PROTOCOL_VERSION, "client_id": str(uuid.uuid4()), "mutations": []},
    )
    bad_cursor = laptop.pull(cursor="not-a-cursor")
    anonymous = httpx.post(base_url + "/v1/sync/pull", json={})

    old_push = laptop.post(
        "/v1/sync/push", {"protocol_version": 0, "client_id": laptop.client_id, "mutations": []}
    )
    newer = laptop.post(
        "/v1/sync/case",
        {"protocol_version": PROTOCOL_VERSION + 1, "client_id": laptop.client_id, "crn": "X1"},
    )

    assert _problem(old, 400)["action"]["kind"] == "upgrade_required"
    assert _problem(old_push, 400)["action"]["kind"] == "upgrade_required"
    assert _problem(newer, 400)["code"] == "unsupported_protocol"
    assert _problem(someone_else, 403)["code"] == "wrong_client"
    assert _problem(bad_cursor, 400)["action"]["kind"] == "reset"
    assert "crn" in _problem(laptop.case("X\x00' OR 1=1"), 422)["message"]
    _problem(anonymous, 401)


def _surname(world: World, crn: str) -> str:
    with world.engine.connect() as conn:
        return str(conn.execute(select(cases.c.surname).where(cases.c.crn == crn)).scalar_one())


@pytest.mark.parametrize("kind", ["exclusions", "restrictions"])
def test_limited_access_case_is_unreachable_by_every_endpoint(
    world: World, base_url: str, kind: str
) -> None:
    lists: dict[str, list[str]] = getattr(world.seed, kind)
    crn, named = next(iter(lists.items()))
    outsider = (
        named[0] if kind == "exclusions" else next(o for o in world.seed.officers if o not in named)
    )
    world.reallocate(crn, outsider)  # even as the case's own officer
    laptop = Laptop(base_url, world.officer(outsider))

    pages = [PullResponse.model_validate_json(laptop.pull().content)]
    while pages[-1].has_more:
        pages.append(PullResponse.model_validate_json(laptop.pull(cursor=pages[-1].cursor).content))
    held = PullResponse.model_validate_json(laptop.pull(held_cases=[crn]).content)
    refetch = laptop.case(crn)
    pushed = PushResponse.model_validate_json(
        laptop.push(
            laptop.mutation(1, "record_contact", contact_args(crn)),
            laptop.mutation(2, "pin_case", {"crn": crn}),
        ).content
    )
    found = laptop.http.get("/v1/search", params={"q": _surname(world, crn)})

    assert all(s.crn != crn for p in pages for s in p.snapshots)
    assert all(c.crn != crn for p in pages for c in p.changes)
    assert crn not in pages[-1].checksums
    assert held.evicted == [crn]
    assert _problem(refetch, 404)["code"] == "not_in_scope"
    assert [r.code for r in pushed.results] == ["out_of_scope", "out_of_scope"]
    assert found.status_code == 200
    assert crn not in {r["crn"] for r in found.json()["results"]}
    for text in (refetch.text, pushed.model_dump_json()):
        assert _surname(world, crn) not in text.lower()
    with world.engine.connect() as conn:
        trail = case_audit(conn, crn)
    refused = [e.action for e in trail if e.username == outsider and e.action != "search_result"]
    assert refused == ["access_refused", "access_refused"]  # tried, refused, on the trail


def test_case_refetch_answers_a_snapshot_and_audits_it(world: World, base_url: str) -> None:
    name = world.seed.officers[0]
    laptop = Laptop(base_url, world.officer(name))
    crn = world.plain_case(name)

    snapshot = CaseSnapshot.model_validate_json(laptop.case(crn).content)

    assert snapshot.crn == crn
    assert snapshot.records
    with world.engine.connect() as conn:
        trail = case_audit(conn, crn)
    assert ("case_downloaded", name) in {(e.action, e.username) for e in trail}


def test_stored_results_survive_across_requests(world: World, base_url: str) -> None:
    name = world.seed.officers[0]
    laptop = Laptop(base_url, world.officer(name))
    crn = world.plain_case(name)
    mutation = laptop.mutation(1, "record_contact", contact_args(crn))

    first, again = laptop.push(mutation), laptop.push(mutation)

    assert first.json() == again.json()
    with world.engine.connect() as conn:
        assert len(list(conn.execute(select(applied_mutations.c.seq)))) == 1


def test_a_revoked_laptop_is_told_to_wipe(world: World, base_url: str) -> None:
    officer = world.officer(world.seed.officers[0])
    laptop = Laptop(base_url, officer)
    with transaction(world.engine) as conn:
        revoke_device(conn, officer.principal.device_id, "admin", utcnow())

    answer = laptop.pull()

    assert _problem(answer, 403)["action"]["kind"] == "wipe"


def test_a_protocol_1_laptop_is_told_to_update_before_pages_it_cannot_read(
    world: World, base_url: str
) -> None:
    """Protocol 1 predates the record kinds document, rosh and photo: a page carrying
    one is malformed to such a client, which would refuse every pull for good. The
    server tells it to update instead, on pull and push, and its outbox is kept."""
    assert PROTOCOL_VERSION >= 2
    me = world.officer(world.seed.officers[0])
    laptop = Laptop(base_url, me)
    body = {"protocol_version": 1, "client_id": laptop.client_id}

    pull = _problem(laptop.post("/v1/sync/pull", body), 400)
    push = _problem(laptop.post("/v1/sync/push", {**body, "mutations": []}), 400)

    for problem in (pull, push):
        assert problem["action"]["kind"] == "upgrade_required"
        assert "install the update" in problem["action"]["message"]
    with world.engine.connect() as conn:  # the kinds protocol 1 cannot read are served
        kinds = set(conn.execute(select(records.c.kind).distinct()).scalars())
    assert {"rosh", "photo"} <= kinds
