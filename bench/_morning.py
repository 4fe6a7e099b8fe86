"""The national morning on one host: K officers' laptops sync their night's work at once.

Each incremental session is what a laptop does at 09:00: refresh its access token (the
15-minute one expired overnight; a DPoP proof made with its own key), pull the few
changes since yesterday, push 1-20 mutations of the evening's work, run one national
search. A trickle of new laptops first-sync (all pages of a caseload) meanwhile. Every
request is real: bearer tokens checked against device and session, scope on pull and
push, writes and audit through the real API over HTTP on loopback, PostgreSQL behind
several API processes.

Sessions arrive open-loop (Poisson, `rate` a second, over the K officers in turn): a
server that falls behind sees its queue grow and its latencies with it, as a real
morning would, rather than the load politely waiting. The generator is one asyncio
process writing pre-built bytes (bench/_loopback.py); its CPU is reported apart from
the server's (API processes and PostgreSQL, from /proc), so CPU per session is the
server's own.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bench._loopback import Answer, Connection
from bench._proc_cpu import postmaster_pid, server_pid, tree_cpu_seconds
from central.auth.devices import enrol_device
from central.auth.tokens import issue_access_token, refresh_token_hash
from central.config import CLIENT_ID
from central.db import make_engine, transaction, utcnow
from central.tables import cases, refresh_tokens, token_families
from sync.dpop import DeviceKey
from sync.protocol import PROTOCOL_VERSION
from tests.central.sync.http_server import SECRET

Figure = dict[str, Any]


@dataclass
class Laptop:
    """One officer's laptop as the generator drives it: its tokens, key, cursor and outbox."""

    username: str
    device: str
    crns: list[str]
    prefixes: list[str]
    key: DeviceKey
    refresh: str
    access: str
    cursor: str | None = None
    held: list[str] = field(default_factory=list)
    seq: int = 0
    proofs: list[str] = field(default_factory=list)
    # A laptop syncs one session at a time (its refresh token rotates), as the client does.
    busy: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class Timings:
    """Latencies by request type, the run's errors and its completed sessions."""

    by_type: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    sessions: int = 0
    first_syncs: int = 0

    def add(self, kind: str, seconds: float, answer: Answer) -> None:
        self.by_type.setdefault(kind, []).append(seconds)
        if answer.status != 200:
            self.errors[f"{kind}_{answer.status}"] = (
                self.errors.get(f"{kind}_{answer.status}", 0) + 1
            )

    def everything(self) -> list[float]:
        return [s for values in self.by_type.values() for s in values]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def _enrol(conn: Any, username: str, crns: list[str], surnames: list[str]) -> Laptop:
    """A laptop signed in as the real flow leaves it: device and session bound to its key,
    one live refresh token, an access token."""
    now, device, key = utcnow(), str(uuid.uuid4()), DeviceKey.generate()
    family, refresh = str(uuid.uuid4()), uuid.uuid4().hex + uuid.uuid4().hex
    enrol_device(conn, device, username, name="morning laptop", jkt=key.thumbprint, now=now)
    conn.execute(
        token_families.insert().values(
            id=family, device_id=device, username=username, jkt=key.thumbprint, created_at=now
        )
    )
    conn.execute(
        refresh_tokens.insert().values(
            token_hash=refresh_token_hash(refresh),
            family_id=family,
            device_id=device,
            username=username,
            issued_at=now,
            expires_at=now + timedelta(days=30),
        )
    )
    access = issue_access_token(
        SECRET.encode(), username, device, now, timedelta(minutes=60), session_id=family
    )
    prefixes = sorted({s[:3] for s in surnames if len(s) >= 3}) or ["smi"]
    return Laptop(username, device, crns, prefixes, key, refresh, access)


def enrol_laptops(url: str, caseloads: dict[str, list[str]], spare: int) -> list[Laptop]:
    """One laptop per officer, then `spare` more (new laptops that will first-sync)."""
    engine = make_engine(url)
    names = list(caseloads)
    try:
        with transaction(engine) as conn:
            surnames = dict(conn.execute(select(cases.c.crn, cases.c.surname)).all())
            return [
                _enrol(conn, n, caseloads[n], [surnames.get(c) or "" for c in caseloads[n]])
                for n in names + names[:spare]
            ]
    finally:
        engine.dispose()


class Morning:
    """The generator: laptops' requests, timed by type."""

    def __init__(self, base: str, timings: Timings) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.timings = host, int(port), timings
        self.token_url = f"{base}/oauth/token"

    async def _timed(self, kind: str, conn: Connection, *args: Any, **kwargs: Any) -> Answer:
        started = time.perf_counter()
        answer = await conn.request(*args, **kwargs)
        self.timings.add(kind, time.perf_counter() - started, answer)
        return answer

    async def refresh(self, conn: Connection, laptop: Laptop) -> None:
        body = (
            f"grant_type=refresh_token&client_id={CLIENT_ID}"
            f"&refresh_token={laptop.refresh}&device_id={laptop.device}"
        ).encode()
        answer = await self._timed(
            "refresh",
            conn,
            "POST",
            "/oauth/token",
            f"DPoP: {laptop.proofs.pop()}\r\n",
            body,
            content_type="application/x-www-form-urlencoded",
        )
        if answer.status == 200:
            grant = answer.json()
            laptop.access, laptop.refresh = grant["access_token"], grant["refresh_token"]

    async def pull(self, conn: Connection, laptop: Laptop, kind: str) -> int:
        """Pull until the laptop is up to date; the pages it took."""
        pages = 0
        while True:
            body = {
                "protocol_version": PROTOCOL_VERSION,
                "client_id": laptop.device,
                "cursor": laptop.cursor,
                "held_cases": laptop.held,
                "limit": 1000,
            }
            answer = await self._timed(
                kind, conn, "POST", "/v1/sync/pull", _auth(laptop), _json(body)
            )
            pages += 1
            if answer.status != 200:
                return pages
            page = answer.json()
            held = set(laptop.held) | {s["crn"] for s in page["snapshots"]}
            laptop.held = sorted(held - set(page["evicted"]))
            laptop.cursor = page["cursor"]
            if not page["has_more"]:
                return pages

    async def push(self, conn: Connection, laptop: Laptop, count: int) -> None:
        today = utcnow().date().isoformat()
        created = utcnow().isoformat()
        mutations = []
        for n in range(count):
            laptop.seq += 1
            crn = laptop.crns[(laptop.seq + n) % len(laptop.crns)]
            args = {"contact_id": str(uuid.uuid4()), "crn": crn, "type_code": "CTOA", "date": today}
            mutations.append(
                {
                    "seq": laptop.seq,
                    "id": str(uuid.uuid4()),
                    "name": "record_contact",
                    "version": 1,
                    "args": args,
                    "created_at": created,
                }
            )
        body = {
            "protocol_version": PROTOCOL_VERSION,
            "client_id": laptop.device,
            "mutations": mutations,
        }
        await self._timed("push", conn, "POST", "/v1/sync/push", _auth(laptop), _json(body))

    async def search(self, conn: Connection, laptop: Laptop, rng: random.Random) -> None:
        target = f"/v1/search?q={rng.choice(laptop.prefixes)}"
        await self._timed("search", conn, "GET", target, _auth(laptop))

    async def session(self, laptop: Laptop, mutations: int, rng: random.Random) -> None:
        """The 09:00 sync of a laptop that synced yesterday, on one keep-alive connection."""
        conn = Connection(self.host, self.port)
        await laptop.busy.acquire()
        try:
            await self.refresh(conn, laptop)
            await self.pull(conn, laptop, "pull")
            await self.push(conn, laptop, mutations)
            await self.search(conn, laptop, rng)
            self.timings.sessions += 1
        finally:
            laptop.busy.release()
            await conn.close()

    async def first_sync(self, laptop: Laptop, kind: str = "first_sync_page") -> None:
        conn = Connection(self.host, self.port)
        try:
            await self.pull(conn, laptop, kind)
            self.timings.first_syncs += 1
        finally:
            await conn.close()


def _auth(laptop: Laptop) -> str:
    return f"Authorization: Bearer {laptop.access}\r\n"


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


async def _bounded(jobs: list[Any], width: int) -> None:
    gate = asyncio.Semaphore(width)

    async def one(job: Any) -> None:
        async with gate:
            await job

    await asyncio.gather(*(one(j) for j in jobs))


async def prepare(base: str, laptops: list[Laptop]) -> None:
    """Yesterday: every laptop's first sync and an evening push (not measured), so the
    morning pull has its few changes."""
    morning = Morning(base, Timings())
    await _bounded([morning.first_sync(lap, "setup") for lap in laptops], 8)
    await _bounded([_evening(morning, lap) for lap in laptops], 8)


async def _evening(morning: Morning, laptop: Laptop) -> None:
    conn = Connection(morning.host, morning.port)
    try:
        await morning.push(conn, laptop, 3)
    finally:
        await conn.close()


async def run_morning(
    base: str, laptops: list[Laptop], fresh: list[Laptop], *, rounds: int, rate: float, seed: int
) -> tuple[Timings, float]:
    """`rounds` sessions per laptop arriving at `rate`/s, fresh laptops spread among them."""
    rng = random.Random(seed)
    plan = [lap for _ in range(rounds) for lap in rng.sample(laptops, len(laptops))]
    for laptop in laptops:
        laptop.proofs = [
            laptop.key.proof("POST", f"{base}/oauth/token", issued_at=time.time())
            for _ in range(rounds)
        ]
    timings = Timings()
    morning = Morning(base, timings)
    every = max(1, len(plan) // max(1, len(fresh)))
    tasks, started = [], time.perf_counter()
    due = started
    for n, laptop in enumerate(plan):
        due += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(morning.session(laptop, rng.randint(1, 20), rng)))
        if n % every == every // 2 and fresh:
            tasks.append(asyncio.create_task(morning.first_sync(fresh.pop())))
    await asyncio.gather(*tasks)
    return timings, time.perf_counter() - started


def figures(
    timings: Timings, wall: float, cpu: dict[str, float], common: Figure
) -> Iterator[Figure]:
    everything = timings.everything()
    sessions = timings.sessions
    yield {
        "name": "morning_sessions_per_s",
        "value": round(sessions / wall, 1),
        "unit": "sessions/s",
        "sessions": sessions,
        "first_syncs": timings.first_syncs,
        "wall_s": round(wall, 2),
        **common,
    }
    yield {
        "name": "morning_p99_ms",
        "value": round(p99(everything), 1),
        "unit": "ms",
        "p50_ms": round(statistics.median(everything) * 1000, 1),
        "requests": len(everything),
        **common,
    }
    for kind, values in sorted(timings.by_type.items()):
        yield {
            "name": f"morning_{kind}_p99_ms",
            "value": round(p99(values), 1),
            "unit": "ms",
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "requests": len(values),
        }
    yield {
        "name": "morning_errors",
        "value": sum(timings.errors.values()),
        "unit": "requests",
        "by_status": timings.errors,
    }
    done = max(1, sessions + timings.first_syncs)
    for who, seconds in cpu.items():
        yield {
            "name": f"morning_cpu_ms_per_session_{who}",
            "value": round(seconds / done * 1000, 2),
            "unit": "ms",
            "cpu_s": round(seconds, 2),
            "sessions": done,
        }


def morning_model(
    url: str, *, officers: int, cases: int, workers: int, rate: float, rounds: int = 2
) -> Iterator[Figure]:
    """K = `officers` laptops, `rounds` sessions each at `rate`/s, 2% first syncs, on
    `workers` API processes over PostgreSQL at `url` (a fresh database)."""
    from bench.central import _seed, _server_processes

    seeded = _seed(url, officers, cases)
    laptops = enrol_laptops(url, seeded.caseloads, spare=max(1, officers * rounds // 50))
    ours, fresh = laptops[:officers], laptops[officers:]
    postmaster = postmaster_pid(url)
    env = {
        **os.environ,
        "FIELDCASE_CENTRAL_JWT_SECRET": SECRET,
        "FIELDCASE_CENTRAL_ACCESS_TOKEN_MINUTES": "60",
    }
    with _server_processes(url, workers, env=env) as base:
        api = server_pid(int(base.rsplit(":", 1)[1]))
        asyncio.run(prepare(base, ours))
        load = os.getloadavg()
        before = tree_cpu_seconds(api), tree_cpu_seconds(postmaster), time.process_time()
        timings, wall = asyncio.run(
            run_morning(base, ours, fresh, rounds=rounds, rate=rate, seed=11)
        )
        after = tree_cpu_seconds(api), tree_cpu_seconds(postmaster), time.process_time()
    cpu = {
        "server": after[0] - before[0] + after[1] - before[1],
        "api": after[0] - before[0],
        "postgres": after[1] - before[1],
        "generator": after[2] - before[2],
    }
    common = {
        "officers": officers,
        "api_processes": workers,
        "offered_rate": rate,
        "loadavg_1m": round(load[0], 2),
    }
    yield from figures(timings, wall, cpu, common)
