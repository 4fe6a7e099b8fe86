"""The national-shape seed (bulk COPY of a cloned caseload) gives a database the real
service works on: officers sign in, pull, push exactly once, and find people by search;
the change feed and the search columns are as any writer leaves them."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from central.db import make_engine
from central.seed.national import NationalResult, crn_for, seed_national
from central.seed.writer import AlreadySeeded
from central.tables import allocations, cases, records
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import PASSWORD, make_settings, run_server
from tests.central.seed.test_seed_database import ENTITIES

pytestmark = pytest.mark.postgres
TODAY = date(2026, 11, 20)


def _seed(url: str, officers: int = 3, per: int = 4) -> NationalResult:
    return seed_national(
        url,
        officers=officers,
        cases_per_officer=per,
        seed=3,
        password=PASSWORD,
        communications=1,
        today=TODAY,
    )


def test_crns_are_distinct_and_well_formed() -> None:
    crns = [crn_for(n) for n in range(200_000)]
    assert len(set(crns)) == len(crns)
    assert all(len(c) == 7 and c[0].isalpha() and c[1:].isdigit() for c in crns)


def test_feed_search_columns_and_records_are_as_any_writer_leaves_them(postgres_url: str) -> None:
    result = _seed(postgres_url)
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(records.c.id, records.c.kind, records.c.crn, records.c.version, records.c.data)
        ).all()
        # PostgreSQL takes versions from the sequence (central/versions.py): its last
        # value is the highest version, as after any writer.
        counter = conn.execute(text("SELECT last_value FROM record_versions")).scalar_one()
        case_rows = {r.crn: r for r in conn.execute(select(cases))}
        current = {
            r.crn: r.staff_code
            for r in conn.execute(select(allocations).where(allocations.c.end_date.is_(None)))
        }
        indexes = set(
            conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'records'"))
            .scalars()
        )  # fmt: skip
    engine.dispose()
    assert result.cases == len(case_rows) == 12
    assert len(rows) == result.records == counter  # the sequence is at the highest version
    assert sorted(r.version for r in rows) == list(range(1, counter + 1))
    assert len({r.id for r in rows}) == len(rows)
    assert indexes == {"pk_records", *(ix.name for ix in records.indexes)}  # rebuilt
    people = {r.crn: r for r in rows if r.kind == "person"}
    assert set(people) == set(case_rows)
    for row in rows:
        entity = ENTITIES[row.kind].model_validate(row.data)  # the domain reads every record
        assert (str(entity.id), row.data["crn"]) == (row.id, row.crn)
    staff = result.staff_codes
    for crn, case in case_rows.items():
        person = people[crn].data
        assert case.person_id == people[crn].id
        assert (case.surname, case.first_name) == (
            person["surname"].lower(),
            person["first_name"].lower(),
        )
        assert case.date_of_birth.isoformat() == person["date_of_birth"]
        assert current[crn] == case.staff_code == person["staff_code"]
    for name, crns in result.caseloads.items():
        assert {case_rows[c].staff_code for c in crns} == {staff[name]}
    assert len({(c.surname, c.first_name) for c in case_rows.values()}) > 6  # not 12 clones


def _pull_all(http: httpx.Client, device: str) -> tuple[str, list[str], int]:
    cursor, held, count = None, set[str](), 0
    while True:
        body = {"protocol_version": PROTOCOL_VERSION, "client_id": device,
                "cursor": cursor, "held_cases": sorted(held), "limit": 1000}  # fmt: skip
        page = http.post("/v1/sync/pull", json=body).raise_for_status().json()
        held |= {s["crn"] for s in page["snapshots"]}
        count += sum(len(s["records"]) for s in page["snapshots"]) + len(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor, sorted(held), count


def _contact(seq: int, mutation: str, crn: str) -> dict[str, Any]:
    args = {"contact_id": str(uuid.uuid5(uuid.NAMESPACE_URL, mutation)), "crn": crn,
            "type_code": "CTOA", "date": TODAY.isoformat()}  # fmt: skip
    return {"seq": seq, "id": mutation, "name": "record_contact", "version": 1, "args": args,
            "created_at": "2026-11-20T10:00:00Z"}  # fmt: skip


def test_officer_signs_in_pulls_pushes_once_and_searches(postgres_url: str) -> None:
    result = _seed(postgres_url)
    name, other = result.officers[0], result.officers[2]
    device = str(uuid.uuid4())
    with run_server(make_settings(postgres_url), result) as live:
        token = live.token(name, device_id=device)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=live.url, headers=headers, timeout=30) as http:
            cursor, held, count = _pull_all(http, device)
            mine = [c for c in result.caseloads[name] if c not in result.restrictions]
            assert set(mine) <= set(held) <= set(result.caseloads[name])
            engine = make_engine(postgres_url)
            with engine.connect() as conn:
                stored = conn.execute(
                    select(func.count()).where(records.c.crn.in_(held))
                ).scalar_one()  # fmt: skip
                person = conn.execute(
                    select(cases).where(cases.c.crn == result.caseloads[other][1])
                ).one()
            assert count == stored

            mutation = str(uuid.uuid4())
            push = {"protocol_version": PROTOCOL_VERSION, "client_id": device,
                    "mutations": [_contact(1, mutation, held[0])]}  # fmt: skip
            first = http.post("/v1/sync/push", json=push).raise_for_status().json()
            again = http.post("/v1/sync/push", json=push).raise_for_status().json()
            assert first["results"][0]["status"] == "applied"
            assert again == first  # replayed, not applied twice
            body = {"protocol_version": PROTOCOL_VERSION, "client_id": device,
                    "cursor": cursor, "held_cases": held, "limit": 1000}  # fmt: skip
            page = http.post("/v1/sync/pull", json=body).raise_for_status().json()
            assert [c["crn"] for c in page["changes"]] == [held[0]]
            assert not page["has_more"]
            assert set(page["checksums"]) == set(held)

            found = http.get("/v1/search", params={"q": f"{person.first_name} {person.surname}"})
            crns = [r["crn"] for r in found.raise_for_status().json()["results"]]
            assert person.crn in crns
            by_crn = http.get("/v1/search", params={"q": person.crn}).json()["results"]
            assert [r["crn"] for r in by_crn] == [person.crn]
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(records)).scalar_one()
        # PostgreSQL takes versions from the sequence (central/versions.py): its last
        # value is the highest version, as after any writer.
        counter = conn.execute(text("SELECT last_value FROM record_versions")).scalar_one()
        highest = conn.execute(select(func.max(records.c.version))).scalar_one()
    engine.dispose()
    assert total == result.records + 1  # exactly once
    assert counter == highest  # the feed in step


def test_seeding_twice_is_refused(postgres_url: str) -> None:
    _seed(postgres_url, officers=1, per=1)
    with pytest.raises(AlreadySeeded):
        _seed(postgres_url, officers=1, per=1)


def test_sqlite_is_refused(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        _seed(f"sqlite:///{tmp_path}/x.db", officers=1, per=1)


def test_cli_seeds_national_and_reports_the_rate(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from central.cli import main

    argv = ["seed", "--national", "--database-url", postgres_url, "--officers", "2",
            "--cases-per-officer", "2", "--password", PASSWORD]  # fmt: skip
    assert main(argv) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "records/s" in lines[-2]
    assert json.loads(lines[-1])["cases"] == 4
    assert main(argv) != 0  # a second seed is refused, not added


@pytest.mark.slow
def test_a_larger_seed_keeps_the_feed_and_the_search_columns(postgres_url: str) -> None:
    """Thousands of cases, hundreds of thousands of records: checked by aggregates."""
    result = seed_national(
        postgres_url, officers=40, cases_per_officer=50, seed=9, password=PASSWORD, today=TODAY
    )
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        low, high, count, ids = conn.execute(
            text("SELECT min(version), max(version), count(*), count(DISTINCT id) FROM records")
        ).one()
        # PostgreSQL takes versions from the sequence (central/versions.py): its last
        # value is the highest version, as after any writer.
        counter = conn.execute(text("SELECT last_value FROM record_versions")).scalar_one()
        mismatched = conn.execute(
            text(
                "SELECT count(*) FROM cases c JOIN records r ON r.id = c.person_id "
                "WHERE r.kind <> 'person' OR r.crn <> c.crn "
                "OR lower(r.data->>'surname') <> c.surname "
                "OR (r.data->>'date_of_birth')::date <> c.date_of_birth"
            )
        ).scalar_one()
    engine.dispose()
    assert result.records > 400_000
    assert (low, high, count, ids) == (1, counter, result.records, result.records)
    assert mismatched == 0
