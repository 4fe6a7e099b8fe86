"""Schema migrations: `alembic upgrade head` run in-process, no alembic.ini needed.

The Alembic Config is built in code with the migrations folder found as a
package resource, so an installed service migrates the same as a checkout.
"""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from central.db import make_engine

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "central:migrations")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of `engine`'s database up to `revision`."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    log.info("database migrated to %s", revision)


def migrate(url: str) -> None:
    """Migrate the database at `url` (the `fieldcase-central migrate` command)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
