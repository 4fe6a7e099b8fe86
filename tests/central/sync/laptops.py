"""Laptops pushing and pulling at once against `fieldcase-central serve --workers N`.

Shared by the exactly-once / no-skip check (test_parallel_writers.py) and the writers
figure of `python -m bench central` (bench/_writers.py): several API processes over one
PostgreSQL database, laptops pushing record_contact batches (resending whatever was not
answered, as the client does), and readers pulling rounds all the while.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from sync.protocol import PROTOCOL_VERSION
from tests.central.sync.http_server import SECRET, bearer, free_port

READY_SECONDS = 60
RESENDS = 50  # a laptop resends what was not answered (a 503 while busy), this often


@contextmanager
def serving(url: str, workers: int, *, cwd: Path | None = None) -> Iterator[str]:
    """The service in `workers` processes on loopback; yields its base URL when ready
    (`cwd`: another checkout's tree, to measure before and after a change)."""
    env = {**os.environ, "FIELDCASE_CENTRAL_JWT_SECRET": SECRET}
    port = free_port()
    command = [
        sys.executable, "-m", "central.cli", "serve", "--database-url", url,
        "--port", str(port), "--workers", str(workers), "--log-level", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        tick = threading.Event()
        for _ in range(READY_SECONDS * 20):
            if process.poll() is not None:
                raise RuntimeError("the server exited during start-up")
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                tick.wait(0.05)
        else:
            raise RuntimeError("the server did not become ready")
        yield base
    finally:
        process.terminate()
        process.wait(60)


@dataclass
class Laptop:
    """One enrolled device of an officer, with its outbox position."""

    username: str
    device: str
    crns: list[str]
    next_seq: int = 1


@dataclass
class Pushed:
    """What the pushers did: contact ids per CRN, answers per status, time and latencies."""

    contacts: dict[str, set[str]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    busy: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def mutations(self) -> int:
        return sum(self.statuses.values())


def _contact_batch(laptop: Laptop, size: int) -> list[dict[str, Any]]:
    batch = []
    for _ in range(size):
        crn = laptop.crns[laptop.next_seq % len(laptop.crns)]
        args = {"contact_id": str(uuid.uuid4()), "crn": crn, "type_code": "CTOA",
                "date": dt.date.today().isoformat()}  # fmt: skip
        created = dt.datetime.now(dt.UTC).isoformat()
        batch.append({"seq": laptop.next_seq, "id": str(uuid.uuid4()), "name": "record_contact",
                      "version": 1, "args": args, "created_at": created})  # fmt: skip
        laptop.next_seq += 1
    return batch


def _push_batch(client: httpx.Client, laptop: Laptop, batch: list[dict[str, Any]],
                pushed: Pushed) -> None:  # fmt: skip
    """Send until every seq of the batch is answered (resends are what exactly-once is for)."""
    waiting = list(batch)
    for _ in range(RESENDS):
        body = {"protocol_version": PROTOCOL_VERSION, "client_id": laptop.device,
                "mutations": waiting}  # fmt: skip
        started = time.perf_counter()
        response = client.post("/v1/sync/push", json=body)
        elapsed = time.perf_counter() - started
        answered = {}
        if response.status_code == 200:
            answered = {r["seq"]: r["status"] for r in response.json()["results"]}
        with pushed.lock:
            pushed.latencies.append(elapsed)
            pushed.busy += response.status_code != 200
            for env in waiting:
                if env["seq"] in answered:
                    pushed.statuses[answered[env["seq"]]] += 1
                    args = env["args"]
                    pushed.contacts.setdefault(args["crn"], set()).add(args["contact_id"])
        waiting = [env for env in waiting if env["seq"] not in answered]
        if not waiting:
            return
    raise AssertionError(f"{laptop.device}: seqs never answered after {RESENDS} sends")


def push_contacts(base: str, laptops: list[Laptop], batches: int, size: int) -> Pushed:
    """Every laptop pushes `batches` batches of `size` new contacts, all at once."""
    pushed = Pushed()

    def one(laptop: Laptop) -> None:
        headers = bearer(laptop.username, laptop.device)
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            for _ in range(batches):
                _push_batch(client, laptop, _contact_batch(laptop, size), pushed)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(laptops)) as pool:
        for job in [pool.submit(one, laptop) for laptop in laptops]:
            job.result()
    pushed.seconds = time.perf_counter() - started
    return pushed


@dataclass
class Reader:
    """An officer's laptop pulling rounds: every change it was served, counted."""

    laptop: Laptop
    cursor: str | None = None
    held: set[str] = field(default_factory=set)
    served: Counter[tuple[str, int]] = field(default_factory=Counter)
    ids: set[str] = field(default_factory=set)

    def round(self, client: httpx.Client) -> None:
        """Pull pages until `has_more` is false (a 503 while busy is asked again)."""
        for _ in range(10_000):
            body = {"protocol_version": PROTOCOL_VERSION, "client_id": self.laptop.device,
                    "cursor": self.cursor, "held_cases": sorted(self.held),
                    "limit": 200}  # fmt: skip
            response = client.post("/v1/sync/pull", json=body)
            if response.status_code == 503:
                continue
            response.raise_for_status()
            page = response.json()
            self.held |= {s["crn"] for s in page["snapshots"]}
            self.held -= set(page["evicted"])
            for change in page["changes"]:
                self.served[(change["id"], change["version"])] += 1
                self.ids.add(change["id"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return
        raise AssertionError("a pull round never ended")


def read_while(base: str, readers: list[Reader], running: threading.Event) -> list[int]:
    """Each reader pulls rounds while `running` is set, then one last round; returns the
    number of rounds each pulled."""
    rounds = [0] * len(readers)

    def one(index: int) -> None:
        reader = readers[index]
        headers = bearer(reader.laptop.username, reader.laptop.device)
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            while running.is_set():
                reader.round(client)
                rounds[index] += 1
            reader.round(client)
            rounds[index] += 1

    with ThreadPoolExecutor(len(readers)) as pool:
        for job in [pool.submit(one, i) for i in range(len(readers))]:
            job.result()
    return rounds
