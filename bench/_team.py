"""`team_caseload_p95_ms`: the team caseload of a 300-case team over real HTTP.

Seven officers (one team) of 43 cases each, the seed's usual contact history; 100
requests after 3 to warm up, p95 of the whole request as the client sees it (Limited
Access, each case's line, JSON, gzip, the audit entry). Target < 100 ms. Lines are kept
until their case changes (central/team_memo.py), so `first_ms` (every line worked out
afresh, as after a restart) is reported beside it. The ratio is against reading the same
cases' records raw from the database.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from central.auth.deps import Principal
from central.seed import SeedResult
from tests.central.sync.http_server import bearer, running_server

Figure = dict[str, Any]
OFFICERS, CASES_EACH = 7, 43  # 301 cases: one team of seven (central/seed/organisation.py)
WARM, MEASURED = 3, 100


def team_caseload(
    url: str,
    backend: str,
    seed: Callable[[str, int, int], SeedResult],
    principal: Callable[[str, SeedResult, str], Principal],
    raw_read: Callable[[str, list[str]], float],
) -> Iterator[Figure]:
    seeded = seed(url, OFFICERS, CASES_EACH)
    name = seeded.officers[0]
    who = principal(url, seeded, name)
    times: list[float] = []
    first = 0.0
    with (
        running_server(url) as base,
        httpx.Client(base_url=base, headers=bearer(name, who.device_id), timeout=60) as client,
    ):
        for n in range(WARM + MEASURED):
            started = time.perf_counter()
            answer = client.get("/v1/team/caseload")
            answer.raise_for_status()
            if n == 0:
                first = time.perf_counter() - started  # every case worked out afresh
            if n >= WARM:
                times.append(time.perf_counter() - started)
        cases = len(answer.json()["cases"])
    p95 = statistics.quantiles(times, n=20)[-1] * 1000
    every = [c for crns in seeded.caseloads.values() for c in crns]
    baseline = raw_read(url, every) * 1000
    yield {
        "name": f"team_caseload_p95_ms_{backend}",
        "value": round(p95, 1),
        "unit": "ms",
        "target": 100,
        "cases": cases,
        "baseline": round(baseline, 1),
        "ratio": round(p95 / baseline, 2),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "first_ms": round(first * 1000, 1),
    }
