"""Taking record versions: from the counter row (SQLite) or a sequence (PostgreSQL).

SQLite: the counter row `feed_counter` is updated inside the writing transaction,
which holds the database's only write lock until commit, so versions become visible
in commit order and the feed is "versions above the cursor".

PostgreSQL: versions come from the sequence `record_versions` (no lock: writers run
in parallel). Commit order then differs from version order, which the feed handles
with each row's transaction id and the visibility watermark (`central.sync.feed`).
A record's own versions still rise in commit order as long as its writer locks the
row (`SELECT ... FOR UPDATE`) before taking the version: the next writer of that row
waits for the commit and only then takes its (higher) version.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, bindparam, func, select, update

from central.tables import feed_counter, record_versions

_RESERVE = (
    update(feed_counter)
    .where(feed_counter.c.id == 1)
    .values(value=feed_counter.c.value + bindparam("count", type_=BigInteger))
    .returning(feed_counter.c.value)
)
_SERIES = func.generate_series(1, bindparam("count", type_=BigInteger)).table_valued("n")
_NEXT = select(record_versions.next_value()).select_from(_SERIES)
# Bounded: a bulk writer's block is retried only while parallel writers interleave.
_CONSECUTIVE_TRIES = 100


def parallel_writers(conn: Connection) -> bool:
    """True on PostgreSQL: record versions from the sequence, the feed by watermark."""
    return conn.dialect.name == "postgresql"


def take_versions(conn: Connection, count: int) -> list[int]:
    """`count` new rising versions (gaps allowed). On PostgreSQL lock the rows being
    rewritten first (see the module's docstring)."""
    if count < 1:
        raise ValueError("count must be positive")
    if parallel_writers(conn):
        return sorted(int(v) for v in conn.execute(_NEXT, {"count": count}).scalars())
    first = reserve_versions(conn, count)
    return list(range(first, first + count))


def reserve_versions(conn: Connection, count: int) -> int:
    """Reserve `count` consecutive versions; return the first of them (bulk writers)."""
    if count < 1:
        raise ValueError("count must be positive")
    if not parallel_writers(conn):
        last = conn.execute(_RESERVE, {"count": count}).scalar_one()
        return int(last) - count + 1
    for _ in range(_CONSECUTIVE_TRIES):
        taken = take_versions(conn, count)
        if taken[-1] - taken[0] == count - 1:
            return taken[0]
    raise RuntimeError("no consecutive block of versions: too many concurrent writers")
