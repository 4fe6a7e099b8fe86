"""Migrations: `upgrade head` builds exactly the schema central/tables.py declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from central.db import make_engine
from central.migrate import migrate
from central.tables import feed_counter, metadata


def test_upgrade_matches_the_declared_schema(database_url: str) -> None:
    migrate(database_url)
    migrate(database_url)  # a second run is a no-op
    engine = make_engine(database_url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        counter = conn.execute(select(feed_counter.c.id, feed_counter.c.value)).all()
    engine.dispose()
    assert set(metadata.tables) <= tables
    assert differences == [], "tables.py changed without a migration: add an Alembic revision"
    assert [tuple(row) for row in counter] == [(1, 0)]
