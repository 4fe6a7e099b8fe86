"""The cache schema, only ever changed through sqlite-utils `Migrations`.

Each step is applied once, in order, inside a transaction with the record of it
having run, so an interrupted upgrade leaves the previous version intact. Never edit a
released step: add a new one (tests upgrade from every earlier version).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from storage.schema import (
    DEFERRED_INDEX_TABLE,
    FIRST_KINDS,
    RECORD_KINDS,
    SEARCHED,
    fts_sql,
    id_index_sql,
    record_table_sql,
)

migrations = Migrations("fieldcase_cache")


def _run(db: sqlite_utils.Database, statements: list[str]) -> None:
    for statement in statements:
        db.conn.execute(statement)


@migrations()
def m001_records(db: sqlite_utils.Database) -> None:
    """One table per synced kind, the held cases, and shadow copies for rebase."""
    for kind in FIRST_KINDS:
        _run(db, record_table_sql(kind))
    _run(
        db,
        [
            "CREATE TABLE held_case (crn TEXT PRIMARY KEY, pinned INTEGER NOT NULL DEFAULT 0,"
            " received_at TEXT NOT NULL)",
            # The server's copy of a record a pending local mutation overwrote;
            # data NULL = the record does not exist on the server (created here).
            # Few rows (only records with unsent changes): no index beyond the key, so a
            # local save touches one page here, not three.
            "CREATE TABLE shadow (kind TEXT NOT NULL, id TEXT NOT NULL, crn TEXT NOT NULL,"
            " version INTEGER NOT NULL, data TEXT, PRIMARY KEY (kind, id)) WITHOUT ROWID",
        ],
    )


@migrations()
def m002_outbox(db: sqlite_utils.Database) -> None:
    """The outbox, sync state, and conflicts/rejections kept as rows."""
    _run(
        db,
        [
            """CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  mutation_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  args TEXT NOT NULL,
  crns TEXT NOT NULL DEFAULT '[]',
  base_versions TEXT NOT NULL DEFAULT '{}',
  actor TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'applied', 'conflict', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL
)""",
            "CREATE INDEX outbox_state ON outbox (state, seq)",
            """CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  client_id TEXT NOT NULL,
  cursor TEXT,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_acked_seq INTEGER NOT NULL DEFAULT 0,
  pulled_applied_seq INTEGER NOT NULL DEFAULT 0,
  last_success TEXT,
  last_error TEXT
)""",
            """CREATE TABLE conflict (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, mutation_id TEXT NOT NULL, crn TEXT NOT NULL,
  name TEXT NOT NULL, args TEXT NOT NULL, fields TEXT NOT NULL, created_at TEXT NOT NULL,
  resolved_at TEXT
)""",
            """CREATE TABLE rejection (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, mutation_id TEXT NOT NULL, crn TEXT NOT NULL,
  name TEXT NOT NULL, args TEXT NOT NULL, code TEXT, message TEXT NOT NULL,
  created_at TEXT NOT NULL, dismissed_at TEXT
)""",
        ],
    )


@migrations()
def m003_search(db: sqlite_utils.Database) -> None:
    """Full-text indexes over names, aliases, CRN (person) and contact text."""
    for kind in SEARCHED:
        _run(db, fts_sql(kind))
        # Rows cached before this step get indexed too.
        db.conn.execute(f"INSERT INTO {kind}_fts({kind}_fts) VALUES ('rebuild')")  # noqa: S608


@migrations()
def m004_local(db: sqlite_utils.Database) -> None:
    """Reference data, office locations, the offline case-view audit queue, settings."""
    _run(
        db,
        [
            "CREATE TABLE reference_data (name TEXT PRIMARY KEY, version TEXT NOT NULL,"
            " data TEXT NOT NULL)",
            "CREATE TABLE office_location (code TEXT PRIMARY KEY, description TEXT NOT NULL,"
            " data TEXT NOT NULL DEFAULT '{}')",
            "CREATE TABLE audit_queue (id INTEGER PRIMARY KEY, mutation_id TEXT,"
            " crn TEXT NOT NULL, action TEXT NOT NULL, at TEXT NOT NULL,"
            " record_ids TEXT NOT NULL DEFAULT '[]')",
            "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ],
    )


@migrations()
def m005_open_appointments(db: sqlite_utils.Database) -> None:
    """Appointments without an outcome, by date: "needs an outcome" and "next appointment"
    read a handful of index entries instead of every contact."""
    _run(
        db,
        [
            # Appointments always have a start time; a note or a call without one stays
            # out of these indexes, so saving it writes no extra pages.
            "CREATE INDEX contact_open ON contact (date, start_time)"
            " WHERE outcome_code IS NULL AND start_time IS NOT NULL",
            "CREATE INDEX contact_open_case ON contact (crn, date, start_time)"
            " WHERE outcome_code IS NULL AND start_time IS NOT NULL",
        ],
    )


@migrations()
def m006_drafts(db: sqlite_utils.Database) -> None:
    """Unfinished forms (they hold notes: personal data, so they live in the encrypted
    cache, never in a settings file). One row per form kind, case and contact."""
    _run(
        db,
        [
            "CREATE TABLE draft (key TEXT PRIMARY KEY, kind TEXT NOT NULL, crn TEXT NOT NULL,"
            " contact_id TEXT NOT NULL DEFAULT '', data TEXT NOT NULL, saved_at TEXT NOT NULL)",
            "CREATE INDEX draft_crn ON draft (crn)",
        ],
    )


@migrations()
def m007_deferred_indexes(db: sqlite_utils.Database) -> None:
    """Where a pull from scratch keeps the indexes it dropped until its last page
    (schema.DEFERRABLE_INDEXES): their CREATE statements, to build them again."""
    _run(db, [DEFERRED_INDEX_TABLE])


@migrations()
def m008_pull_from_scratch(db: sqlite_utils.Database) -> None:
    """Whether a pull from scratch (a first sync, a re-download) is part-way: set by its
    first page, cleared by its last, so one resumed after a crash or a restart still
    goes a chunk of pages at a time (storage/chunked.py)."""
    _run(
        db,
        ["ALTER TABLE sync_state ADD COLUMN pull_from_scratch INTEGER NOT NULL DEFAULT 0"],
    )


@migrations()
def m009_push_health(db: sqlite_utils.Database) -> None:
    """How many syncs in a row failed with the same oldest waiting change (push_health.py):
    kept across restarts, so a stuck queue is said plainly however often the app or
    `fieldcase-sync` starts."""
    _run(
        db,
        [
            "CREATE TABLE push_health (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " head_seq INTEGER NOT NULL, failures INTEGER NOT NULL,"
            " first_failed_at TEXT NOT NULL, last_failed_at TEXT NOT NULL)"
        ],
    )


@migrations()
def m011_kept_cases(db: sqlite_utils.Database) -> None:
    """Cases kept from outside the caseload, with why and until when by this laptop's own
    clock (storage/kept.py): a keep lapses here even when the laptop stays offline."""
    _run(
        db,
        [
            "CREATE TABLE kept_case (crn TEXT PRIMARY KEY, reason TEXT NOT NULL,"
            " reason_text TEXT NOT NULL DEFAULT '', kept_until TEXT NOT NULL)"
        ],
    )


@migrations()
def m013_field_day(db: sqlite_utils.Database) -> None:
    """The field day's records: the OASys RoSH summary and the person's photo (each a
    synced kind of its own, evicted with its case like every other)."""
    for kind in ("rosh", "photo"):
        _run(db, record_table_sql(kind))


@migrations()
def m014_documents(db: sqlite_utils.Database) -> None:
    """Documents: their records, their bytes (encrypted like every page here), the text
    search reads inside them, pins, and which queued changes wait for which bytes."""
    from storage.documents import SCHEMA

    _run(db, [*record_table_sql("document"), *SCHEMA])


@migrations()
def m016_team_and_cover(db: sqlite_utils.Database) -> None:
    """Cover for a colleague (the period and the cases it brought, so the laptop lets them
    go on its own clock) and the last team caseload read, kept for reading offline (both
    name people: they live in the encrypted cache); an index of open alerts."""
    _run(
        db,
        [
            "CREATE TABLE cover (id TEXT PRIMARY KEY, staff_code TEXT NOT NULL,"
            " colleague TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,"
            " reason TEXT NOT NULL, visits_only INTEGER NOT NULL DEFAULT 0,"
            " crns TEXT NOT NULL DEFAULT '[]', ended_at TEXT)",
            "CREATE TABLE team_copy (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " fetched_at TEXT NOT NULL, body TEXT NOT NULL)",
            # The alerts inbox and its count read only open alerts, not every contact.
            "CREATE INDEX contact_open_alert ON contact (crn)"
            " WHERE json_extract(data, '$.alert') = 1"
            " AND json_extract(data, '$.alert_cleared_at') IS NULL",
        ],
    )


@migrations()
def m017_record_id_index(db: sqlite_utils.Database) -> None:
    """Each record table's `id` unique through a named index (`<kind>_id`) instead of a
    `UNIQUE` column constraint, whose index SQLite cannot drop: a pull from scratch now
    drops it with its first page and builds it with its last (storage/deferred.py).

    Tables made since this step already have that shape (schema.record_table_sql) and
    are left as they are; an older one is rebuilt (`_rebuild_without_unique_id`)."""
    for kind in RECORD_KINDS:
        _rebuild_without_unique_id(db, kind)


_UNIQUE_ID = "\n  id TEXT NOT NULL UNIQUE,\n"


def _rebuild_without_unique_id(db: sqlite_utils.Database, kind: str) -> None:
    """SQLite's documented table rebuild (https://sqlite.org/lang_altertable.html,
    "otheralter"), inside the migration's transaction: the table is renamed away,
    made again from its own CREATE statement without `UNIQUE`, every row copied with
    its `seq` (the search index is external content keyed by `seq`, so it stays valid as
    it is, and is not rewritten), the old table dropped (its pages zeroed: `secure_delete`),
    then its indexes and triggers made again from their own statements. No foreign key
    refers to a record table. Indexes and triggers a pull from scratch has deferred stay
    deferred (`deferred_index` still lists them). Measured in docs/storage.md."""
    conn = db.conn
    found = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (kind,)
    ).fetchone()
    if found is None or _UNIQUE_ID not in found[0]:
        return  # made by record_table_sql since m017
    remade = found[0].replace(_UNIQUE_ID, "\n  id TEXT NOT NULL,\n", 1)
    dependants = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ?"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
        (kind,),
    ).fetchall()
    # Stored columns only: SQLite computes the generated ones (hidden 2 and 3) itself.
    columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA table_xinfo({kind})") if r[6] == 0)
    old = f"m017_old_{kind}"
    for kind_of, name, _ in dependants:
        if kind_of == "trigger":  # dropped first: no trigger fires while rows move
            conn.execute(f"DROP TRIGGER {name}")
    conn.execute(f"ALTER TABLE {kind} RENAME TO {old}")
    conn.execute(remade)
    conn.execute(f"INSERT INTO {kind} ({columns}) SELECT {columns} FROM {old} ORDER BY seq")  # noqa: S608
    conn.execute(f"DROP TABLE {old}")
    conn.execute(id_index_sql(kind))
    for _, _, sql in dependants:
        conn.execute(sql)


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the schema up to date; returns how many steps ran."""
    pending = len(migrations.pending(db))
    migrations.apply(db)
    return pending
