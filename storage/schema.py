"""The record tables' shape: which JSON fields get a typed (generated) column and index.

Each synced kind is stored as its full JSON (`data`, the domain entity's
`model_dump(mode="json")`) plus generated columns for what queries filter and sort on.
Generated columns are computed by SQLite from `data`, so they can never disagree with it.
"""

from __future__ import annotations

from typing import Final

RECORD_KINDS: Final = (
    "person",
    "address",
    "event",
    "requirement",
    "licence_condition",
    "contact",
    "registration",
    "document",
    "rosh",
    "photo",
)
# The kinds the first migration made tables for (m001 must keep making exactly these;
# later kinds get their tables from their own migration, e.g. m013).
FIRST_KINDS: Final = RECORD_KINDS[:7]

# kind -> ((column, json path, SQL type), ...)
GENERATED: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    "person": (
        ("surname", "$.surname", "TEXT"),
        ("first_name", "$.first_name", "TEXT"),
        ("date_of_birth", "$.date_of_birth", "TEXT"),
        ("tier", "$.tier", "TEXT"),
        ("staff_code", "$.staff_code", "TEXT"),
    ),
    "address": (("status", "$.status", "TEXT"),),
    "event": (("number", "$.number", "INTEGER"), ("active", "$.active", "INTEGER")),
    "requirement": (
        ("event_id", "$.event_id", "TEXT"),
        ("category_code", "$.category_code", "TEXT"),
    ),
    "licence_condition": (("event_id", "$.event_id", "TEXT"),),
    "contact": (
        ("date", "$.date", "TEXT"),
        ("start_time", "$.start_time", "TEXT"),
        ("type_code", "$.type_code", "TEXT"),
        ("outcome_code", "$.outcome_code", "TEXT"),
        ("event_id", "$.event_id", "TEXT"),
        ("requirement_id", "$.requirement_id", "TEXT"),
        ("staff_code", "$.staff_code", "TEXT"),
        ("sensitive", "$.sensitive", "INTEGER"),
    ),
    "registration": (
        ("type_code", "$.type_code", "TEXT"),
        ("deregistered_on", "$.deregistered_on", "TEXT"),
    ),
    "document": (
        ("contact_id", "$.contact_id", "TEXT"),
        ("sha256", "$.sha256", "TEXT"),
        ("added_on", "$.added_on", "TEXT"),
    ),
    "rosh": (),
    "photo": (),
}

INDEXES: Final[dict[str, tuple[str, ...]]] = {
    "person": ("crn", "surname, first_name"),
    "address": ("crn",),
    "event": ("crn",),
    "requirement": ("crn",),
    "licence_condition": ("crn",),
    # A case's contacts are found by crn first; other filters run within the case.
    "contact": ("crn, date, start_time", "staff_code, date"),
    "registration": ("crn",),
    "document": ("crn, added_on", "sha256"),
    "rosh": ("crn",),
    "photo": ("crn",),
}

# Kinds with a full-text index over their `search_text` column.
# Prefix indexes up to PREFIX_INDEXED letters make a word being typed as fast as a whole
# word; longer prefixes are looked up by their first PREFIX_INDEXED letters and checked.
SEARCHED: Final = ("person", "contact")
PREFIX_INDEXED: Final = 5


def record_table_sql(kind: str) -> list[str]:
    """CREATE statements for one kind: table, generated columns, indexes.

    `id` is unique through a named index (`id_index_sql`), not a `UNIQUE` column
    constraint, so a pull from scratch can drop it and build it once at the end
    (DEFERRABLE_ID_INDEXES); caches made before m017 are rebuilt to this shape."""
    generated = "".join(
        f",\n  {col} {typ} GENERATED ALWAYS AS (json_extract(data, '{path}')) STORED"
        for col, path, typ in GENERATED[kind]
    )
    statements = [
        f"""CREATE TABLE {kind} (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  crn TEXT NOT NULL,
  version INTEGER NOT NULL,
  pending INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL,
  search_text TEXT NOT NULL DEFAULT ''{generated}
)"""
    ]
    statements.append(id_index_sql(kind))
    for number, columns in enumerate(INDEXES[kind]):
        statements.append(f"CREATE INDEX {kind}_i{number} ON {kind} ({columns})")
    return statements


def id_index_sql(kind: str) -> str:
    """The unique index of a record table's `id` (records.put's `ON CONFLICT (id)`)."""
    return f"CREATE UNIQUE INDEX {kind}_id ON {kind} (id)"


def fts_sql(kind: str) -> list[str]:
    """An external-content FTS5 index kept in step by triggers, inside the writer's
    transaction: a row and its search entry commit or vanish together."""
    fts = f"{kind}_fts"
    insert = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.seq, new.search_text);"  # noqa: S608
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, search_text)"  # noqa: S608
        " VALUES ('delete', old.seq, old.search_text);"
    )
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{kind}', "
        "content_rowid='seq', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5')",
        f"CREATE TRIGGER {kind}_fts_ai AFTER INSERT ON {kind} BEGIN {insert} END",
        f"CREATE TRIGGER {kind}_fts_ad AFTER DELETE ON {kind} BEGIN {delete} END",
        f"CREATE TRIGGER {kind}_fts_au AFTER UPDATE OF search_text ON {kind} "
        f"WHEN old.search_text IS NOT new.search_text BEGIN {delete} {insert} END",
    ]


# Indexes a pull from scratch (a first sync, a re-download after a server reset) drops
# with its first page and builds with its last (storage/deferred.py). Their keys arrive
# in random order (every case's contacts, by date), so each page's commit rewrote most
# of their pages: with 400-record pages they took a third of the WAL frames a first
# sync wrote (contact_i1 6,930 and contact_open 6,878 of 38,205 frames, for ~185 pages
# each). Built once at the end from the table they cost ~0.27 s against ~0.6 s. The
# indexes that follow the pull's order (crn first) stay: pulls and eviction use them.
# Until built, queries that would use them read the contact table instead (slower,
# same answers). A migration that changes these indexes must first build any deferred
# ones (`deferred.build_deferred_indexes`).
DEFERRABLE_INDEXES: Final = ("contact_i1", "contact_open")
# Search indexes a pull from scratch stops maintaining row by row with its first page
# and builds in one pass with its last (storage/deferred.py): their triggers are dropped,
# `deferred_index` holds `<kind>_fts` meanwhile, and FTS5's `rebuild` reads the whole
# table at the end. Per row, every statement's rows became a new FTS5 segment that
# later merges rewrote; in one pass the terms are written once, in order. Replayed first
# sync (docs/sync.md "Client round 2"): writing thread's CPU about -15 %. People stay
# indexed row by row (a hundred rows: nothing to gain, and names are what a search
# during a first sync looks for); contact text is searched by reading the table while
# its index is deferred (storage/queries/search.py), so answers are the same. A
# migration that changes these triggers must first build them (`build_deferred_indexes`).
DEFERRABLE_SEARCH: Final = ("contact",)
DEFERRED_INDEX_TABLE: Final = (
    "CREATE TABLE deferred_index (name TEXT PRIMARY KEY, sql TEXT NOT NULL) WITHOUT ROWID"
)
# The record tables' `id` unique indexes (`id_index_sql`), which a pull from scratch also
# drops with its first page and builds with its last (storage/deferred.py). Their keys are
# random UUIDs: every chunk's rows land all over each index, so each commit rewrote most
# of its pages (replayed first sync: 9 % fewer writes, writer CPU -8 %, docs/sync.md
# "Client round 3"). Meanwhile a snapshot's rows are plain INSERTs (each case's old rows
# are deleted first); any write that needs `ON CONFLICT (id)` (pulled changes, local
# saves, rebase) builds its kind's index first.
DEFERRABLE_ID_INDEXES: Final = tuple(f"{kind}_id" for kind in RECORD_KINDS)
