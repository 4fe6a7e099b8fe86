"""Property: whatever arguments a laptop sends for any mutation, push answers with a
result per seq (applied, conflict or rejected) and never fails; rejections leave no
trace in the records. Hypothesis drives the arguments; the database is real SQLite."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from central.db import make_engine
from central.seed import seed_database
from central.tables import records
from domain.mutations import MUTATIONS
from tests.central.sync.conftest import PASSWORD, Officer, World

FIELDS = sorted({name for model in MUTATIONS.values() for name in model.model_fields})


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One seeded database for every example (each example uses a new laptop)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/central.db"
    seeded = seed_database(
        url, officers=2, cases_per_officer=3, seed=5, password=PASSWORD, today=dt.date(2026, 11, 20)
    )
    engine = make_engine(url)
    yield World(url, engine, seeded)
    engine.dispose()


def _values(world: World) -> st.SearchStrategy[Any]:
    name = world.seed.officers[0]
    crns = world.caseload(name)
    ids = [
        r.id
        for crn in crns[:1]
        for kind in ("contact", "address", "event")
        for r in world.records_of(crn, kind)[:2]
    ]
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**40), max_value=2**40),
        st.text(max_size=30),
        st.sampled_from([*crns, "Z999999", "bad", ""]),
        st.sampled_from(ids) if ids else st.just(str(uuid.uuid4())),
        st.uuids().map(str),
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat),
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.sampled_from(["CTOA", "COAP", "CHVS", "ATTC", "AFTC", "ARWS", "NOPE"]),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_push_never_fails_whatever_the_arguments(fuzz_world: World, data: st.DataObject) -> None:
    world = fuzz_world
    officer: Officer = world.officer(world.seed.officers[0])
    names = st.sampled_from(sorted(MUTATIONS)) | st.text(min_size=1, max_size=20)
    batch = data.draw(
        st.lists(
            st.tuples(names, st.dictionaries(st.sampled_from(FIELDS), _values(world), max_size=8)),
            min_size=1,
            max_size=4,
        )
    )
    with world.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(records)).scalar_one()

    response = officer.send(*(officer.envelope(name, args) for name, args in batch))

    assert response.last_applied_seq == len(batch)
    assert [r.seq for r in response.results] == list(range(1, len(batch) + 1))
    assert all(r.message for r in response.results if r.status == "rejected")
    if all(r.status == "rejected" for r in response.results):
        with world.engine.connect() as conn:
            after = conn.execute(select(func.count()).select_from(records)).scalar_one()
        assert after == before


def _bases(world: World) -> list[tuple[str, dict[str, Any]]]:
    """One valid argument set per mutation, on a case of the first officer."""
    crn = world.plain_case(world.seed.officers[0])
    contact = world.records_of(crn, "contact")[0]
    person = world.records_of(crn, "person")[0]
    address = (world.records_of(crn, "address") or [None])[0]
    event = world.records_of(crn, "event")[0]
    today = dt.date.today().isoformat()
    return [
        ("record_contact", {"contact_id": str(uuid.uuid4()), "crn": crn, "type_code": "CTOA",
                            "date": today}),
        ("arrange_appointment", {"contact_id": str(uuid.uuid4()), "crn": crn, "type_code": "COAP",
                                 "date": "2030-01-08", "start_time": "10:00", "end_time": "11:00",
                                 "event_id": event.id, "location_code": world.office_code(),
                                 "repeat": {"frequency": "weekly", "count": 2}}),
        ("append_contact_note", {"contact_id": contact.id, "text": "Synthetic note."}),
        ("record_outcome", {"contact_id": contact.id, "outcome_code": "ATTC",
                            "base_version": contact.version}),
        ("correct_outcome", {"contact_id": contact.id, "outcome_code": "ATTC",
                             "reason": "Evidence arrived.", "base_version": contact.version}),
        ("reschedule_appointment", {"contact_id": contact.id, "new_contact_id": str(uuid.uuid4()),
                                    "requested_by": "service", "date": "2030-01-09",
                                    "start_time": "09:00", "end_time": "09:30",
                                    "base_version": contact.version}),
        ("update_contact_details", {"crn": crn, "mobile": "07700900999",
                                    "base_version": person.version}),
        ("update_address", {"address_id": address.id if address else str(uuid.uuid4()),
                            "crn": crn, "town": "Leeds",
                            "base_version": address.version if address else None}),
        ("pin_case", {"crn": world.plain_case(world.seed.officers[1])}),
        ("unpin_case", {"crn": crn}),
        ("case_viewed", {"crn": crn, "viewed_at": "2026-11-20T09:00:00Z"}),
    ]  # fmt: skip


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_push_of_nearly_valid_changes_never_fails(fuzz_world: World, data: st.DataObject) -> None:
    """Valid changes with one or two fields swapped for anything at all."""
    world = fuzz_world
    officer = world.officer(world.seed.officers[0])
    name, base = data.draw(st.sampled_from(_bases(world)))
    overrides = data.draw(
        st.dictionaries(st.sampled_from(sorted(base)), _values(world), max_size=2)
    )

    response = officer.send(officer.envelope(name, {**base, **overrides}))

    assert response.last_applied_seq == 1
    (result,) = response.results
    assert result.status in {"applied", "conflict", "rejected"}
    assert result.status != "rejected" or result.message
