"""`python -m bench storage`: the local cache's figures (DESIGN.md performance budgets).

- save_contact_vs_raw_insert: one record_contact through the real write path (semantics,
  cache row, search index, outbox, durable commit) against one raw insert-and-commit of
  a similar row into a plain SQLite file with the same durability (WAL, synchronous=FULL);
- search_p95_ms_1m_contacts: p95 of typical searches over 10,000 cases and 1,000,000
  contacts, generated once (seeded, synthetic) and reused from the cache folder;
- sqlcipher_overhead_vs_plain: the same mixed workload (load cases, save contacts,
  search, caseload pages) on an encrypted and on a plain file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import platformdirs

from bench._storage_data import KEY, build_search_cache, case_snapshot_records
from domain.semantics import Actor
from storage import crypto, state
from storage.crypto import KdfParams
from storage.db import CacheDb
from storage.migrations import migrate
from storage.pulled import apply_pull_page
from storage.queries.caseload import CaseloadQuery, caseload
from storage.queries.contacts import needs_outcome
from storage.queries.search import search
from storage.write import apply_local_mutation

Figure = dict[str, Any]
OFFICER = Actor(username="bench.officer", staff_code="N07B001", team_code="N07T01")
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _open(path: Path, *, plain: bool = False) -> CacheDb:
    cdb = CacheDb(path, KEY, plain=plain)
    migrate(cdb.db)
    state.ensure(cdb)
    return cdb


class _Snap:
    """A snapshot shaped like sync.protocol.CaseSnapshot (storage takes it structurally)."""

    def __init__(self, crn: str, records: list[Any]) -> None:
        self.crn = crn
        self.records = records


def _contact_args(crn: str) -> dict[str, Any]:
    return {
        "contact_id": str(uuid.uuid4()),
        "crn": crn,
        "type_code": "CTOB",
        "date": TODAY.isoformat(),
        "notes": "Phoned to confirm the appointment on Thursday; discussed housing.",
    }


def _time_each(count: int, action: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def _raw_inserter(folder: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """One raw insert-and-commit of a similar row, same durability (WAL, FULL)."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE contact (id TEXT PRIMARY KEY, crn TEXT, data TEXT)")
    row = json.dumps(_contact_args("X000001"))

    def insert() -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO contact VALUES (?, ?, ?)", (str(uuid.uuid4()), "X000001", row))
        conn.execute("COMMIT")

    return insert, conn.close


def save_contact(folder: Path, count: int) -> Figure:
    """Saves and raw inserts alternate, so both see the same machine load."""
    cdb = _open(folder / "cache.db")
    crn, records = case_snapshot_records(0, contacts=200)
    apply_pull_page(cdb, snapshots=[_Snap(crn, records)], cursor="c", last_applied_seq=0)

    def save() -> None:
        apply_local_mutation(
            cdb, "record_contact", _contact_args(crn), actor=OFFICER, today=TODAY, now=NOW
        )

    insert, close_raw = _raw_inserter(folder)
    _time_each(5, save)  # warm caches (reference data, statements)
    _time_each(5, insert)
    ours, raw = [], []
    for _ in range(count):
        ours += _time_each(1, save)
        raw += _time_each(1, insert)
    cdb.close()
    close_raw()
    return {
        "name": "save_contact_vs_raw_insert",
        "value": round(_median(ours) * 1000, 3),
        "unit": "ms",
        "baseline": round(_median(raw) * 1000, 3),
        "ratio": round(_median(ours) / _median(raw), 3),
    }


# Names, partial names, CRN prefixes, note words, and note words still being typed.
QUERIES = (
    "smith",
    "jon",
    "X00",
    "taylor ann",
    "employment",
    "housing benefit",
    "o'br",
    "kh",
    "priya khan",
    "curfew",
    "employm",
    "alcoh",
)


def _typical_queries(rng: random.Random, crns: list[str], count: int) -> Iterator[str]:
    for _ in range(count):
        pick = rng.random()
        if pick < 0.25:
            yield rng.choice(crns)
        else:
            yield rng.choice(QUERIES)


def search_p95(folder: Path, cases: int, contacts: int, count: int) -> Figure:
    path, build_seconds = build_search_cache(folder, cases=cases, contacts=contacts)
    cdb = CacheDb(path, KEY)
    migrate(cdb.db)  # a cache generated by an older build gets the newer indexes
    crns = [r["crn"] for r in cdb.query("SELECT crn FROM held_case LIMIT 2000")]
    rng = random.Random(4)
    samples = []
    for text in _typical_queries(rng, crns, count):
        started = time.perf_counter()
        search(cdb, text, limit=20)
        samples.append(time.perf_counter() - started)
    cdb.close()
    return {
        "name": "search_p95_ms_1m_contacts" if contacts >= 1_000_000 else "search_p95_ms",
        "value": round(_p95(samples) * 1000, 3),
        "unit": "ms",
        "cases": cases,
        "contacts": contacts,
        "median_ms": round(_median(samples) * 1000, 3),
        "generated_s": round(build_seconds, 1),
    }


def screens(folder: Path, cases: int, contacts: int) -> Iterator[Figure]:
    """The other big-cache screens: a caseload page sorted by next appointment, and
    appointments needing an outcome (median of five)."""
    path, _ = build_search_cache(folder, cases=cases, contacts=contacts)
    cdb = CacheDb(path, KEY)
    local_now = dt.datetime(2026, 11, 20, 10, 0)
    query = CaseloadQuery(sort="next_appointment", limit=50)
    page = _time_each(5, lambda: caseload(cdb, query, today=TODAY, now=local_now))
    due = _time_each(5, lambda: needs_outcome(cdb, now=local_now, limit=100))
    cdb.close()
    sizes = {"cases": cases, "contacts": contacts}
    yield {
        "name": "caseload_page_ms",
        "value": round(_median(page) * 1000, 3),
        "unit": "ms",
    } | sizes
    yield {"name": "needs_outcome_ms", "value": round(_median(due) * 1000, 3), "unit": "ms"} | sizes


def _workload(path: Path, *, plain: bool, cases: int) -> float:
    started = time.perf_counter()
    cdb = _open(path, plain=plain)
    snaps = [_Snap(*case_snapshot_records(n, contacts=60)) for n in range(cases)]
    for batch in range(0, cases, 25):
        apply_pull_page(
            cdb, snapshots=snaps[batch : batch + 25], cursor=str(batch), last_applied_seq=0
        )
    for n in range(100):
        apply_local_mutation(
            cdb,
            "record_contact",
            _contact_args(snaps[n % cases].crn),
            actor=OFFICER,
            today=TODAY,
            now=NOW,
        )
    for text in QUERIES * 10:
        search(cdb, text, limit=20)
    for offset in range(0, cases, 50):
        caseload(
            cdb,
            CaseloadQuery(offset=offset, limit=50),
            today=TODAY,
            now=dt.datetime(2026, 11, 20, 10, 0),
        )
    cdb.close()
    return time.perf_counter() - started


def cipher_overhead(folder: Path, cases: int) -> Figure:
    plain, ours = [], []
    for n in range(3):  # alternated, so both see the same machine load; best of three
        ours.append(_workload(folder / f"enc{n}.db", plain=False, cases=cases))
        plain.append(_workload(folder / f"plain{n}.db", plain=True, cases=cases))
    return {
        "name": "sqlcipher_overhead_vs_plain",
        "value": round(min(ours), 3),
        "unit": "s",
        "baseline": round(min(plain), 3),
        "ratio": round(min(ours) / min(plain), 3),
    }


def unlock_cost() -> Figure:
    """Argon2id + AES-GCM unwrap with the default parameters (the cost of each guess)."""
    blob = crypto.wrap(crypto.new_key(), "bench password", context="bench", params=KdfParams())
    samples = _time_each(3, lambda: crypto.unwrap(blob, "bench password", context="bench"))
    return {"name": "unlock_argon2id_s", "value": round(_median(samples), 3), "unit": "s"}


def run(args: argparse.Namespace) -> Iterable[Figure]:
    quick = bool(getattr(args, "quick", False))
    cache_root = Path(platformdirs.user_cache_dir("fieldcase-bench"))
    with tempfile.TemporaryDirectory(prefix="fieldcase-bench-") as tmp:
        folder = Path(tmp)
        (folder / "save").mkdir()
        yield unlock_cost()
        yield save_contact(folder / "save", 50 if quick else 300)
        (folder / "cipher").mkdir()
        yield cipher_overhead(folder / "cipher", 100 if quick else 400)
    cases, contacts = (1_000, 50_000) if quick else (10_000, 1_000_000)
    yield search_p95(cache_root, cases=cases, contacts=contacts, count=100 if quick else 500)
    yield from screens(cache_root, cases, contacts)
