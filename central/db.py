"""Database engines for the central service: SQLite (embedded default) or PostgreSQL.

SQLite gets WAL (readers never block the writer), foreign keys and a busy
timeout on every connection, and transactions begun explicitly so a writer can
take the write lock up front (`BEGIN IMMEDIATE`) instead of failing with
"database is locked" when a read transaction tries to upgrade. A SQLite file's WAL
is checkpointed by a thread of the engine's own (`central.checkpoint`), not inside
the commits of requests. PostgreSQL goes through psycopg 3, each connection with an
idle-in-transaction and a statement timeout: the change feed's watermark is the oldest
transaction running on the cluster, so one left open (a crashed handler, a stuck
query) would hold every laptop's pull back to it (`central.sync.feed`).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from central.checkpoint import FALLBACK_PAGES, Checkpointer

BUSY_TIMEOUT_MS = 10_000
# PostgreSQL: no request keeps a transaction idle for a second, and none runs a statement
# for minutes (the longest, a migration's index build on a national database, for tens
# of seconds); past these the server ends it and X moves on.
IDLE_IN_TRANSACTION_MS = 60_000
STATEMENT_TIMEOUT_MS = 300_000
POOL_SIZE_ENV = "FIELDCASE_CENTRAL_DB_POOL_SIZE"
POOL_OVERFLOW_ENV = "FIELDCASE_CENTRAL_DB_MAX_OVERFLOW"
IMMEDIATE = "fieldcase_immediate"
_COMMITTED = "fieldcase_committed"
_checkpointers: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and pin them to the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url if isinstance(engine_or_url, str) else str(engine_or_url.url)
    return make_url(url).get_backend_name() == "sqlite"


def json_text(value: Any) -> str:
    """The text of a JSON column's value: compact and UTF-8, as pydantic writes JSON on the
    wire (pull splices stored `data` into its answers as is). pydantic's Rust encoder is
    about 4x faster than `json.dumps`, and a push batch writes four JSON values a mutation."""
    return to_json(value).decode()


def make_engine(url: str, *, background_checkpoints: bool = True, **kwargs: Any) -> Engine:
    """An engine for `url` with the per-connection settings the service relies on.

    `background_checkpoints=False` leaves a SQLite file's checkpoints to SQLite (inside
    the commit that takes the WAL past 1,000 pages), as a one-off tool may prefer.
    """
    url = normalise_url(url)
    kwargs.setdefault("json_serializer", json_text)
    if is_sqlite(url):
        engine = create_engine(url, **kwargs)
        path = engine.url.database
        on_file = bool(path) and path != ":memory:" and not str(path).startswith("file:")
        checkpointer = Checkpointer(str(path)) if background_checkpoints and on_file else None
        _configure_sqlite(engine, checkpointer)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault(
        "options",
        f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
        f" -c statement_timeout={STATEMENT_TIMEOUT_MS}",
    )
    # Connections kept open per process. SQLAlchemy's default of 5 closed the overflow
    # connection after every request once more than 5 threads were busy, and each new
    # PostgreSQL connection is a backend forked and authenticated: a busy morning paid that
    # on most requests (docs/central.md, "Morning model").
    kwargs.setdefault("pool_size", int(os.environ.get(POOL_SIZE_ENV, "12")))
    kwargs.setdefault("max_overflow", int(os.environ.get(POOL_OVERFLOW_ENV, "8")))
    return create_engine(url, **kwargs)


def checkpointer_of(engine: Engine) -> Checkpointer | None:
    """The engine's WAL checkpointer (SQLite files only), for tests and operations."""
    return _checkpointers.get(engine)


def _configure_sqlite(engine: Engine, checkpointer: Checkpointer | None) -> None:
    autocheckpoint = FALLBACK_PAGES if checkpointer is not None else 1000

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred-only).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint}")
        cursor.close()

    if checkpointer is not None:
        _checkpoint_after_commits(engine, checkpointer)

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _checkpoint_after_commits(engine: Engine, checkpointer: Checkpointer) -> None:
    """Poke the checkpointer when a connection that committed is back in the pool: the
    commit is complete by then (SQLAlchemy's "commit" event comes before it)."""
    _checkpointers[engine] = checkpointer

    @event.listens_for(engine, "commit")
    def on_commit(conn: Connection) -> None:
        conn.info[_COMMITTED] = True

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None and record.info.pop(_COMMITTED, False):
            checkpointer.poke()

    @event.listens_for(engine, "engine_disposed")
    def on_dispose(_engine: Engine) -> None:
        checkpointer.stop()


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Connection]:
    """One transaction, committed on success and rolled back on any exception.

    `write=True` takes SQLite's write lock at BEGIN, so concurrent writers queue
    on the busy timeout instead of deadlocking; on PostgreSQL it changes nothing.
    """
    with engine.connect() as conn:
        if write:
            conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            yield conn


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands timezone-aware columns back naive; they were written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
