"""Remembered case checksums (central.sync.checksum_memo): a pull's last page must carry
the checksum of each case's live records as they are now, whatever was remembered, and
only the cases written since are read again."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

import central.sync.snapshots as snapshots_module
from central.admin import allocate
from central.db import transaction
from central.sync.feed import next_version
from central.sync.snapshots import checksums, computed_checksums
from central.tables import records
from sync.protocol import case_checksum
from tests.central.sync.conftest import World, contact_args


def _truth(world: World, crns: list[str]) -> dict[str, str]:
    """`sync.protocol.case_checksum` over each case's live records, read afresh."""
    with world.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.crn, records.c.kind, records.c.id, records.c.version).where(
                records.c.deleted.is_(False), records.c.crn.in_(crns)
            )
        ).all()
    return {
        crn: case_checksum((r.kind, r.id, r.version) for r in rows if r.crn == crn) for crn in crns
    }


def _served(world: World, crns: list[str]) -> dict[str, str]:
    with world.engine.connect() as conn, conn.begin():
        return checksums(conn, crns)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The CRNs each call read afresh (the real computation still runs)."""
    asked: list[list[str]] = []

    def spy(conn: Any, crns: Any) -> dict[str, str]:
        asked.append(sorted(crns))
        return computed_checksums(conn, crns)

    monkeypatch.setattr(snapshots_module, "computed_checksums", spy)
    return asked


def test_every_kind_of_write_changes_the_checksum_and_only_written_cases_are_read_again(
    world: World, computed: list[list[str]]
) -> None:
    me, other = world.seed.officers[0], world.seed.officers[1]
    officer = world.officer(me)
    crns = world.caseload(me)
    pushed, reallocated, tombstoned, untouched = crns[0], crns[1], crns[2], crns[3]
    officer.sync()  # a first sync: every case's checksum computed once
    assert _served(world, crns) == _truth(world, crns)
    computed.clear()

    assert _served(world, crns) == _truth(world, crns)  # nothing written: none read again
    assert computed == []

    assert officer.push_one("record_contact", contact_args(pushed)).status == "applied"
    person = world.records_of(pushed, "person")[0]
    details = {"crn": pushed, "mobile": "07700 900003", "base_version": person.version}
    assert officer.push_one("update_contact_details", details).status == "applied"
    with transaction(world.engine) as conn:
        allocate(
            conn, reallocated, world.seed.staff_codes[other], now=dt.datetime.now(dt.UTC), by="t"
        )
    gone = world.records_of(tombstoned, "contact")[0].id
    with transaction(world.engine) as conn:  # a tombstone, as the feed writes one
        version = next_version(conn)
        conn.execute(
            update(records)
            .where(records.c.id == gone)
            .values(deleted=True, data=None, version=version)
        )

    assert _served(world, crns) == _truth(world, crns)
    assert computed == [sorted([pushed, reallocated, tombstoned])]
    assert untouched not in computed[0]


def test_a_case_without_records_and_an_unknown_crn_get_the_empty_checksum(
    world: World,
) -> None:
    crns = world.caseload(world.seed.officers[0])
    with transaction(world.engine) as conn:  # every record of a case gone (tombstones)
        for row in conn.execute(select(records.c.id).where(records.c.crn == crns[0])).all():
            conn.execute(
                update(records)
                .where(records.c.id == row.id)
                .values(deleted=True, data=None, version=next_version(conn))
            )
    asked = [*crns, "X999999"]
    for _ in range(2):  # computed, then remembered
        assert _served(world, asked) == _truth(world, asked)
    assert _served(world, asked)[crns[0]] == case_checksum(())


def _waiters(world: World) -> int:
    with world.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(text("pg_stat_activity"))
                .where(text("wait_event_type = 'Lock' AND datname = current_database()"))
            ).scalar_one()
        )


def test_a_push_during_a_reallocation_of_its_case_never_leaves_a_stale_checksum(
    world: World,
) -> None:
    """PostgreSQL: a reallocation takes its version before a push of the same case that
    commits first would have; unless the push waits for the case (its lock), the case's
    highest version would then name two different sets of records."""
    if world.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    me, other, visitor_name = world.seed.officers[:3]
    crn = world.plain_case(me)
    visitor = world.officer(visitor_name)  # keeps the case in scope through the move
    assert visitor.push_one("pin_case", {"crn": crn}).status == "applied"
    visitor.sync()
    results: list[str] = []
    with world.engine.connect() as admin:
        admin_tx = admin.begin()
        allocate(admin, crn, world.seed.staff_codes[other], now=dt.datetime.now(dt.UTC), by="t")
        pusher = threading.Thread(
            target=lambda: results.append(
                visitor.push_one("record_contact", contact_args(crn)).status
            )
        )
        pusher.start()
        deadline = time.monotonic() + 30
        while pusher.is_alive() and _waiters(world) == 0:  # blocked on the case, or done
            assert time.monotonic() < deadline, "the push neither finished nor waited"
            pusher.join(0.01)
        assert _served(world, [crn]) == _truth(world, [crn])  # remembered as of now
        admin_tx.commit()
    pusher.join()
    assert results == ["applied"]
    assert _served(world, [crn]) == _truth(world, [crn])
