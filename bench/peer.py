"""`python -m bench peer`: Fieldcase side by side with Kinto on the same records (issue 22).

Both sides hold the same JSON documents: the 27,099 records of one officer's 100 cases
that `bench sync` uses, synced into a Fieldcase cache first and then loaded with SQL into
Kinto's PostgreSQL table (bench/_kinto.py). Rounds alternate which side goes first, so
load that drifts during the run falls on both; each figure gives both sides' min and
median seconds and the median of the per-round ratios (Fieldcase / peer, lower is better).

- first_sync_vs_peer: a new laptop's first sync (Fieldcase: encrypted cache, search
  index, checksums) vs kinto-http into one SQLCipher table (`peer_plain_s`: plain SQLite);
- pull_1000_vs_peer: pulling 1,000 new contacts another laptop pushed (Kinto's are
  written with SQL, as its trigger stamps them: setup, not measured);
- push_vs_peer: pushing 1,000 new contacts (four rounds, as the others: Kinto takes
  4.5-6.5 s a round on a quiet host), in batches of the same size on both sides
  (`batch_max_requests` = MAX_PUSH_BATCH).

Needs the `[bench]` extra (kinto, kinto-http) and PostgreSQL's server binaries.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import keyring

from bench import _kinto
from bench.sync import _central, _dump_rows, _laptop, queue_contacts
from sync.engine import SyncEngine
from sync.progress import Progress
from tests.support.memory_keyring import MemoryKeyring

Figure = dict[str, Any]
Timer = Callable[[int], float]


def _rounds(name: str, fieldcase: Timer, peer: Timer, rounds: int, **extra: Any) -> Figure:
    """Alternate the sides' order round by round; min, median and paired ratios."""
    load = os.getloadavg()[0]
    pairs: list[tuple[float, float]] = []
    for n in range(rounds):
        if n % 2 == 0:
            ours = fieldcase(n)
            theirs = peer(n)
        else:
            theirs = peer(n)
            ours = fieldcase(n)
        pairs.append((ours, theirs))
    ratios = [ours / theirs for ours, theirs in pairs]
    return {
        "name": name,
        "value": round(statistics.median(ratios), 2),
        "unit": "x peer",
        "ratio": round(statistics.median(ratios), 2),
        "ratio_min": round(min(ratios), 2),
        "fieldcase_s": _spread([ours for ours, _ in pairs]),
        "peer_s": _spread([theirs for _, theirs in pairs]),
        "rounds": [[round(a, 3), round(b, 3)] for a, b in pairs],
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
        **extra,
    }


def _spread(values: list[float]) -> dict[str, float]:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3)}


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _cpu_timed(work: Callable[[], object], into: list[float]) -> float:
    """Wall seconds; the process's CPU seconds (every thread) appended to `into`."""
    cpu = time.process_time()
    seconds = _timed(work)
    into.append(time.process_time() - cpu)
    return seconds


def first_sync(live: Any, peer: _kinto.Peer, folder: Path, rounds: int, records: int) -> Figure:
    plain: list[float] = []
    our_cpu: list[float] = []
    their_cpu: list[float] = []

    def ours(n: int) -> float:
        client, cache = _laptop(live, folder, f"first-{n}")
        progress = Progress()
        limit = client.settings.pull_limit
        engine = SyncEngine(cache, client.api(progress), progress, pull_limit=limit)
        seconds = _cpu_timed(engine.run, our_cpu)
        client.close()
        cache.close()
        return seconds

    def theirs(n: int) -> float:
        laptop = _kinto.Laptop(peer, folder / f"peer-plain-{n}.db")
        plain.append(_timed(laptop.pull))
        laptop.close()
        laptop = _kinto.Laptop(peer, folder / f"peer-first-{n}.db", key=_kinto.new_key())
        seconds = _cpu_timed(laptop.pull, their_cpu)
        assert laptop.count() == records, (laptop.count(), records)
        laptop.close()
        return seconds

    figure = _rounds("first_sync_vs_peer", ours, theirs, rounds, records=records)
    # The laptop's CPU (the servers run in their own processes): steadier than wall
    # time when other work shares the cores.
    cpu = {"fieldcase_client_cpu_s": _spread(our_cpu), "peer_client_cpu_s": _spread(their_cpu)}
    return {**figure, **cpu, "peer_plain_s": _spread(plain), "target_ratio": 0.8}


def pull_1000(live: Any, peer: _kinto.Peer, folder: Path, rounds: int, sample: Any) -> Figure:
    reader, reader_cache = _laptop(live, folder, "reader")
    writer, writer_cache = _laptop(live, folder, "writer")
    reader.sync()
    writer.sync()
    peer_reader = _kinto.Laptop(peer, folder / "peer-reader.db", key=_kinto.new_key())
    peer_reader.pull()

    def ours(_: int) -> float:
        queue_contacts(live, writer_cache, 1000)
        writer.sync()
        progress = Progress()
        return _timed(SyncEngine(reader_cache, reader.api(progress), progress).pull)

    def theirs(_: int) -> float:
        _kinto.write_elsewhere(peer, [sample] * 1000)
        return _timed(peer_reader.pull)

    figure = _rounds("pull_1000_vs_peer", ours, theirs, rounds, changes=1000)
    peer_reader.close()
    for client, cache in ((reader, reader_cache), (writer, writer_cache)):
        client.close()
        cache.close()
    return {**figure, "target_ratio": 1.0}


def push(
    live: Any, peer: _kinto.Peer, folder: Path, rounds: int, *, count: int, sample: Any
) -> Figure:
    client, cache = _laptop(live, folder, "pusher")
    client.sync()
    peer_pusher = _kinto.Laptop(peer, folder / "peer-pusher.db", key=_kinto.new_key())

    def ours(_: int) -> float:
        queue_contacts(live, cache, count)
        progress = Progress()
        seconds = _timed(SyncEngine(cache, client.api(progress), progress).push)
        assert cache.pending_count() == 0
        return seconds

    def theirs(_: int) -> float:
        peer_pusher.queue([sample] * count)
        return _timed(peer_pusher.push)

    figure = _rounds("push_vs_peer", ours, theirs, rounds, mutations=count)
    peer_pusher.close()
    client.close()
    cache.close()
    return {**figure, "target_ratio": 1 / 20}


def _contact_sample(rows: Path) -> dict[str, Any]:
    """A contact document from the synced rows: what the peer's writers push."""
    with rows.open() as lines:
        for row in map(json.loads, lines):
            if row["kind"] == "contact":
                return _kinto.document(row)
    raise RuntimeError("no contact in the synced rows")


def run(args: argparse.Namespace) -> Iterable[Figure]:
    missing = [m for m in ("kinto", "kinto_http") if importlib.util.find_spec(m) is None]
    if missing:
        # Said, not failed: `python -m bench` runs every area, and the others need no peer.
        hint = "pip install -e '.[bench]'"
        print(f"bench peer: skipped, {missing} not installed ({hint})", file=sys.stderr)
        return
    quick = bool(getattr(args, "quick", False))
    rounds = 2 if quick else 4
    # Kinto pushes 160-220 records/s on a quiet host (10-90 under load): four rounds of
    # 1,000 keep the run within a few minutes, and one slow round no longer sets the
    # median; Fieldcase's own 5,000 is `bench sync` push_mutations_per_s.
    push_count, push_rounds = (200, 2) if quick else (1000, 4)
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as tmp:
        folder = Path(tmp)
        with _central(folder, 10 if quick else 100) as live, _kinto.running(folder) as peer:
            client, cache = _laptop(live, folder, "source")
            client.sync()
            records = _dump_rows(cache, folder / "rows.jsonl")
            client.close()
            cache.close()
            _kinto.load(peer, folder / "rows.jsonl")
            sample = _contact_sample(folder / "rows.jsonl")
            yield first_sync(live, peer, folder, rounds, records)
            yield pull_1000(live, peer, folder, rounds, sample)
            yield push(live, peer, folder, push_rounds, count=push_count, sample=sample)
