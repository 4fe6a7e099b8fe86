"""Case checksums remembered between pulls, keyed by the case's latest record version.

Why: the last page of every pull carries the checksum of every case in the officer's
scope, and computing one reads every live record's (kind, id, version) of the case: for
the bench's 100 cases (27,000 records) 12-16 ms of a 20 ms incremental pull on SQLite,
for a page whose changes touched a few cases (docs/central.md "Checksums remembered").

Why the key is sound: a case's live (kind, id, version) set changes only when one of its
records is written, and every record write stamps the row with a version above every
version the case already has. On SQLite versions come from the one feed counter under
the one write lock; on PostgreSQL from a sequence, drawn after the case's lock
(`central.sync.feed.lock_cases`, which every writer of the case's records holds; a push
batch drops the rest of a block of versions when it locks another case), so within a
case versions rise in commit order and a snapshot that sees a version sees every lower one of the
case. Rows never move between cases and are never removed (a delete is a tombstone
write, with its own version). So (crn, highest version among all the case's rows,
tombstones included) names exactly one set of live triples, in any transaction.

The key costs one index probe per case (`ix_records_crn_version`, the MIN/MAX
optimisation on both databases). The memo is per process and per engine: API processes
stay stateless (a process that never saw a case computes it), and a database restored
under a running process is a new engine only after a restart; restart the API processes
after a restore, as their connection pools need anyway.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection

from sqlalchemy import Connection, Engine, bindparam, func, select

from central.tables import cases, records

# Entries kept per engine: a region's cases (~30,000) fit many times over; an entry is
# ~200 bytes, so the cap bounds the memo at ~40 MB in a process serving the nation.
MAX_CASES = 200_000
CHUNK = 900  # CRNs per key query (SQLite caps bound parameters)

_LATEST = select(
    cases.c.crn,
    select(func.max(records.c.version))
    .where(records.c.crn == cases.c.crn)
    .correlate(cases)
    .scalar_subquery(),
).where(cases.c.crn.in_(bindparam("crns", expanding=True)))

Key = tuple[str, int | None]


class _Memo:
    """A bounded least-recently-used map of case keys to checksums, shared by threads."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[Key, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Collection[Key]) -> dict[Key, str]:
        found: dict[Key, str] = {}
        with self._lock:
            for key in keys:
                value = self._items.get(key)
                if value is not None:
                    self._items.move_to_end(key)
                    found[key] = value
        return found

    def put_many(self, items: dict[Key, str]) -> None:
        with self._lock:
            self._items.update(items)
            for key in items:
                self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


_MEMOS: weakref.WeakKeyDictionary[Engine, _Memo] = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def _memo(engine: Engine) -> _Memo:
    with _MEMOS_LOCK:
        memo = _MEMOS.get(engine)
        if memo is None:
            memo = _MEMOS[engine] = _Memo(MAX_CASES)
        return memo


def latest_versions(conn: Connection, crns: Collection[str]) -> dict[str, int | None]:
    """Each known case's highest record version (None: no records yet), in the caller's
    transaction; a CRN with no `cases` row is left out."""
    ordered = sorted(crns)
    latest: dict[str, int | None] = {}
    for start in range(0, len(ordered), CHUNK):
        rows = conn.execute(_LATEST, {"crns": ordered[start : start + CHUNK]})
        latest.update((crn, None if v is None else int(v)) for crn, v in rows)
    return latest


def remembered(
    conn: Connection,
    crns: Collection[str],
    compute: Callable[[Connection, list[str]], dict[str, str]],
) -> dict[str, str]:
    """The checksum of each of `crns`: remembered ones for cases unchanged since, and
    `compute(conn, missing)` for the rest (then remembered), all as of `conn`'s
    transaction."""
    latest = latest_versions(conn, crns)
    memo = _memo(conn.engine)
    keys = {crn: (crn, version) for crn, version in latest.items()}
    found = memo.get_many(keys.values())
    sums = {crn: found[key] for crn, key in keys.items() if key in found}
    missing = sorted(set(crns) - sums.keys())
    if missing:
        computed = compute(conn, missing)
        sums.update(computed)
        memo.put_many({keys[crn]: computed[crn] for crn in missing if crn in keys})
    return sums
