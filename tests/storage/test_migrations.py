from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import CacheDb
from storage.migrations import migrate, migrations

STEPS = [m.name for m in migrations._migrations]
KEY = bytes(range(32))


def _schema(cdb: CacheDb) -> set[tuple[str, str]]:
    rows = cdb.query("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(r["name"], r["sql"] or "") for r in rows}


def test_from_an_empty_file(tmp_path: Path) -> None:
    with CacheDb(tmp_path / "c.db", KEY) as cdb:
        assert migrate(cdb.db) == len(STEPS)
        assert migrate(cdb.db) == 0
        assert {"person", "contact", "outbox", "sync_state", "contact_fts"} <= set(
            cdb.db.table_names()
        )


@pytest.mark.parametrize("stop", STEPS[1:])
def test_from_every_earlier_version(tmp_path: Path, stop: str) -> None:
    with CacheDb(tmp_path / "fresh.db", KEY) as fresh:
        migrate(fresh.db)
        expected = _schema(fresh)
    with CacheDb(tmp_path / "old.db", KEY) as old:
        migrations.apply(old.db, stop_before=stop)
        old.execute(
            "INSERT INTO person (id, crn, version, data, search_text)"
            " VALUES ('p1', 'X320741', 3, '{\"surname\": \"Example\"}', 'Example X320741')"
        )
        migrate(old.db)
        assert _schema(old) == expected
        assert old.one("SELECT surname FROM person WHERE id = 'p1'") == "Example"
        # Rows written before the search index existed are indexed by the upgrade.
        assert old.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'example'") == 1


def test_a_failed_step_leaves_the_previous_version(tmp_path: Path) -> None:
    with CacheDb(tmp_path / "c.db", KEY) as cdb:
        migrations.apply(cdb.db, stop_before="m004_local")
        cdb.execute("CREATE TABLE setting (x)")  # makes m004 fail
        with pytest.raises(Exception, match="already exists"):
            migrate(cdb.db)
        assert "m004_local" not in {m.name for m in migrations.applied(cdb.db)}
        assert cdb.one("SELECT count(*) FROM sqlite_master WHERE name = 'audit_queue'") == 0


def test_drafts_arrive_in_an_existing_cache_without_touching_its_records(tmp_path: Path) -> None:
    with CacheDb(tmp_path / "c.db", KEY) as cdb:
        migrations.apply(cdb.db, stop_before="m006_drafts")
        cdb.execute(
            "INSERT INTO person (id, crn, version, data, search_text)"
            " VALUES ('p1', 'X320741', 3, '{\"surname\": \"Example\"}', 'Example X320741')"
        )
        assert migrate(cdb.db) == len(STEPS) - STEPS.index("m006_drafts")
        assert "draft" in cdb.db.table_names()
        assert cdb.one("SELECT count(*) FROM draft") == 0
        assert cdb.one("SELECT count(*) FROM person") == 1
