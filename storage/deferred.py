"""Indexes a pull from scratch (a first sync, a re-download) builds once, with its last
page, instead of row by row (storage/pulled.py calls `defer_indexes` and
`build_deferred_indexes`; the cache's opening builds what an interrupted one left).

Three sorts, listed in `deferred_index` while missing (schema.py says why each):
- the date indexes (schema.DEFERRABLE_INDEXES): until built, queries read the table;
- the contact search index's triggers (schema.DEFERRABLE_SEARCH): FTS5 `rebuild` at the
  end; the app's search reads contact text from the table meanwhile;
- the record tables' `id` unique indexes (schema.DEFERRABLE_ID_INDEXES): a snapshot's
  rows are plain INSERTs meanwhile, and every write that needs `ON CONFLICT (id)` calls
  `need_id_index` first, which builds its kind's index (and keeps the newest row of an
  id written twice, so building can never fail and lock the cache out).
"""

from __future__ import annotations

import logging

from storage.db import CacheDb, IntegrityError
from storage.schema import (
    DEFERRABLE_ID_INDEXES,
    DEFERRABLE_INDEXES,
    DEFERRABLE_SEARCH,
    RECORD_KINDS,
    fts_sql,
    id_index_sql,
)

log = logging.getLogger(__name__)

# The triggers schema.fts_sql makes, in its order (after the CREATE VIRTUAL TABLE).
_FTS_TRIGGERS = ("_fts_ai", "_fts_ad", "_fts_au")
_SEARCH_NAMES = {f"{kind}_fts": kind for kind in DEFERRABLE_SEARCH}
_ID_KINDS = {f"{kind}_id": kind for kind in RECORD_KINDS}


def defer_indexes(cdb: CacheDb) -> None:
    """A page of a pull from scratch with more to come (the first, or the first after a
    restart, whose open built them): drop the indexes its rows would update in random
    order, keeping their CREATE statements, and the triggers that keep the deferrable
    search indexes in step; the pull's last page builds them all
    (`build_deferred_indexes`). Those already dropped stay so (one query)."""
    names = (*DEFERRABLE_INDEXES, *DEFERRABLE_ID_INDEXES)
    marks = ", ".join("?" * len(names))
    present = cdb.query(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",  # noqa: S608
        names,
    )
    for row in present:
        cdb.execute(
            "INSERT INTO deferred_index (name, sql) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (row["name"], row["sql"]),
        )
        cdb.execute(f"DROP INDEX {row['name']}")
    for kind in DEFERRABLE_SEARCH:
        cdb.execute(
            "INSERT INTO deferred_index (name, sql) VALUES (?, 'rebuild')"
            " ON CONFLICT (name) DO NOTHING",
            (f"{kind}_fts",),
        )
        for suffix in _FTS_TRIGGERS:
            cdb.execute(f"DROP TRIGGER IF EXISTS {kind}{suffix}")


def deferred_id_kinds(cdb: CacheDb) -> set[str]:
    """The kinds whose `id` index is deferred now (one query, for a whole page)."""
    rows = cdb.query("SELECT name FROM deferred_index")  # a dozen rows at most
    return {_ID_KINDS[r["name"]] for r in rows if r["name"] in _ID_KINDS}


def need_id_index(cdb: CacheDb, kind: str) -> None:
    """Before a write that needs `kind`'s `id` index (`ON CONFLICT (id)`): build it if a
    pull from scratch deferred it. One primary-key lookup in a table of a few rows when
    it is there (every local save), the build (~0.05 s for 20,000 rows) when not."""
    if cdb.one("SELECT 1 FROM deferred_index WHERE name = ?", (f"{kind}_id",)) is not None:
        with cdb.atomic():
            build_id_index(cdb, kind)


def need_id_indexes(cdb: CacheDb) -> None:
    """Before the shared semantics run over the cache (a local save, a rebase): every
    deferred `id` index built. They read records by id, and without its index each read
    is a scan of the table (~50 ms for 20,000 contacts); building all ten costs about
    as much as one such read. One query when none is deferred."""
    for kind in sorted(deferred_id_kinds(cdb)):
        with cdb.atomic():
            build_id_index(cdb, kind)


def build_id_index(cdb: CacheDb, kind: str) -> None:
    """Build `kind`'s deferred `id` index (the caller holds the transaction).

    The server sends each record once, and a snapshot's case is emptied before its rows
    go in, so an id should never be there twice. Should it be (a server fault), the row
    written last (highest seq) is kept and the others deleted, with a warning: a
    failed CREATE UNIQUE INDEX at every opening would lock the officer out of the cache.
    """
    name = f"{kind}_id"
    if cdb.one("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)) is None:
        try:
            with cdb.atomic():  # a savepoint: a failed build undoes only itself
                cdb.execute(id_index_sql(kind))
        except IntegrityError:
            gone = cdb.execute(
                f"DELETE FROM {kind} WHERE seq NOT IN (SELECT max(seq) FROM {kind} GROUP BY id)"  # noqa: S608
            ).rowcount
            log.warning("%s: %d row(s) with a repeated id dropped, the newest kept", kind, gone)
            cdb.execute(id_index_sql(kind))
    cdb.execute("DELETE FROM deferred_index WHERE name = ?", (name,))


def _build_search(cdb: CacheDb, kind: str) -> None:
    """A deferred search index: its triggers back, then FTS5's `rebuild` indexes every
    row of the table (whatever was written, deleted or changed meanwhile), and
    `optimize` merges what it wrote into one segment: without it the next pull's first
    commit paid for merging them (`pull_1000`'s laptop CPU +25 %, docs/sync.md)."""
    for suffix, sql in zip(_FTS_TRIGGERS, fts_sql(kind)[1:], strict=True):
        exists = cdb.one(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (kind + suffix,)
        )
        if exists is None:
            cdb.execute(sql)
    for command in ("rebuild", "optimize"):
        cdb.execute(f"INSERT INTO {kind}_fts({kind}_fts) VALUES (?)", (command,))  # noqa: S608


def build_deferred_indexes(cdb: CacheDb) -> int:
    """Build the indexes a pull deferred (one transaction, or the caller's); how many.

    Run with a pull's last page, and when the cache is opened (sync/cache.py), so an
    interrupted first sync leaves them missing (slower queries, same answers) at most
    until the next successful pull or the next start.
    """
    with cdb.atomic():
        rows = cdb.query("SELECT name, sql FROM deferred_index ORDER BY name")
        for row in rows:
            name, sql = row["name"], row["sql"]
            if name in _SEARCH_NAMES:
                _build_search(cdb, _SEARCH_NAMES[name])
            elif name in _ID_KINDS:
                build_id_index(cdb, _ID_KINDS[name])
            elif name in DEFERRABLE_INDEXES and sql.startswith(f"CREATE INDEX {name} "):
                exists = cdb.one(
                    "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
                )
                if exists is None:
                    cdb.execute(sql)
            else:
                raise ValueError(f"unexpected deferred index {name!r}")
            cdb.execute("DELETE FROM deferred_index WHERE name = ?", (name,))
    if rows:
        log.info("built %d deferred index(es)", len(rows))
    return len(rows)
