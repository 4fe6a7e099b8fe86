"""The change feed never skips a late commit, on both databases.

Driven with real connections and explicit ordering: writer A writes record a and stays
open; writer B writes record b; a reader pulls; A commits; the reader pulls again. The
union of the two pulls must hold a and b, each once. On PostgreSQL B commits while A is
open, with the later version (writers run in parallel), so a scheme serving "everything
committed up to the highest version" would pass a and never send it; the watermark
holds the first pull back to A. On SQLite B waits for A (one writer at a time).
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import Connection

from central.db import IMMEDIATE, is_sqlite, transaction, utcnow
from central.sync.feed import write_records
from domain.errors import RuleViolation
from domain.semantics import Upsert
from tests.central.sync.conftest import World

WAIT_SECONDS = 20


def _new_contact(world: World, crn: str) -> Upsert:
    template = dict(world.records_of(crn, "contact")[0].data)
    record_id = uuid.uuid4()
    data = {**template, "id": str(record_id), "notes": ""}
    return Upsert("contact", record_id, crn, data, frozenset(data), created=True)


def _write(conn: Connection, upsert: Upsert) -> int:
    return write_records(conn, [upsert], actor="writer", now=utcnow())[0]


def test_a_late_commit_is_served_late_never_skipped(world: World) -> None:
    name = world.seed.officers[0]
    reader = world.officer(name)
    reader.sync()
    crn = world.plain_case(name)
    late, other = _new_contact(world, crn), _new_contact(world, crn)
    postgres = not is_sqlite(world.engine)

    conn_a = world.engine.connect()
    conn_a.execution_options(**{IMMEDIATE: True})  # as the service's writers begin
    tx_a = conn_a.begin()
    version_a = _write(conn_a, late)  # A holds record a, uncommitted

    b_started, b_done = threading.Event(), threading.Event()
    b_version: list[int] = []

    def writer_b() -> None:
        b_started.set()
        with transaction(world.engine) as conn_b:
            b_version.append(_write(conn_b, other))
        b_done.set()

    thread = threading.Thread(target=writer_b)
    thread.start()
    if postgres:  # B does not wait for A: it commits first, with the later version
        assert b_done.wait(WAIT_SECONDS), "writer B waited for writer A"
    else:  # B queues behind A's write lock
        assert b_started.wait(WAIT_SECONDS)
        assert not b_done.wait(0.3), "writer B wrote while writer A held SQLite's lock"

    before = reader.sync()  # a reader passes by while A is still open
    tx_a.commit()
    conn_a.close()
    thread.join(WAIT_SECONDS)
    assert b_done.is_set()
    after = reader.sync()

    served = [(c.id, c.version) for p in before + after for c in p.changes]
    assert sorted(served) == sorted([(late.id, version_a), (other.id, b_version[0])])
    assert version_a < b_version[0]  # "up to the highest committed version" would skip a
    if postgres:
        assert [c.id for p in before for c in p.changes] == []  # held back by A's txid
    assert {str(late.id), str(other.id)} <= set(reader.held[crn])


def test_changed_fields_get_the_new_version(world: World) -> None:
    crn = world.plain_case(world.seed.officers[0])
    person = world.records_of(crn, "person")[0]
    data = {**person.data, "mobile": "07700900123"}
    upsert = Upsert("person", uuid.UUID(person.id), crn, data, frozenset({"mobile"}))

    with transaction(world.engine) as conn:
        (version,) = write_records(conn, [upsert], actor="writer", now=utcnow())

    stored = world.records_of(crn, "person")[0]
    assert stored.version == version
    assert stored.field_versions["mobile"] == version
    assert all(v < version for k, v in stored.field_versions.items() if k != "mobile")


def test_a_record_id_of_another_case_is_refused_before_any_write(world: World) -> None:
    mine = world.plain_case(world.seed.officers[0])
    theirs = world.plain_case(world.seed.officers[1])
    fresh = _new_contact(world, mine)
    stolen = world.records_of(theirs, "contact")[0]
    moved = Upsert("contact", uuid.UUID(stolen.id), mine, dict(stolen.data), frozenset({"notes"}))

    with transaction(world.engine) as conn, pytest.raises(RuleViolation):
        write_records(conn, [fresh, moved], actor="writer", now=utcnow())

    assert str(fresh.id) not in {r.id for r in world.records_of(mine, "contact")}
    assert world.records_of(theirs, "contact")[0].version == stolen.version


def test_the_team_list_key_moves_when_a_lower_version_commits_last(world: World) -> None:
    """The team caseload keeps each case's line until the case's key moves. On
    PostgreSQL a write at a lower version can commit after one at a higher version of
    the same case: the key must still move (the highest version alone would not)."""
    if is_sqlite(world.engine):
        pytest.skip("SQLite has one writer at a time: commit order is version order")
    from sqlalchemy import select

    from central.tables import cases
    from central.team_memo import case_version

    crn = world.plain_case(world.seed.officers[0])
    key = select(case_version()).where(cases.c.crn == crn)
    with transaction(world.engine) as conn_a:
        _write(conn_a, _new_contact(world, crn))  # the lower version, committed last
        with transaction(world.engine) as conn_b:
            _write(conn_b, _new_contact(world, crn))
        with world.engine.connect() as reader:
            seen = reader.execute(key).scalar_one()
    with world.engine.connect() as reader:
        assert reader.execute(key).scalar_one() != seen
