"""`python -m bench central --national`: per-request cost on a national-shape database.

Two PostgreSQL databases of the same shape (`central.seed.national`): a small one
(2 officers x 50 cases) and a national one (400 officers x 50 cases: 20,000 cases,
about 5.5 million records). On each, a real server process answers the requests of a
laptop's morning, one after another (so the figures are per-request cost, not
queueing): an incremental pull carrying the few changes pushed just before, a push of
3 new contacts, a national search that finds one person (by name, by CRN, by name and
date of birth). Several officers take turns, on the national database spread across
it. Each figure is the p99 on the national database over the p99 on the small one;
the target is <= 1.5. Also: how fast the national database was seeded (records/s).

Not under --quick, and never in CI: seeding takes minutes and about 6 GB of disk.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from central.db import make_engine
from central.seed.national import NationalResult, seed_national
from central.tables import cases
from sync.protocol import PROTOCOL_VERSION
from tests.central.sync.http_server import bearer

Figure = dict[str, Any]
PER_OFFICER = 50
SMALL_OFFICERS = 2  # 100 cases
NATIONAL_OFFICERS = 400  # 20,000 cases
OFFICERS_TAKING_TURNS = 4
ROUNDS = 150  # sessions per database: a push, a pull and a search each
BYTES_PER_RECORD = 1_300  # on disk with indexes (measured: about 1 kB), with room


@dataclass
class Timings:
    """Per request type, the seconds each request took."""

    seconds: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        self.seconds.setdefault(kind, []).append(seconds)

    def p99_ms(self, kind: str) -> float:
        ordered = sorted(self.seconds[kind])
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    def p50_ms(self, kind: str) -> float:
        ordered = sorted(self.seconds[kind])
        return ordered[len(ordered) // 2] * 1000


@dataclass
class Laptop:
    """One officer's laptop after its first sync: what an incremental pull sends."""

    client: httpx.Client
    device: str
    crns: list[str]
    cursor: str | None = None
    held: list[str] = field(default_factory=list)
    seq: int = 0

    def pull(self) -> dict[str, Any]:
        body = {"protocol_version": PROTOCOL_VERSION, "client_id": self.device,
                "cursor": self.cursor, "held_cases": self.held, "limit": 1000}  # fmt: skip
        response = self.client.post("/v1/sync/pull", json=body)
        response.raise_for_status()
        page: dict[str, Any] = response.json()
        held = set(self.held) | {s["crn"] for s in page["snapshots"]}
        self.held = sorted(held - set(page["evicted"]))
        self.cursor = page["cursor"]
        return page

    def first_sync(self) -> None:
        while self.pull()["has_more"]:
            pass

    def push(self, count: int) -> None:
        from bench.central import _envelope

        envelopes = []
        for n in range(count):
            self.seq += 1
            crn = self.crns[(self.seq + n) % len(self.crns)]
            envelopes.append(_envelope(self.seq, crn).model_dump(mode="json"))
        body = {"protocol_version": PROTOCOL_VERSION, "client_id": self.device,
                "mutations": envelopes}  # fmt: skip
        response = self.client.post("/v1/sync/push", json=body)
        response.raise_for_status()
        assert response.json()["last_applied_seq"] == self.seq

    def search(self, q: str) -> None:
        response = self.client.get("/v1/search", params={"q": q})
        response.raise_for_status()


def _searches(url: str, count: int) -> list[str]:
    """Queries that each find one person, as an officer types them, spread over the
    database: a name, a CRN, a name with a date of birth."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            total = conn.execute(select(cases.c.crn).order_by(cases.c.crn)).scalars().all()
            step = max(1, len(total) // count)
            chosen = total[::step][:count]
            rows = conn.execute(
                select(cases.c.crn, cases.c.surname, cases.c.first_name, cases.c.date_of_birth)
                .where(cases.c.crn.in_(chosen))
            ).all()  # fmt: skip
    finally:
        engine.dispose()
    forms: list[Callable[[Any], str]] = [
        lambda r: f"{r.first_name} {r.surname}",
        lambda r: r.crn,
        lambda r: f"{r.surname} {r.date_of_birth:%d/%m/%Y}",
    ]
    return [forms[n % len(forms)](row) for n, row in enumerate(rows)]


def _session(laptop: Laptop, query: str, timings: Timings) -> None:
    """A morning: the evening's work pushed, the few changes pulled, someone looked up."""
    for kind, call in (
        ("push", lambda: laptop.push(3)),
        ("pull", laptop.pull),
        ("search", lambda: laptop.search(query)),
    ):
        started = time.perf_counter()
        call()
        timings.add(kind, time.perf_counter() - started)


@dataclass
class Morning:
    """Laptops after their first sync on one database, taking turns at a session."""

    laptops: list[Laptop]
    queries: list[str]
    timings: Timings = field(default_factory=Timings)

    def session(self, n: int) -> None:
        _session(self.laptops[n % len(self.laptops)], self.queries[n % len(self.queries)],
                 self.timings)  # fmt: skip


@contextmanager
def _mornings(url: str, seeded: NationalResult, rounds: int) -> Iterator[Morning]:
    """A server on `url` and its laptops, each after its first sync."""
    from bench.central import _register_all, _server_processes

    step = max(1, len(seeded.officers) // OFFICERS_TAKING_TURNS)
    names = seeded.officers[::step][:OFFICERS_TAKING_TURNS]
    devices = _register_all(url, names)
    queries = _searches(url, rounds)
    with _server_processes(url, 1) as base, ExitStack() as stack:
        laptops = [
            Laptop(stack.enter_context(httpx.Client(base_url=base, headers=bearer(n, devices[n]),
                   timeout=120)), devices[n], seeded.caseloads[n])
            for n in names
        ]  # fmt: skip
        for laptop in laptops:
            laptop.first_sync()
            laptop.search(queries[0])  # warm: every statement prepared once
        yield Morning(laptops, queries)


def _seed(url: str, officers: int) -> NationalResult:
    from bench.central import PASSWORD

    return seed_national(
        url, officers=officers, cases_per_officer=PER_OFFICER, seed=7, password=PASSWORD
    )


def national(
    admin_url: str,
    fresh: Callable[[str], str],
    officers: int = NATIONAL_OFFICERS,
    rounds: int = ROUNDS,
) -> Iterator[Figure]:
    """The figures (see the module); `fresh` makes an empty database on the cluster."""
    needed = officers * PER_OFFICER * 280 * BYTES_PER_RECORD
    free = shutil.disk_usage(tempfile.gettempdir()).free
    if free < needed:
        note = f"needs {needed >> 30} GiB free in the temporary folder, has {free >> 30}"
        yield {"name": "national_skipped", "value": 0, "unit": "", "note": note}
        return
    small_url, big_url = fresh(admin_url), fresh(admin_url)
    small_seeded = _seed(small_url, SMALL_OFFICERS)
    seeded = _seed(big_url, officers)
    yield {"name": "national_seed_records_per_s", "value": round(seeded.records_per_s),
           "unit": "records/s", "records": seeded.records, "cases": seeded.cases,
           "seconds": round(seeded.seconds, 1), "index_seconds": round(seeded.index_seconds, 1),
           "database_bytes": _database_bytes(big_url)}  # fmt: skip
    small, big = _compare(small_url, small_seeded, big_url, seeded, rounds)
    for kind in ("pull", "push", "search"):
        ratio = big.p99_ms(kind) / small.p99_ms(kind)
        yield {"name": f"{kind}_p99_ratio_national_vs_small", "value": round(ratio, 2),
               "unit": "x", "target": 1.5, "national_p99_ms": round(big.p99_ms(kind), 1),
               "small_p99_ms": round(small.p99_ms(kind), 1),
               "national_p50_ms": round(big.p50_ms(kind), 1),
               "small_p50_ms": round(small.p50_ms(kind), 1), "requests": rounds,
               "national_cases": seeded.cases, "national_records": seeded.records}  # fmt: skip


def _compare(
    small_url: str, small: NationalResult, big_url: str, big: NationalResult, rounds: int
) -> tuple[Timings, Timings]:
    """Sessions on both databases, alternating, so a change in the host's load (other
    work on a shared machine) falls on both alike."""
    with _mornings(small_url, small, rounds) as on_small, _mornings(big_url, big, rounds) as on_big:
        for n in range(rounds):
            on_small.session(n)
            on_big.session(n)
        return on_small.timings, on_big.timings


def _database_bytes(url: str) -> int:
    from sqlalchemy import text

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            )
    finally:
        engine.dispose()
