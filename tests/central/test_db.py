"""Engines: SQLite connection settings, PostgreSQL driver selection, transactions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from central.db import POOL_SIZE_ENV, as_utc, make_engine, normalise_url, transaction


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u:p@h:5/db", "postgresql+psycopg://u:p@h:5/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgresql_urls_use_psycopg3(url: str, driver: str) -> None:
    assert normalise_url(url) == driver


def test_transaction_commits_or_rolls_back(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))

    def failing_write() -> None:
        with transaction(engine) as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        failing_write()
    with transaction(engine) as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
    with transaction(engine, write=False) as conn:
        assert conn.execute(text("SELECT x FROM t")).scalars().all() == [2]
    engine.dispose()


def test_naive_datetimes_from_sqlite_are_read_as_utc() -> None:
    from datetime import UTC, datetime

    assert as_utc(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert as_utc(None) is None


def test_a_postgres_process_keeps_a_dozen_connections_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above 5 busy threads SQLAlchemy's default pool closed a connection after each request
    and PostgreSQL forked a new backend for the next; the pool size is also settable."""
    url = "postgresql://fieldcase@127.0.0.1:1/never_connected"
    engine = make_engine(url)
    assert (engine.pool.size(), engine.pool._max_overflow) == (12, 8)  # type: ignore[attr-defined]
    monkeypatch.setenv(POOL_SIZE_ENV, "30")
    assert make_engine(url).pool.size() == 30  # type: ignore[attr-defined]
