"""Alembic environment: migrates the database the service (or a test) hands it.

The caller passes an open connection in `config.attributes["connection"]`
(see `central.migrate`); the URL form is only for the `alembic` command line.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from central.db import make_engine
from central.tables import metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass a connection or set sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()


main()
