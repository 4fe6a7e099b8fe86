"""A first sync replayed in process: the cache's own cost, without network or server.

The pages of a real first sync (answers of the bench's server, as received) are
recorded once; `replay` then runs the engine's pull over them into a fresh cache, with
an API that answers from the recording. What it measures is the laptop's work alone:
parsing, deriving rows, staging, the SQL on the writing thread and its commits. Far
less noisy on a shared host than the end-to-end figure (no server competing for the
cores), so it is what a change to the cache is judged by (docs/sync.md "Client round 2").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync import api as sync_api
from sync.cache import EncryptedCache
from sync.engine import SyncEngine
from sync.progress import Progress
from sync.protocol import PullRequest
from sync.pull_page import PulledPage, parse_pull_page


def record(engine: SyncEngine) -> list[bytes]:
    """Run `engine.pull()` (a first sync) and return every page's body as received."""
    bodies: list[bytes] = []
    lock = threading.Lock()

    def recording(body: bytes) -> PulledPage:
        with lock:
            bodies.append(body)
        return parse_pull_page(body)

    original = sync_api.parse_pull_page
    sync_api.parse_pull_page = recording
    try:
        engine.pull()
    finally:
        sync_api.parse_pull_page = original
    return bodies


class _RecordedApi:
    """Answers pulls from recorded bodies, in order (the engine asks in order)."""

    def __init__(self, bodies: list[bytes]) -> None:
        self._bodies = iter(bodies)
        self.seconds_in_requests = 0.0

    def pull(self, request: PullRequest) -> PulledPage:
        return parse_pull_page(next(self._bodies))


@dataclass(frozen=True, slots=True)
class Replayed:
    wall_s: float
    cpu_s: float  # every thread of this process
    writer_cpu_s: float  # the thread that writes the cache (the engine's caller)


def replay(
    bodies: list[bytes], folder: Path, open_cache: Callable[[Path], EncryptedCache]
) -> Replayed:
    """One first sync of `bodies` into a new cache under `folder` (closed afterwards)."""
    cache = open_cache(folder)
    try:
        store: Any = cache
        writer_cpu = 0.0
        apply = store.apply_pull_page

        def timed(response: Any, prepared: object = None) -> None:
            nonlocal writer_cpu
            started = time.thread_time()
            try:
                apply(response, prepared)
            finally:
                writer_cpu += time.thread_time() - started

        store.apply_pull_page = timed
        progress = Progress()
        engine = SyncEngine(store, _RecordedApi(bodies), progress)  # type: ignore[arg-type]
        wall, cpu = time.perf_counter(), time.process_time()
        engine.pull()
        return Replayed(
            round(time.perf_counter() - wall, 3),
            round(time.process_time() - cpu, 3),
            round(writer_cpu, 3),
        )
    finally:
        cache.close()
