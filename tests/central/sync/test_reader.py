"""The scoped CaseReader: out-of-scope records read as missing; reads are re-checkable."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from central.db import transaction
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


def test_unchanged_notices_a_write_since_the_read(world: World) -> None:
    crn = world.plain_case(world.seed.officers[0])
    person = world.records_of(crn, "person")[0]
    with world.engine.connect() as conn:
        reader = SqlCaseReader(conn, lambda _crn: True)
        stored = reader.get("person", uuid.UUID(person.id))
        reader.case_records(crn, "contact")
        conn.rollback()  # end the read transaction, as a fresh statement would see new data
        assert stored is not None
        assert reader.unchanged()
        conn.rollback()

        with transaction(world.engine) as writer:
            writer.execute(
                update(records)
                .where(records.c.id == person.id)
                .values(version=next_version(writer))
            )

        assert not reader.unchanged()


def test_unchanged_notices_a_new_record_in_a_listed_case(world: World) -> None:
    crn = world.plain_case(world.seed.officers[0])
    template = world.records_of(crn, "contact")[0]
    with world.engine.connect() as conn:
        reader = SqlCaseReader(conn, lambda _crn: True)
        reader.case_records(crn, "contact")
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

        assert not reader.unchanged()
