"""The change feed never skips a late commit: writers serialise on the counter row.

Driven with real connections and explicit ordering: writer A holds its version
uncommitted while a reader pulls; on PostgreSQL a second writer B is shown waiting
for A (it cannot take a later version and commit first), then both arrive, in order.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import Connection, text

from central.db import is_sqlite, transaction, utcnow
from central.sync.feed import lock_feed, write_records
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
    lock_feed(conn)
    return write_records(conn, [upsert], actor="writer", now=utcnow())[0]


def _wait_until_blocked(world: World, done: threading.Event) -> None:
    """Poll PostgreSQL until some backend waits on a lock (writer B behind writer A)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    tick = threading.Event()
    for _ in range(WAIT_SECONDS * 100):
        with world.engine.connect() as conn:
            if conn.execute(query).scalar():
                return
        assert not done.is_set(), "writer B finished while writer A still held the feed"
        tick.wait(0.01)
    raise AssertionError("writer B never queued behind writer A")


def test_a_late_commit_is_never_skipped(world: World) -> None:
    name = world.seed.officers[0]
    reader = world.officer(name)
    reader.sync()
    crn = world.plain_case(name)
    late, other = _new_contact(world, crn), _new_contact(world, crn)
    postgres = not is_sqlite(world.engine)

    conn_a = world.engine.connect()
    tx_a = conn_a.begin()
    version_a = _write(conn_a, late)  # A holds its version, uncommitted

    b_done = threading.Event()
    b_version: list[int] = []

    def writer_b() -> None:
        with transaction(world.engine) as conn_b:
            b_version.append(_write(conn_b, other))
        b_done.set()

    thread = threading.Thread(target=writer_b) if postgres else None
    if thread is not None:
        thread.start()
        _wait_until_blocked(world, b_done)

    before = reader.sync()  # a reader passes by while A is still open
    tx_a.commit()
    conn_a.close()
    if thread is not None:
        thread.join(WAIT_SECONDS)
        assert b_done.is_set()
    after = reader.sync()

    assert [c for p in before for c in p.changes] == []
    arrived = [(c.id, c.version) for p in after for c in p.changes]
    expected = [(late.id, version_a)]
    if postgres:
        expected.append((other.id, b_version[0]))
        assert b_version[0] == version_a + 1
    assert arrived == expected
    assert str(late.id) in reader.held[crn]


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
