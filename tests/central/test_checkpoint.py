"""WAL checkpoints on the engine's own thread: never inside a commit, bounded, stoppable."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from central.checkpoint import FALLBACK_PAGES, Checkpointer
from central.db import checkpointer_of, make_engine, transaction

WAIT_S = 30.0  # generous upper bound for a loaded CI machine; normally milliseconds
ROW = "x" * 3000  # about one page per row


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine) as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine, path
    engine.dispose()


def _checkpointer(engine: Engine) -> Checkpointer:
    found = checkpointer_of(engine)
    assert found is not None
    return found


def _write(engine: Engine, rows: int) -> None:
    with transaction(engine) as conn:
        conn.execute(text("INSERT INTO t (body) VALUES (:body)"), [{"body": ROW}] * rows)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wal_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_connections_leave_checkpoints_to_the_thread(db: tuple[Engine, Path]) -> None:
    engine, _path = db
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == FALLBACK_PAGES
    assert checkpointer_of(make_engine("sqlite://")) is None  # in memory: no WAL
    assert checkpointer_of(make_engine("postgresql://u@localhost/db")) is None  # no connection


def test_commits_never_write_the_database_file(db: tuple[Engine, Path]) -> None:
    """Only the checkpointer copies pages into the database file, never a committing writer
    (SQLite's own would have, at 1,000 pages)."""
    engine, path = db
    checkpointer = _checkpointer(engine)
    assert checkpointer.wait_caught_up(WAIT_S)
    before = _digest(path)
    with checkpointer.paused():
        for _ in range(6):
            _write(engine, 250)  # 1,500 pages in all
        assert _digest(path) == before
        assert _wal_bytes(path) > 1000 * 4096
    assert checkpointer.wait_caught_up(WAIT_S)
    assert _digest(path) != before
    assert checkpointer.last is not None
    assert checkpointer.last.copied_frames == checkpointer.last.log_frames


def test_the_log_starts_over_when_writers_leave_it_time(db: tuple[Engine, Path]) -> None:
    """Writes with a pause between them (a laptop pushing batch after batch): each writer
    finds the log copied and starts it from the beginning, so it stays one write long."""
    engine, path = db
    checkpointer = _checkpointer(engine)
    sizes = []
    for _ in range(12):
        _write(engine, 100)
        assert checkpointer.wait_caught_up(WAIT_S)
        sizes.append(_wal_bytes(path))
    assert max(sizes) <= 2 * sizes[0]  # without checkpoints it would grow twelvefold


def test_a_long_log_is_truncated(db: tuple[Engine, Path]) -> None:
    """Back-to-back writers can keep the log from starting over: past `truncate_frames`
    the checkpointer empties it."""
    engine, path = db
    checkpointer = _checkpointer(engine)
    checkpointer.truncate_frames = 300
    with checkpointer.paused():
        for _ in range(4):
            _write(engine, 100)
    assert checkpointer.wait_caught_up(WAIT_S)
    assert checkpointer.truncations == 1
    assert _wal_bytes(path) == 0


def test_writers_never_fail_while_it_checkpoints(db: tuple[Engine, Path]) -> None:
    """Even when every checkpoint also truncates (taking the write lock for a moment),
    concurrent writers only wait on their busy timeout."""
    engine, _path = db
    checkpointer = _checkpointer(engine)
    checkpointer.truncate_frames = 1
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(60):
                _write(engine, 3)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert checkpointer.wait_caught_up(WAIT_S)
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 3 * 60 * 3
    assert checkpointer.runs > 0


def test_the_thread_ends_with_the_engine_and_when_idle(db: tuple[Engine, Path]) -> None:
    engine, path = db
    checkpointer = _checkpointer(engine)
    _write(engine, 1)
    assert checkpointer.thread is not None
    engine.dispose()
    assert checkpointer.thread is None
    # An engine used after dispose() starts it again; idle, it ends by itself.
    checkpointer.idle_seconds = 0.01
    _write(engine, 1)
    thread = checkpointer.thread
    if thread is not None:
        thread.join(WAIT_S)
        assert not thread.is_alive()
    assert checkpointer.thread is None
    assert path.exists()


def test_postgresql_engines_get_no_checkpointer(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with transaction(engine) as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        expected = database_url.startswith("sqlite")
        assert (checkpointer_of(engine) is not None) is expected
    finally:
        engine.dispose()
