"""A stuck queue is counted in the cache, so it is said whatever restarts in between."""

from __future__ import annotations

import datetime as dt

from storage import push_health
from storage.db import CacheDb

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_failures_count_in_a_row_for_the_same_head(cdb: CacheDb) -> None:
    assert push_health.read(cdb) is None
    assert push_health.failed(cdb, 7, now=T0) == 1
    assert push_health.failed(cdb, 7, now=T0 + dt.timedelta(minutes=5)) == 2
    found = push_health.read(cdb)
    assert found == push_health.PushHealth(7, 2, T0)  # first failure kept


def test_a_new_head_or_a_push_that_went_through_starts_again(cdb: CacheDb) -> None:
    push_health.failed(cdb, 7, now=T0)
    push_health.failed(cdb, 7, now=T0)
    later = T0 + dt.timedelta(hours=1)
    assert push_health.failed(cdb, 9, now=later) == 1
    assert push_health.read(cdb) == push_health.PushHealth(9, 1, later)
    push_health.went_through(cdb)
    assert push_health.read(cdb) is None
    push_health.went_through(cdb)  # nothing to clear: no write
    assert push_health.read(cdb) is None
