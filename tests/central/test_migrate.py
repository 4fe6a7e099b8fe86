"""Migrations: `upgrade head` builds exactly the schema central/tables.py declares."""

from __future__ import annotations

import pytest
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


def test_upgrade_keeps_existing_rows(database_url: str) -> None:
    """A database made by the first release upgrades with its users and devices intact."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from central.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine, "0001")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (username, password_hash, active, is_admin, failed_logins,"
                " password_changed_at, created_at) VALUES ('u1', 'h', true, false, 2, :t, :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO devices (id, username, name, registered_at) VALUES"
                " ('d1', 'u1', 'laptop', :t)"
            ),
            {"t": now},
        )
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM users")).scalars().all() == ["u1"]
        assert conn.execute(text("SELECT id FROM devices")).scalars().all() == ["d1"]
        if conn.dialect.name == "sqlite":  # switched off only while migrating
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_migrations_of_one_database_all_succeed(postgres_url: str) -> None:
    """Several API hosts start (and migrate) at once: none fails, the schema is made once.
    (PostgreSQL only: on SQLite `serve` migrates once before its workers start.)"""
    import subprocess
    import sys

    database_url = postgres_url
    command = [sys.executable, "-m", "central.cli", "migrate", "--database-url", database_url]
    running = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in running]
    assert [process.returncode for process in running] == [0, 0, 0], outputs
    engine = make_engine(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        counter = conn.execute(select(feed_counter.c.value)).scalars().all()
    engine.dispose()
    assert differences == []
    assert counter == [0]
