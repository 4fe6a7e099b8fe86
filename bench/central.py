"""`python -m bench central`: the central service's sync figures.

- push throughput (mutations/s) on SQLite and PostgreSQL, in-process (the service's
  own work: scope, semantics, feed lock, stored result, audit);
- the first pull of one officer's 100-case caseload over real HTTP (seconds, MB on
  the wire), against reading the same rows raw from the database (the baseline);
- the team caseload of a 300-case team (p95 ms, bench/_team.py);
- 200 officers syncing at once against a multi-process server on PostgreSQL
  (p50/p99 request latency, errors);
- the push rate with 1, 2 and 4 API processes on PostgreSQL (bench/_writers.py);
- the national morning: 500 laptops' incremental sessions, open-loop (bench/_morning.py);
- with --national (not --quick): pull, push and search p99 on a 20,000-case, 5.5-million-
  record database over the same on a 100-case one (bench/_national.py).

The throwaway PostgreSQL cluster runs with fsync off (tests/support/postgres.py), so
its figures measure the service, not the disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import select, text

from bench._team import team_caseload
from central.auth.deps import Principal
from central.db import make_engine, transaction, utcnow
from central.seed import SeedResult, seed_database
from central.sync.push import push
from central.tables import records, staff
from sync.protocol import PROTOCOL_VERSION, MutationEnvelope, PushRequest
from tests.central.sync.http_server import (
    SECRET,
    bearer,
    free_port,
    register_laptop,
    running_server,
)
from tests.support import postgres

Figure = dict[str, Any]
PASSWORD = "Bench-Synthetic-2026"  # noqa: S105 - synthetic demo officers only
BATCH = 100


def _today() -> str:
    return dt.date.today().isoformat()


def _contact(crn: str) -> dict[str, Any]:
    return {"contact_id": str(uuid.uuid4()), "crn": crn, "type_code": "CTOA", "date": _today()}


def _seed(url: str, officers: int, cases: int) -> SeedResult:
    return seed_database(url, officers=officers, cases_per_officer=cases, seed=7, password=PASSWORD)


def _principal(url: str, seeded: SeedResult, username: str) -> Principal:
    engine = make_engine(url)
    try:
        with transaction(engine) as conn:
            code = seeded.staff_codes[username]
            team = conn.execute(select(staff.c.team_code).where(staff.c.code == code)).scalar()
            device = str(uuid.uuid4())
            register_laptop(conn, device, username)
    finally:
        engine.dispose()
    return Principal(username, code, team, device)


def _envelope(seq: int, crn: str) -> MutationEnvelope:
    return MutationEnvelope(
        seq=seq,
        id=uuid.uuid4(),
        name="record_contact",
        version=1,
        args=_contact(crn),
        created_at=utcnow(),
    )


def push_throughput(url: str, backend: str, count: int) -> Figure:
    """record_contact mutations through `push`, in batches as the client sends them."""
    seeded = _seed(url, 2, 5)
    name = seeded.officers[0]
    who = _principal(url, seeded, name)
    crns = seeded.caseloads[name]
    envelopes = [_envelope(n + 1, crns[n % len(crns)]) for n in range(count)]
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            request = PushRequest(
                protocol_version=PROTOCOL_VERSION,
                client_id=uuid.UUID(who.device_id),
                mutations=envelopes[start : start + BATCH],
            )
            response = push(engine, who, request)
            assert response.last_applied_seq == min(start + BATCH, count)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    return {
        "name": f"push_throughput_{backend}",
        "value": round(count / seconds, 1),
        "unit": "mutations/s",
        "mutations": count,
    }


def _full_pull(client: httpx.Client, device: str, limit: int) -> tuple[int, int, int]:
    """Pull until done like a fresh laptop; return (bytes, records, pages)."""
    cursor, held = None, set[str]()
    size = count = pages = 0
    while True:
        body = {
            "protocol_version": PROTOCOL_VERSION,
            "client_id": device,
            "cursor": cursor,
            "held_cases": sorted(held),
            "limit": limit,
        }
        response = client.post("/v1/sync/pull", json=body)
        response.raise_for_status()
        page = response.json()
        size += response.num_bytes_downloaded  # as on the wire (gzip)
        pages += 1
        for snapshot in page["snapshots"]:
            held.add(snapshot["crn"])
            count += len(snapshot["records"])
        held -= set(page["evicted"])
        count += len(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return size, count, pages


def _raw_read(url: str, crns: list[str]) -> float:
    """Baseline: the same records read straight from the database, no service."""
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        with engine.connect() as conn:
            rows = conn.execute(
                select(records.c.id, records.c.kind, records.c.version, records.c.data).where(
                    records.c.crn.in_(crns)
                )
            ).all()
        assert rows
        return time.perf_counter() - started
    finally:
        engine.dispose()


def pull_caseload(url: str, backend: str, cases: int) -> Iterator[Figure]:
    seeded = _seed(url, 1, cases)
    name = seeded.officers[0]
    who = _principal(url, seeded, name)
    with (
        running_server(url) as base,
        httpx.Client(base_url=base, headers=bearer(name, who.device_id), timeout=120) as client,
    ):
        started = time.perf_counter()
        size, count, pages = _full_pull(client, who.device_id, 1000)
        seconds = time.perf_counter() - started
    baseline = _raw_read(url, seeded.caseloads[name])
    yield {
        "name": f"pull_caseload_{cases}_cases_{backend}",
        "value": round(seconds, 3),
        "unit": "s",
        "baseline": round(baseline, 3),
        "ratio": round(seconds / baseline, 2),
        "records": count,
        "pages": pages,
    }
    yield {
        "name": f"pull_caseload_{cases}_cases_{backend}_wire",
        "value": round(size / 1e6, 3),
        "unit": "MB",
        "records": count,
    }


@contextmanager
def _server_processes(
    url: str, workers: int, *, env: dict[str, str] | None = None, cwd: str | None = None
) -> Iterator[str]:
    """`fieldcase-central serve --workers N` as a subprocess, polled until ready (`cwd`:
    another checkout's tree, to measure before and after a change)."""
    port = free_port()
    env = env or {**os.environ, "FIELDCASE_CENTRAL_JWT_SECRET": SECRET}
    command = [
        sys.executable, "-m", "central.cli", "serve", "--database-url", url,
        "--port", str(port), "--workers", str(workers), "--log-level", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(30)


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    tick = threading.Event()
    for _ in range(1200):
        if process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        tick.wait(0.05)
    raise RuntimeError("the server did not become ready")


def _officer_session(
    base: str, name: str, device: str, crns: list[str], record: Callable[[float, bool], None]
) -> None:
    """One officer's sync: push a few changes, then pull everything."""
    with httpx.Client(base_url=base, headers=bearer(name, device), timeout=120) as client:

        def timed(path: str, body: dict[str, Any]) -> dict[str, Any] | None:
            started = time.perf_counter()
            try:
                response = client.post(path, json=body)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok, response = False, None
            record(time.perf_counter() - started, ok)
            return response.json() if ok and response is not None else None

        mutations = [
            _envelope(n + 1, crns[n % len(crns)]).model_dump(mode="json") for n in range(5)
        ]
        timed(
            "/v1/sync/push",
            {"protocol_version": PROTOCOL_VERSION, "client_id": device, "mutations": mutations},
        )
        cursor, held = None, set[str]()
        for _ in range(100):
            body = {"protocol_version": PROTOCOL_VERSION, "client_id": device,
                    "cursor": cursor, "held_cases": sorted(held), "limit": 1000}  # fmt: skip
            page = timed("/v1/sync/pull", body)
            if page is None:
                return
            held |= {s["crn"] for s in page["snapshots"]}
            cursor = page["cursor"]
            if not page["has_more"]:
                return


class Latencies:
    """Request latencies and failures, gathered from many officer threads."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.errors = 0
        self._lock = threading.Lock()

    def record(self, seconds: float, ok: bool) -> None:
        with self._lock:
            self.seconds.append(seconds)
            self.errors += 0 if ok else 1

    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    def p99(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def concurrent_officers(url: str, officers: int, cases: int, workers: int) -> Iterator[Figure]:
    """Every officer syncs at the same moment (the worst case: 09:00 on a Monday).

    Baseline: the same sync by the first officer alone, after the server warmed up.
    """
    seeded = _seed(url, officers, cases)
    devices = _register_all(url, seeded.officers)
    alone, crowd = Latencies(), Latencies()
    with _server_processes(url, workers) as base:
        first = seeded.officers[0]
        for sink in (Latencies(), alone):  # warm-up, then the measured solo sync
            spare = _register_all(url, [first])
            _officer_session(base, first, spare[first], seeded.caseloads[first], sink.record)
        with ThreadPoolExecutor(officers) as pool:
            started = time.perf_counter()
            jobs = [
                pool.submit(
                    _officer_session, base, n, devices[n], seeded.caseloads[n], crowd.record
                )
                for n in seeded.officers
            ]
            for job in jobs:
                job.result()
            wall = time.perf_counter() - started
    common = {"officers": officers, "server_processes": workers, "requests": len(crowd.seconds)}
    prefix = f"concurrent_{officers}_officers_postgres"
    yield {"name": f"{prefix}_p50", "value": round(crowd.p50(), 1), "unit": "ms",
           "baseline": round(alone.p50(), 1), "ratio": round(crowd.p50() / alone.p50(), 1),
           **common}  # fmt: skip
    yield {"name": f"{prefix}_p99", "value": round(crowd.p99(), 1), "unit": "ms", **common}
    yield {"name": f"{prefix}_errors", "value": crowd.errors, "unit": "requests", **common}
    yield {"name": f"{prefix}_throughput", "value": round(len(crowd.seconds) / wall, 1),
           "unit": "requests/s", **common}  # fmt: skip
    yield {"name": f"{prefix}_wall", "value": round(wall, 2), "unit": "s", **common}


def _register_all(url: str, usernames: list[str]) -> dict[str, str]:
    engine = make_engine(url)
    devices = {name: str(uuid.uuid4()) for name in usernames}
    try:
        with transaction(engine) as conn:
            for name, device in devices.items():
                register_laptop(conn, device, name)
    finally:
        engine.dispose()
    return devices


def _fresh_database(admin_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


_TEAM = (_seed, _principal, _raw_read)
# K officers' laptops (the target: >= 150 sessions/s, p99 < 250 ms at K = 500).
_MORNING: dict[bool, dict[str, Any]] = {
    False: {"officers": 500, "cases": 10, "workers": 3, "rate": 170.0},
    True: {"officers": 40, "cases": 3, "workers": 2, "rate": 40.0},
}  # bench/_team.py's seeding and baseline


def run(args: argparse.Namespace) -> Iterator[Figure]:
    quick = bool(getattr(args, "quick", False))
    pushes, cases = (200, 20) if quick else (1000, 100)
    officers, per_officer = (20, 3) if quick else (200, 10)
    with tempfile.TemporaryDirectory(prefix="fieldcase-bench-") as folder:
        yield push_throughput(f"sqlite:///{folder}/push.db", "sqlite", pushes)
        yield from pull_caseload(f"sqlite:///{folder}/pull.db", "sqlite", cases)
        yield from team_caseload(f"sqlite:///{folder}/team.db", "sqlite", *_TEAM)
    if postgres.find_bin() is None:
        yield {"name": "postgres_skipped", "value": 0, "unit": "", "note": "no PostgreSQL"}
        return
    with postgres.cluster() as admin:
        yield push_throughput(_fresh_database(admin), "postgres", pushes)
        yield from pull_caseload(_fresh_database(admin), "postgres", cases)
        yield from team_caseload(_fresh_database(admin), "postgres", *_TEAM)
        yield from concurrent_officers(_fresh_database(admin), officers, per_officer, 3)
        from bench._writers import writers  # issue 22: push rate by API processes

        yield from writers(admin, quick)
        from bench._morning import morning_model  # the national morning (issue 22)

        yield from morning_model(_fresh_database(admin), **_MORNING[quick])
        if getattr(args, "national", False) and not quick:  # minutes, and ~6 GB of disk
            from bench._national import national

            yield from national(admin, _fresh_database)
