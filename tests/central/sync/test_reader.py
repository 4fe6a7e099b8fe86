"""The scoped CaseReader: out-of-scope records read as missing; a batch's reads are
checked before its commit on PostgreSQL (`BatchRecords.verify`)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Connection, update

from central.db import is_sqlite, transaction
from central.sync.batch import BatchReader, BatchRecords, ChangedUnderBatch
from central.sync.feed import next_version
from central.sync.reader import SqlCaseReader
from central.tables import records
from tests.central.sync.conftest import World


def test_records_outside_scope_read_as_missing(world: World) -> None:
    mine, theirs = (
        world.plain_case(world.seed.officers[0]),
        world.plain_case(world.seed.officers[1]),
    )
    their_contact = world.records_of(theirs, "contact")[0]
    with world.engine.connect() as conn:
        reader = SqlCaseReader(conn, lambda crn: crn == mine)

        assert reader.get("contact", uuid.UUID(their_contact.id)) is None
        assert reader.case_records(theirs, "contact") == []
        assert len(reader.case_records(mine, "contact")) == len(world.records_of(mine, "contact"))


def _postgres_only(world: World) -> None:
    if is_sqlite(world.engine):
        pytest.skip("SQLite's batch holds the only write lock: nothing changes under it")


def _batch_reads(conn: Connection, crn: str, person_id: str) -> BatchRecords:
    """A batch that read a person by id and listed the case's contacts."""
    batch = BatchRecords(conn)
    reader = BatchReader(conn, lambda _crn: True, batch)
    assert reader.get("person", uuid.UUID(person_id)) is not None
    reader.case_records(crn, "contact")
    return batch


def test_a_batch_finds_its_reads_as_it_left_them_when_nobody_else_wrote(world: World) -> None:
    _postgres_only(world)
    crn = world.plain_case(world.seed.officers[0])
    person = world.records_of(crn, "person")[0]
    with world.engine.connect() as conn:
        batch = _batch_reads(conn, crn, person.id)
        batch.verify({crn})  # nothing changed: no error


def test_verify_notices_a_write_to_a_record_read_by_id(world: World) -> None:
    """A writer that skipped the case lock changed a record the batch decided on."""
    _postgres_only(world)
    crn = world.plain_case(world.seed.officers[0])
    person = world.records_of(crn, "person")[0]
    with world.engine.connect() as conn:
        batch = _batch_reads(conn, crn, person.id)
        conn.rollback()  # a fresh statement sees what committed since (READ COMMITTED)
        with transaction(world.engine) as writer:
            writer.execute(
                update(records)
                .where(records.c.id == person.id)
                .values(version=next_version(writer))
            )

        with pytest.raises(ChangedUnderBatch):
            batch.verify({crn})
        batch.verify(set())  # a case the batch does not hold is not its to check


def test_verify_notices_a_new_record_in_a_listed_case(world: World) -> None:
    _postgres_only(world)
    crn = world.plain_case(world.seed.officers[0])
    person = world.records_of(crn, "person")[0]
    template = world.records_of(crn, "contact")[0]
    with world.engine.connect() as conn:
        batch = _batch_reads(conn, crn, person.id)
        conn.rollback()
        with transaction(world.engine) as writer:
            writer.execute(
                records.insert().values(
                    id=str(uuid.uuid4()),
                    kind="contact",
                    crn=crn,
                    version=next_version(writer),
                    deleted=False,
                    data=dict(template.data),
                    field_versions={},
                    updated_at=template.updated_at,
                )
            )

        with pytest.raises(ChangedUnderBatch):
            batch.verify({crn})
