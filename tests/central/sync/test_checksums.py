"""Per-case checksums on the server: one joined row per case, sorted in Python, must
equal `sync.protocol.case_checksum` over the case's live records on every backend."""

from __future__ import annotations

from sqlalchemy import select, update

from central.db import transaction
from central.sync.snapshots import CHUNK, checksums
from central.tables import records
from sync.protocol import case_checksum
from tests.central.sync.conftest import World


def _expected(world: World, crns: list[str]) -> dict[str, str]:
    with world.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.crn, records.c.kind, records.c.id, records.c.version).where(
                records.c.deleted.is_(False)
            )
        ).all()
    return {
        crn: case_checksum((r.kind, r.id, r.version) for r in rows if r.crn == crn) for crn in crns
    }


def test_every_case_checksum_equals_the_protocols_over_its_live_records(world: World) -> None:
    with world.engine.connect() as conn:
        crns = sorted({row[0] for row in conn.execute(select(records.c.crn))})
    gone = crns[0]
    with transaction(world.engine) as conn:  # a case with tombstones only, and a deletion
        conn.execute(update(records).where(records.c.crn == gone).values(deleted=True))
        first = conn.execute(select(records.c.id).where(records.c.crn == crns[1])).first()
        assert first is not None
        conn.execute(update(records).where(records.c.id == first[0]).values(deleted=True))
    asked = [*crns, "X999999"]  # a case with no records at all
    with world.engine.connect() as conn:
        found = checksums(conn, asked)
    assert found == _expected(world, asked)
    assert found[gone] == found["X999999"] == case_checksum(())
    assert len({v for k, v in found.items() if k not in {gone, "X999999"}}) == len(crns) - 1
    assert len(asked) < CHUNK  # one chunk here; chunking is the same query per chunk
