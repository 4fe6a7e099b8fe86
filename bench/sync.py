"""`python -m bench sync`: the client sync engine end to end, real cache, real server.

- initial_sync_100_cases_vs_bulk_load: the first sync of a 100-case caseload from a
  local server (HTTP, parsing, encrypted cache, search index), as a ratio to loading
  the same rows straight into plain SQLite from a JSON-lines file in the same run
  (also reported: the same rows loaded into the cache's own encrypted schema);
- first_sync_replay: the same first sync's recorded pages replayed in process into a
  fresh cache (no network, no server: the laptop's own work), as a ratio to the
  cache's bulk load of the same rows, alternated in the same run (bench/_replay.py);
- push_mutations_per_s: draining 5,000 queued mutations (the push phase only);
- pull_1000_changes_s: pulling 1,000 changes made centrally by another laptop;
- bytes_per_record_on_wire: answer bytes received per record in the first sync;
- upload_5mb_s, download_5mb_s: one 5 MB document, as ratios to plain HTTP
  (bench/_documents.py).

Argon2 uses cheap parameters here: unlocking is measured by `bench storage`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("FIELDCASE_CENTRAL_ARGON2_PROFILE", "CHEAPEST")

import keyring

from app.backend import PULL_PAGE_RECORDS
from domain.semantics import Actor
from storage.crypto import FAST_TEST_PARAMS
from storage.schema import RECORD_KINDS
from storage.write import apply_local_mutation
from sync.cache import EncryptedCache
from sync.client import SyncClient, SyncSettings
from sync.engine import SyncEngine
from sync.http import HttpClient
from sync.progress import Progress
from tests.central.sync.http_server import SECRET
from tests.support.memory_keyring import MemoryKeyring

Figure = dict[str, Any]
PASSWORD = "Bench-Synthetic-2026"  # noqa: S105 - synthetic demo officers only
# Calls, texts and e-mails per appointment interval, x the seed's usual: about 300
# records a case, the "100 cases, about 30,000 records" (the plain seed
# makes about 37 a case).
COMMUNICATIONS = 20


@dataclass
class _Live:
    url: str
    seed: Any


def server_app() -> Any:
    """uvicorn factory for the server process (settings from FIELDCASE_CENTRAL_* variables)."""
    from central.api import create_app
    from central.config import Settings

    return create_app(Settings())


@contextlib.contextmanager
def _central(folder: Path, cases: int) -> Iterator[_Live]:
    """The real service in its own process, as a laptop would see it (no shared GIL)."""
    from central.seed import seed_database
    from tests.support.postgres import free_port

    url = f"sqlite:///{folder}/central.db"
    seeded = seed_database(
        url,
        officers=2,
        cases_per_officer=cases,
        seed=5,
        password=PASSWORD,
        communications=COMMUNICATIONS,
    )
    port = free_port()
    env = {
        **os.environ,
        "FIELDCASE_CENTRAL_DATABASE_URL": url,
        "FIELDCASE_CENTRAL_JWT_SECRET": SECRET,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "bench.sync:server_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(command, env=env, cwd=root)  # noqa: S603 - our own server
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, server)
        yield _Live(base, seeded)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    probe = HttpClient(base)
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError("the central service did not start")
        if probe.probe(timeout=1.0):
            return
        threading.Event().wait(0.05)  # polling a starting process; nothing to wait on
    raise RuntimeError("the central service did not answer /healthz")


def _laptop(live: Any, folder: Path, name: str) -> tuple[SyncClient, EncryptedCache]:
    officer = live.seed.officers[0]
    cache = EncryptedCache.open(folder / name, officer, PASSWORD, kdf=FAST_TEST_PARAMS)
    client = SyncClient(cache, live.url, officer, SyncSettings(pull_limit=PULL_PAGE_RECORDS))
    client.sign_in(PASSWORD, "bench laptop")
    return client, cache


def _dump_rows(cache: EncryptedCache, path: Path) -> int:
    """Every record the cache holds, as JSON lines: the bulk-load baseline's input."""
    count = 0
    with path.open("w") as out:
        for kind in RECORD_KINDS:
            for row in cache.db().query(f"SELECT id, crn, version, data FROM {kind}"):  # noqa: S608
                row["kind"] = kind
                out.write(json.dumps(row) + "\n")
                count += 1
    return count


def _bulk_load(path: Path, target: Path) -> float:
    """Rows from a file straight into SQLite, one transaction, durable: seconds."""
    started = time.perf_counter()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE record (kind TEXT, id TEXT PRIMARY KEY, crn TEXT, version INT, data TEXT)"
    )
    conn.execute("BEGIN")
    with path.open() as rows:
        conn.executemany(
            "INSERT INTO record VALUES (?, ?, ?, ?, ?)",
            (
                (r["kind"], r["id"], r["crn"], r["version"], r["data"])
                for r in map(json.loads, rows)
            ),
        )
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def _cache_bulk_load(path: Path, folder: Path) -> float:
    """The same rows from the file into an empty cache of the app's own schema (SQLCipher,
    generated columns, indexes, search index), one transaction, durable: seconds.

    Not the target's baseline (that is `_bulk_load`, plain SQLite). Reported beside it
    because it separates what storing the rows in this cache costs from what sync adds
    (HTTP, strict parsing, pages, staging, rebase, checksums).
    """
    from storage.db import CacheDb
    from storage.migrations import migrate
    from storage.records import search_text

    started = time.perf_counter()
    cdb = CacheDb(folder / "cache-bulk.db", os.urandom(32))
    migrate(cdb.db)
    by_kind: dict[str, list[tuple[str, str, int, str, str]]] = {}
    with path.open() as rows:
        for r in map(json.loads, rows):
            text = search_text(r["kind"], json.loads(r["data"]))
            by_kind.setdefault(r["kind"], []).append(
                (r["id"], r["crn"], r["version"], r["data"], text)
            )
    # Multi-row statements, as the app writes pulled rows: FTS5 flushes a segment per
    # statement, so a statement a row (executemany) takes ~4x as long (storage/pulled.py).
    step = 500
    with cdb.atomic():
        for kind, values in by_kind.items():
            for start in range(0, len(values), step):
                part = values[start : start + step]
                cdb.execute(
                    f"INSERT INTO {kind} (id, crn, version, data, search_text) VALUES "  # noqa: S608
                    + ", ".join(["(?, ?, ?, ?, ?)"] * len(part)),
                    [v for row in part for v in row],
                )
    cdb.close()
    return time.perf_counter() - started


def initial_sync(live: Any, folder: Path) -> Iterable[Figure]:
    client, cache = _laptop(live, folder, "first")
    progress = Progress()
    api = client.api(progress)
    # The app's page size (app/backend.py PULL_PAGE_RECORDS), not the engine's default.
    engine = SyncEngine(cache, api, progress, pull_limit=client.settings.pull_limit)
    started, cpu = time.perf_counter(), time.process_time()
    summary = engine.run()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    records = _dump_rows(cache, folder / "rows.jsonl")
    baseline = _bulk_load(folder / "rows.jsonl", folder / "bulk.db")
    into_cache = _cache_bulk_load(folder / "rows.jsonl", folder)
    yield {
        "name": "initial_sync_100_cases_vs_bulk_load",
        "value": round(seconds, 3),
        "unit": "s",
        "baseline": round(baseline, 3),
        "ratio": round(seconds / baseline, 2),
        "cases": summary.cases,
        "records": records,
        "target_ratio": 2,
        # Requests overlap with writing (pipelined pull), so this is the wall-clock
        # share spent with no answer yet in hand, not a strict split.
        "server_wait_s": round(api.seconds_in_requests, 3),
        # The laptop's CPU (every thread of this process; the server runs in its own):
        # steadier than wall time when other work shares the cores.
        "client_cpu_s": round(cpu, 3),
        # The same rows loaded into the cache's own schema (not the target's baseline):
        # what storing them costs here, so `value / cache_bulk_load_s` is what sync adds.
        "cache_bulk_load_s": round(into_cache, 3),
        "ratio_to_cache_bulk_load": round(seconds / into_cache, 2),
    }
    yield {
        "name": "bytes_per_record_on_wire",
        "value": round(client.http.bytes_received / max(records, 1), 1),
        "unit": "bytes/record",
        "records": records,
    }
    client.close()
    cache.close()


def first_sync_replay(live: Any, folder: Path, rounds: int = 3) -> Figure:
    """The laptop's share of a first sync, far steadier than `initial_sync` on a shared
    host; `cache_bulk_load_s` (the floor: the same rows into the same schema) alternates
    with it so both see the same load."""
    from bench import _replay

    client, cache = _laptop(live, folder, "recorder")
    progress = Progress()
    engine = SyncEngine(
        cache, client.api(progress), progress, pull_limit=client.settings.pull_limit
    )
    bodies = _replay.record(engine)
    _dump_rows(cache, folder / "replay-rows.jsonl")
    client.close()
    cache.close()
    officer = live.seed.officers[0]
    replays: list[_replay.Replayed] = []
    floors: list[float] = []
    for n in range(rounds):
        target = folder / f"replay-{n}"
        replays.append(
            _replay.replay(
                bodies,
                target,
                lambda f: EncryptedCache.open(f, officer, PASSWORD, kdf=FAST_TEST_PARAMS),
            )
        )
        target.mkdir(exist_ok=True)
        floors.append(_cache_bulk_load(folder / "replay-rows.jsonl", target))
    wall = statistics.median(r.wall_s for r in replays)
    floor = statistics.median(floors)
    return {
        "name": "first_sync_replay",
        "value": round(wall, 3),
        "unit": "s",
        "baseline": round(floor, 3),
        "ratio": round(wall / floor, 2),
        "pages": len(bodies),
        "rounds": rounds,
        "cpu_s": statistics.median(r.cpu_s for r in replays),
        "writer_cpu_s": statistics.median(r.writer_cpu_s for r in replays),
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def queue_contacts(live: Any, cache: EncryptedCache, count: int) -> None:
    """`count` new contacts recorded on this laptop, spread over its cases, not yet pushed."""
    officer = live.seed.officers[0]
    crns = cache.pull_state().held_cases
    actor = Actor(username=officer, staff_code=live.seed.staff_codes[officer], team_code=None)
    now, today = dt.datetime.now(dt.UTC), dt.date.today()
    for n in range(count):
        args = {
            "contact_id": str(uuid.uuid4()),
            "crn": crns[n % len(crns)],
            "type_code": "CTOB",
            "date": today.isoformat(),
        }
        apply_local_mutation(cache.db(), "record_contact", args, actor=actor, today=today, now=now)


def push_rate(live: Any, folder: Path, count: int) -> Figure:
    client, cache = _laptop(live, folder, "pusher")
    client.sync()
    queue_contacts(live, cache, count)
    progress = Progress()
    api = client.api(progress)
    engine = SyncEngine(cache, api, progress)
    started = time.perf_counter()
    engine.push()
    seconds = time.perf_counter() - started
    assert cache.pending_count() == 0
    client.close()
    cache.close()
    return {
        "name": "push_mutations_per_s",
        "value": round(count / seconds, 1),
        "unit": "mutations/s",
        "mutations": count,
        "target": 2000,
        # Time with no request in flight, as a rate. Push is pipelined (sync/engine.py):
        # the next batch travels while the last answer is committed, so most of the
        # client's work (outbox reads, result commits) is hidden in the server's time:
        "client_side_per_s": round(count / max(seconds - api.seconds_in_requests, 1e-9), 1),
        "server_wait_share": round(api.seconds_in_requests / seconds, 2),
    }


def pull_time(live: Any, folder: Path, changes: int) -> Figure:
    reader, reader_cache = _laptop(live, folder, "reader")
    reader.sync()
    writer, writer_cache = _laptop(live, folder, "writer")
    writer.sync()
    queue_contacts(live, writer_cache, changes)
    writer.sync()
    progress = Progress()
    engine = SyncEngine(reader_cache, reader.api(progress), progress)
    started = time.perf_counter()
    engine.pull()
    seconds = time.perf_counter() - started
    for client, cache in ((reader, reader_cache), (writer, writer_cache)):
        client.close()
        cache.close()
    return {
        "name": f"pull_{changes}_changes_s",
        "value": round(seconds, 3),
        "unit": "s",
        "changes": changes,
    }


def run(args: argparse.Namespace) -> Iterable[Figure]:
    quick = bool(getattr(args, "quick", False))
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        folder = Path(tmp)
        with _central(folder, 10 if quick else 100) as live:
            yield from initial_sync(live, folder)
            yield first_sync_replay(live, folder)
            yield push_rate(live, folder, 500 if quick else 5000)
            yield pull_time(live, folder, 1000)
            from bench import _documents

            yield from _documents.figures(live, folder)
