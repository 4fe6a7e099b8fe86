"""`cover_download_s`: a colleague's 40 cases coming onto a laptop for cover.

Two officers of one team, 40 cases each, the real service on loopback (SQLite) and the
real encrypted cache. The laptop first syncs its own 40 cases (the baseline: the first
sync's time per case); then it asks for cover of the colleague and syncs again, timed
from the request to the last case written. Target: no more than twice the first sync's
time per case (the cover's pull is an incremental one that carries 40 whole cases).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

CASES = 40
PASSWORD = "Bench-Synthetic-2026"  # noqa: S105 - synthetic demo officers only


def cover_download(keyring: Any) -> dict[str, Any]:
    from central.seed import seed_database
    from storage.crypto import FAST_TEST_PARAMS
    from sync.cache import EncryptedCache, profile_name
    from sync.client import SyncClient
    from sync.protocol import PROTOCOL_VERSION, CoverRequest
    from sync.team_api import TeamApi
    from tests.central.sync.http_server import running_server

    work = Path(tempfile.mkdtemp(prefix="fieldcase-bench-cover-"))
    keyring(work)
    url = f"sqlite:///{work / 'central.db'}"
    seeded = seed_database(url, officers=2, cases_per_officer=CASES, seed=5, password=PASSWORD)
    me, colleague = seeded.officers
    folder = work / "laptop"
    cache = EncryptedCache.open(folder, profile_name(folder, me), PASSWORD, kdf=FAST_TEST_PARAMS)
    with running_server(url) as base:
        client = SyncClient(cache, base, me)
        try:
            client.sign_in(PASSWORD, "bench laptop")
            started = time.perf_counter()
            first = client.sync()
            first_s = time.perf_counter() - started
            api = TeamApi(client.http, client.auth)
            now = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            grant = api.start_cover(
                CoverRequest(
                    protocol_version=PROTOCOL_VERSION,
                    id=uuid.uuid4(),
                    staff_code=seeded.staff_codes[colleague],
                    starts_at=now,
                    ends_at=now + dt.timedelta(days=1),
                    reason="Benchmark cover",
                )
            )
            covered = client.sync()
            cover_s = time.perf_counter() - started
        finally:
            client.close()
            cache.close()
            shutil.rmtree(work, ignore_errors=True)
    per_first, per_cover = first_s / max(first.cases, 1), cover_s / max(len(grant.crns), 1)
    return {
        "name": "cover_download_s",
        "value": round(cover_s, 3),
        "unit": "s",
        "cases": len(grant.crns),
        "baseline": round(per_first * len(grant.crns), 3),
        "ratio": round(per_cover / per_first, 2),
        "target_ratio": 2.0,
        "first_sync_s": round(first_s, 3),
        "held_after": covered.cases,
    }
