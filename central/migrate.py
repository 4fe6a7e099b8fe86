"""Schema migrations: `alembic upgrade head` run in-process, no alembic.ini needed.

The Alembic Config is built in code with the migrations folder found as a
package resource, so an installed service migrates the same as a checkout.
"""

from __future__ import annotations

import logging
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from central.db import IMMEDIATE, make_engine

log = logging.getLogger(__name__)
# Any fixed number: every process migrating one PostgreSQL database takes this lock.
MIGRATION_LOCK = 0x46434D47  # "FCMG"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "central:migrations")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of `engine`'s database up to `revision`, in one transaction.

    On SQLite, foreign keys are off while migrating: Alembic's batch mode rebuilds
    a table by copy-and-rename, which must not cascade or fail on the rows that
    reference it. The keys are checked before the transaction commits.
    On PostgreSQL an advisory lock makes concurrent migrators (several API hosts
    starting at once) run one after another: the later ones find the schema current.
    """
    config = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # outside any transaction, where this pragma takes effect
            _driver(conn).execute("PRAGMA foreign_keys=OFF")
            # The write lock from BEGIN: a second migrator waits instead of failing.
            conn.execution_options(**{IMMEDIATE: True})
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("migration left rows with broken foreign keys")
        finally:
            if sqlite:
                _driver(conn).execute("PRAGMA foreign_keys=ON")
    log.info("database migrated to %s", revision)


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


def migrate(url: str) -> None:
    """Migrate the database at `url` (the `fieldcase-central migrate` command)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
