"""Pull: snapshots for cases entering scope, evictions, the change feed, paging, checksums."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from central.db import transaction
from central.sync.cursor import Cursor, decode
from central.sync.feed import high_water, next_version
from central.sync.pull import CursorAhead, serve_case, serve_pull
from central.tables import records
from sync.protocol import PROTOCOL_VERSION, PullRequest, case_checksum
from tests.central.sync.conftest import Officer, World, contact_args


def _local_checksums(officer: Officer) -> dict[str, str]:
    return {
        crn: case_checksum((r.kind, r.id, r.version) for r in held.values())
        for crn, held in officer.held.items()
    }


def _server_records(world: World, crn: str) -> dict[str, int]:
    with world.engine.connect() as conn:
        rows = conn.execute(
            records.select().where(records.c.crn == crn, records.c.deleted.is_(False))
        )
        return {row.id: row.version for row in rows}


def test_first_sync_brings_the_whole_caseload_and_matching_checksums(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)

    pages = officer.sync()

    assert sorted(officer.held) == world.caseload(name)
    assert pages[-1].checksums == _local_checksums(officer)
    crn = world.caseload(name)[0]
    assert {i: r.version for i, r in officer.held[crn].items()} == _server_records(world, crn)


def test_paging_never_splits_a_snapshot_and_resumes_by_cursor(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)

    pages = officer.sync(limit=10)

    assert len(pages) >= 2
    assert all(p.has_more for p in pages[:-1])
    assert not pages[-1].has_more
    sent = [s.crn for p in pages for s in p.snapshots]
    assert sorted(sent) == world.caseload(name)  # each case once, whole
    assert pages[-1].checksums == _local_checksums(officer)


def test_changes_arrive_in_version_order_in_pages(world: World) -> None:
    writer = world.officer(world.seed.officers[0])
    reader = world.officer(world.seed.officers[0])
    reader.sync()
    crn = world.plain_case(writer.principal.username)
    for _ in range(7):
        assert writer.push_one("record_contact", contact_args(crn)).status == "applied"

    pages = reader.sync(limit=3)

    versions = [c.version for p in pages for c in p.changes]
    assert len(versions) == 7
    assert versions == sorted(versions)
    assert [len(p.changes) for p in pages] == [3, 3, 1]
    assert pages[-1].checksums == _local_checksums(reader)


def test_a_lost_page_is_answered_again_from_the_same_cursor(world: World) -> None:
    writer = world.officer(world.seed.officers[0])
    reader = world.officer(world.seed.officers[0])
    reader.sync()
    crn = world.plain_case(writer.principal.username)
    writer.push_one("record_contact", contact_args(crn))
    request = PullRequest(
        protocol_version=PROTOCOL_VERSION,
        client_id=reader.client_id,
        cursor=reader.cursor,
        held_cases=sorted(reader.held),
    )
    cursor = decode(reader.cursor or "")

    first = serve_pull(world.engine, reader.principal, request, cursor).response
    again = serve_pull(world.engine, reader.principal, request, cursor).response

    assert first == again
    assert len(first.changes) == 1


def test_pin_and_reallocation_bring_snapshots_unpin_and_moving_away_evict(world: World) -> None:
    me, other = world.seed.officers[0], world.seed.officers[1]
    officer = world.officer(me)
    officer.sync()
    pinned, moved = world.caseload(other)[:2]
    mine = world.plain_case(me)

    officer.push_one("pin_case", {"crn": pinned})
    world.reallocate(moved, me)
    world.reallocate(mine, other)
    entering = officer.sync()

    assert sorted(s.crn for p in entering for s in p.snapshots) == sorted([pinned, moved])
    assert [c for p in entering for c in p.evicted] == [mine]
    assert mine not in officer.held
    assert pinned in officer.held

    officer.push_one("unpin_case", {"crn": pinned})
    leaving = officer.sync()

    assert [c for p in leaving for c in p.evicted] == [pinned]
    assert sorted(officer.held) == sorted(set(world.caseload(me)))


def test_tombstones_travel_as_changes(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)
    officer.sync()
    crn = world.plain_case(name)
    gone = world.records_of(crn, "contact")[0].id
    with transaction(world.engine) as conn:
        version = next_version(conn)
        conn.execute(
            update(records)
            .where(records.c.id == gone)
            .values(deleted=True, data=None, version=version)
        )

    pages = officer.sync()

    change = pages[-1].changes[0]
    assert (str(change.id), change.deleted, change.data) == (gone, True, None)
    assert gone not in officer.held[crn]
    assert pages[-1].checksums[crn] == _local_checksums(officer)[crn]


def test_snapshots_are_not_resent_when_the_laptop_lags_in_listing_them(world: World) -> None:
    """The cursor carries snapshot progress, so one round always finishes."""
    name = world.seed.officers[0]
    officer = world.officer(name)
    request = PullRequest(protocol_version=PROTOCOL_VERSION, client_id=officer.client_id, limit=1)
    first = serve_pull(world.engine, officer.principal, request, None).response
    seen = [s.crn for s in first.snapshots]
    cursor = first.cursor
    while True:
        page = serve_pull(
            world.engine,
            officer.principal,
            request.model_copy(update={"cursor": cursor}),  # held_cases never updated
            decode(cursor),
        ).response
        seen += [s.crn for s in page.snapshots]
        cursor = page.cursor
        if not page.has_more:
            break

    assert sorted(seen) == world.caseload(name)
    assert page.changes == []  # no changes for cases the laptop does not list


def test_cursor_ahead_of_the_feed_is_refused(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    request = PullRequest(protocol_version=PROTOCOL_VERSION, client_id=officer.client_id)
    with world.engine.connect() as conn:
        ahead = Cursor(high_water(conn) + 100)

    with pytest.raises(CursorAhead):
        serve_pull(world.engine, officer.principal, request, ahead)


def test_case_refetch_is_whole_and_only_in_scope(world: World) -> None:
    me, other = world.seed.officers[0], world.seed.officers[1]
    officer = world.officer(me)
    mine, theirs = world.plain_case(me), world.plain_case(other)

    snapshot = serve_case(world.engine, officer.principal, mine)

    assert snapshot is not None
    assert {str(r.id): r.version for r in snapshot.records} == _server_records(world, mine)
    assert serve_case(world.engine, officer.principal, theirs) is None
    assert serve_case(world.engine, officer.principal, "Z999999") is None
