"""m017: caches made before it, whose record tables had `id TEXT NOT NULL UNIQUE` (an
index SQLite cannot drop), are rebuilt with a named `<kind>_id` unique index, keeping
every row, its `seq` (the search index's rowid), the search answers and the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage import migrations as migrations_module
from storage import records, state
from storage.db import CacheDb, IntegrityError
from storage.deferred import build_deferred_indexes
from storage.migrations import migrate, migrations
from storage.pulled import apply_pull_page
from storage.queries.search import search
from storage.schema import RECORD_KINDS, SEARCHED, record_table_sql
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, contact_args, make_case

KEY = bytes(range(32))
STEP = "m017_record_id_index"
QUERIES = ("employment", "empl", "discussed employment plans", "Smith", "X100002", "visit")


def _legacy_record_table_sql(kind: str) -> list[str]:
    """record_table_sql as it was before m017: `UNIQUE` on the column, no named index."""
    table, *rest = record_table_sql(kind)
    old = table.replace("\n  id TEXT NOT NULL,\n", "\n  id TEXT NOT NULL UNIQUE,\n")
    assert old != table
    return [old, *(s for s in rest if not s.startswith("CREATE UNIQUE INDEX"))]


@pytest.fixture
def old(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CacheDb]:
    """A cache at m016, made by the steps as they ran then."""
    with monkeypatch.context() as then:
        then.setattr(migrations_module, "record_table_sql", _legacy_record_table_sql)
        cdb = CacheDb(tmp_path / "old.db", KEY)
        migrations.apply(cdb.db, stop_before=STEP)
    state.ensure(cdb)
    yield cdb
    cdb.close()


def _schema(cdb: CacheDb) -> set[tuple[str, str]]:
    rows = cdb.query("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(r["name"], r["sql"] or "") for r in rows}


def _fill(cdb: CacheDb) -> None:
    """Cases pulled, one evicted (seq gaps), and local changes waiting in the outbox."""
    names = ("Smith", "Jones", "Patel")
    cases = [make_case(f"X10000{n}", surname=names[n], contacts=3 + n) for n in range(3)]
    apply_pull_page(cdb, snapshots=[c.snapshot() for c in cases], cursor="c1", last_applied_seq=0)
    apply_pull_page(cdb, evicted=[cases[1].crn], cursor="c2", last_applied_seq=0)
    for crn in (cases[0].crn, cases[2].crn):
        apply_local_mutation(
            cdb, "record_contact", contact_args(crn), actor=OFFICER, today=TODAY, now=NOW
        )


def _contents(cdb: CacheDb) -> dict[str, Any]:
    """Every row of every record table (with its seq and generated columns), the outbox,
    and what the app's search answers."""
    found: dict[str, Any] = {
        kind: cdb.query(f"SELECT * FROM {kind} ORDER BY seq") for kind in RECORD_KINDS
    }
    found["outbox"] = cdb.query("SELECT * FROM outbox ORDER BY seq")
    found["shadow"] = cdb.query("SELECT * FROM shadow ORDER BY kind, id")
    found["search"] = {q: list(search(cdb, q)) for q in QUERIES}
    found["fts"] = {
        kind: cdb.query(f"SELECT rowid FROM {kind}_fts WHERE {kind}_fts MATCH 'e*' ORDER BY rowid")
        for kind in SEARCHED
    }
    return found


def _intact(cdb: CacheDb) -> None:
    assert cdb.one("PRAGMA integrity_check") == "ok"
    for kind in SEARCHED:  # rank 1: the index is also compared with the table's text
        cdb.execute(f"INSERT INTO {kind}_fts({kind}_fts, rank) VALUES ('integrity-check', 1)")


def test_an_old_cache_is_rebuilt_with_every_row_seq_and_search_answer(
    old: CacheDb, tmp_path: Path
) -> None:
    assert "UNIQUE" in old.one("SELECT sql FROM sqlite_master WHERE name = 'contact'")
    _fill(old)
    before = _contents(old)
    assert before["outbox"]
    assert before["shadow"]
    assert any(before["search"].values())
    assert len({r["seq"] for r in before["contact"]}) < old.one("SELECT max(seq) FROM contact")

    assert migrate(old.db) == 1

    with CacheDb(tmp_path / "fresh.db", KEY) as fresh:
        migrate(fresh.db)
        assert _schema(old) == _schema(fresh)  # the same statements, byte for byte
    assert _contents(old) == before
    _intact(old)
    autoindexes = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_%'"
    assert old.one(autoindexes + " AND tbl_name IN ('person', 'contact')") == 0
    # `id` is still unique, and records.put's upsert still finds its conflict target.
    row = before["contact"][0]
    with pytest.raises(IntegrityError), old.atomic():
        old.execute(
            "INSERT INTO contact (id, crn, version, data) VALUES (?, ?, 1, '{}')",
            (row["id"], row["crn"]),
        )
    with old.atomic():
        data = {"type_code": "CHVS", "date": "2026-12-01", "notes": "Upsert after m017"}
        records.put(old, "contact", row["id"], crn=row["crn"], version=9, data=data)
    assert old.one("SELECT seq FROM contact WHERE id = ?", (row["id"],)) == row["seq"]
    assert [r.crn for r in search(old, "upsert after")] == [row["crn"]]
    _intact(old)


def test_indexes_a_first_sync_deferred_stay_deferred_and_build_after(old: CacheDb) -> None:
    first, last = make_case("X100001"), make_case("X100002")
    apply_pull_page(
        old, snapshots=[first.snapshot()], cursor="c1", last_applied_seq=0, more_to_come=True
    )
    deferred = {r["name"] for r in old.query("SELECT name FROM deferred_index")}
    assert deferred == {"contact_i1", "contact_open", "contact_fts"}  # no id index to drop

    migrate(old.db)

    assert {r["name"] for r in old.query("SELECT name FROM deferred_index")} == deferred
    assert old.one("SELECT 1 FROM sqlite_master WHERE name = 'contact_i1'") is None
    assert old.one("SELECT 1 FROM sqlite_master WHERE name = 'contact_fts_ai'") is None
    assert build_deferred_indexes(old) == len(deferred)
    apply_pull_page(old, snapshots=[last.snapshot()], cursor="c2", last_applied_seq=0)
    _intact(old)
    assert {r.crn for r in search(old, "employment")} == {first.crn, last.crn}


def test_a_new_cache_has_the_named_index_and_m017_changes_nothing(tmp_path: Path) -> None:
    with CacheDb(tmp_path / "c.db", KEY) as cdb:
        migrations.apply(cdb.db, stop_before=STEP)
        made = _schema(cdb)
        assert ("contact_id", "CREATE UNIQUE INDEX contact_id ON contact (id)") in made
        migrate(cdb.db)
        assert _schema(cdb) == made
