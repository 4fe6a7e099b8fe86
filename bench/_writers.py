"""Writers in parallel: push rate with 1, 2 and 4 API processes on PostgreSQL (issue 22).

Laptops push batches of new contacts all at once (resending what a busy server did not
answer) against `fieldcase-central serve --workers N`; the figure is mutations applied
per second. With `FIELDCASE_BENCH_BEFORE_TREE` set to a checkout from before the
watermark (e.g. `git worktree add /tmp/before <commit>`), the same run against that
tree's service (every record write queued on the one counter row) is the baseline.

Each database is seeded and its laptops enrolled by the tree that serves it (a
subprocess in that tree), so the schema and the code always match.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.central import _fresh_database
from tests.central.sync.laptops import Laptop, push_contacts, serving

Figure = dict[str, Any]
PROCESSES = (1, 2, 4)
BEFORE_TREE = "FIELDCASE_BENCH_BEFORE_TREE"

# Run in the serving tree: seed, enrol the laptops, print each laptop's caseload.
_PREPARE = """
import json, sys
from central.db import make_engine, transaction
from central.seed import seed_database
from tests.central.sync.http_server import register_laptop
url, officers, per_officer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seeded = seed_database(url, officers=officers, cases_per_officer=5, seed=7, password="x" * 12)
engine = make_engine(url)
laptops = []
with transaction(engine) as conn:
    for name in seeded.officers:
        for n in range(per_officer):
            device = "00000000-0000-4000-8000-%012d" % len(laptops)
            register_laptop(conn, device, name)
            laptops.append([name, device, seeded.caseloads[name]])
engine.dispose()
print(json.dumps(laptops))
"""


def _prepare(url: str, tree: Path, officers: int, per_officer: int) -> list[Laptop]:
    command = [sys.executable, "-c", _PREPARE, url, str(officers), str(per_officer)]
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        command, cwd=tree, check=True, capture_output=True, text=True
    ).stdout
    return [Laptop(name, device, crns) for name, device, crns in json.loads(out)]


def push_rate(
    admin_url: str, tree: Path, processes: int, laptops: int, batches: int
) -> tuple[float, float, int]:
    """Mutations applied per second, push p99 (s) and busy answers (503, resent) with
    `processes` API processes."""
    url = _fresh_database(admin_url)
    crowd = _prepare(url, tree, officers=laptops // 2, per_officer=2)
    with serving(url, processes, cwd=tree) as base:
        pushed = push_contacts(base, crowd, batches, size=20)
    applied = pushed.statuses["applied"]
    if applied != len(crowd) * batches * 20:
        raise RuntimeError(f"not every mutation applied: {dict(pushed.statuses)}")
    ordered = sorted(pushed.latencies)
    return applied / pushed.seconds, ordered[int(len(ordered) * 0.99)], pushed.busy


def writers(admin_url: str, quick: bool) -> Iterator[Figure]:
    """`writers_push_<n>_processes_postgres` (mutations/s), with the counter baseline
    when a before tree is given."""
    laptops, batches = (8, 3) if quick else (16, 5)
    here = Path(__file__).resolve().parent.parent
    before = os.environ.get(BEFORE_TREE)
    for processes in PROCESSES:
        rate, p99, busy = push_rate(admin_url, here, processes, laptops, batches)
        figure: Figure = {
            "name": f"writers_push_{processes}_processes_postgres",
            "value": round(rate, 1),
            "unit": "mutations/s",
            "push_p99_s": round(p99, 2),
            "busy_answers": busy,
            "laptops": laptops,
            "mutations": laptops * batches * 20,
        }
        if before:
            base_rate, base_p99, base_busy = push_rate(
                admin_url, Path(before), processes, laptops, batches
            )
            figure.update(
                baseline=round(base_rate, 1),
                ratio=round(rate / base_rate, 2),
                baseline_push_p99_s=round(base_p99, 2),
                baseline_busy_answers=base_busy,
            )
        figure["load_average_1m"] = round(os.getloadavg()[0], 2)
        yield figure
