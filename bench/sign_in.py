"""An officer's push and search latency, alone and under a wrong-password flood.

The service runs as `fieldcase-central serve` in its own process with the real
Argon2 parameters (not the test suite's cheapest); eight threads send anonymous
wrong-password sign-ins (a bounded loop each) while one officer searches and pushes.
Reported: the officer's p50/p99 per request, alone and under the flood, and the
ratio (docs/security.md asks for within 2x).

`python -m bench sign_in`. `BENCH_CENTRAL_TREE=/path/to/other/checkout` serves an
older tree's `central/` instead, to measure before and after a change.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy

from bench.central import _server_processes
from central.seed import seed_database
from sync.dpop import DeviceKey
from sync.protocol import PROTOCOL_VERSION
from tests.central.sync.http_server import SECRET

PASSWORD = "Bench-Synthetic-Sign-In-2026"  # noqa: S105 - synthetic demo officers only
FLOOD_THREADS = 8
FLOOD_SECONDS = 15
FAILURES: list[str] = []  # officer requests that were not answered 200


def _server(url: str) -> AbstractContextManager[str]:
    """The service with the real Argon2 parameters (the test suite's cheap ones removed)."""
    env = {k: v for k, v in os.environ.items() if k != "FIELDCASE_CENTRAL_ARGON2_PROFILE"}
    env["FIELDCASE_CENTRAL_JWT_SECRET"] = SECRET
    return _server_processes(url, 1, env=env, cwd=os.environ.get("BENCH_CENTRAL_TREE"))


def _officer_round(http: httpx.Client, device: str, crn: str, seq: int) -> list[float]:
    """One search and one push of a case view; their times (failures kept in FAILURES)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    mutation = {
        "seq": seq, "id": str(uuid.uuid4()), "name": "case_viewed", "version": 1,
        "args": {"crn": crn, "viewed_at": now}, "created_at": now,
    }  # fmt: skip
    push = {"protocol_version": PROTOCOL_VERSION, "client_id": device, "mutations": [mutation]}
    times = []
    for method, path, body in (
        ("GET", "/v1/search?q=Smith", None),
        ("POST", "/v1/sync/push", push),
    ):
        started = time.perf_counter()
        try:
            answer = http.request(method, path, json=body)
        except httpx.TransportError as exc:  # the old service reset connections
            FAILURES.append(f"{method} {path}: {type(exc).__name__}")
            continue
        times.append(time.perf_counter() - started)
        if answer.status_code != 200:
            FAILURES.append(f"{method} {path} {answer.status_code}: {answer.text[:120]}")
    return times


def _flood(base: str, stop: Any, statuses: list[int], worker: int) -> None:
    """One attacker thread: wrong passwords for made-up users, a bounded loop. Each
    attempt carries a valid DPoP proof (an attacker makes them as cheaply as a laptop),
    so it reaches the password check rather than being refused for its proof."""
    key = DeviceKey.generate()
    with httpx.Client(base_url=base, timeout=60) as http:
        for n in range(2000):
            if stop.is_set():
                return
            form = {
                "grant_type": "password", "client_id": "fieldcase-desktop",
                "username": f"nobody-{worker}-{n}", "password": "Password1",
                "device_id": str(uuid.uuid4()),
            }  # fmt: skip
            try:
                proof = {"DPoP": key.proof("POST", base + "/oauth/token", issued_at=time.time())}
                statuses.append(http.post("/oauth/token", data=form, headers=proof).status_code)
            except httpx.TransportError:  # the old service reset connections under the flood
                statuses.append(0)


def _flood_process(base: str, stop: Any, answering: Any, out: Any) -> None:
    """The eight attacker threads in a process of their own: their client work must not
    take the measuring process's GIL from the officer's requests."""
    statuses: list[int] = []
    threads = [
        threading.Thread(target=_flood, args=(base, stop, statuses, w))
        for w in range(FLOOD_THREADS)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    while not statuses and not stop.is_set():
        stop.wait(0.01)
    answering.set()
    for thread in threads:
        thread.join(300)
    out.put(statuses)


def _under_flood(http: httpx.Client, device: str, crn: str, rounds: int) -> list[float]:
    """Officer rounds while the flood answers, for `rounds` and FLOOD_SECONDS at least."""
    times: list[float] = []
    seq, until = rounds, time.monotonic() + FLOOD_SECONDS
    while seq < 2 * rounds or time.monotonic() < until:
        seq += 1
        times.extend(_officer_round(http, device, crn, seq))
    return times


def _seed(url: str) -> tuple[str, str]:
    """Two officers' caseloads, seeded by the tree being measured (its schema may differ);
    the first officer and one of their cases."""
    tree = os.environ.get("BENCH_CENTRAL_TREE")
    if tree is None:
        seed = seed_database(url, officers=2, cases_per_officer=10, seed=3, password=PASSWORD)
        return seed.officers[0], seed.caseloads[seed.officers[0]][0]
    command = [
        sys.executable, "-m", "central.cli", "seed", "--database-url", url, "--officers", "2",
        "--cases-per-officer", "10", "--seed", "3", "--password", PASSWORD,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True)  # noqa: S603
    officer = json.loads(done.stdout.strip().splitlines()[-1])["officers"][0]
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        crn = conn.execute(
            sqlalchemy.text(
                "SELECT c.crn FROM cases c JOIN users u ON u.staff_code = c.staff_code"
                " WHERE u.username = :u ORDER BY c.crn"
            ),
            {"u": officer},
        ).scalar()
    engine.dispose()
    return officer, str(crn)


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def measure(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'central.db'}"
        officer, crn = _seed(url)
        with _server(url) as base:
            device = str(uuid.uuid4())
            form = {
                "grant_type": "password", "client_id": "fieldcase-desktop", "username": officer,
                "password": PASSWORD, "device_id": device,
            }  # fmt: skip
            proof = {
                "DPoP": DeviceKey.generate().proof(
                    "POST", base + "/oauth/token", issued_at=time.time()
                )
            }
            answer = httpx.post(base + "/oauth/token", data=form, headers=proof, timeout=60)
            token = answer.json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                alone = [
                    t for s in range(1, rounds + 1) for t in _officer_round(http, device, crn, s)
                ]
                context = multiprocessing.get_context("spawn")
                stop, answering, out = context.Event(), context.Event(), context.Queue()
                flood = context.Process(target=_flood_process, args=(base, stop, answering, out))
                flood.start()
                try:
                    answering.wait(120)
                    flooded = _under_flood(http, device, crn, rounds)
                finally:
                    stop.set()
                    statuses = out.get(timeout=300)
                    flood.join(60)
    return {"alone": _percentiles(alone), "flood": _percentiles(flooded), "statuses": statuses}


def run(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    found = measure(10 if args.quick else 40)
    (p50, p99), (f50, f99) = found["alone"], found["flood"]
    for name, value, base in (("p50", f50, p50), ("p99", f99, p99)):
        yield {
            "name": f"officer_{name}_under_sign_in_flood",
            "value": round(value * 1000, 1),
            "unit": "ms",
            "ratio": value / base,
            "alone_ms": round(base * 1000, 1),
        }
    counts = {str(s): found["statuses"].count(s) for s in sorted(set(found["statuses"]))}
    yield {"name": "officer_requests_failed", "value": len(FAILURES), "unit": "requests",
           "first": FAILURES[:3]}  # fmt: skip
    yield {"name": "sign_in_flood_answers", "value": len(found["statuses"]), "unit": "requests",
           "by_status": counts}  # fmt: skip
