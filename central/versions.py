"""Taking values of the global change sequence (`feed_counter`) for bulk writers.

The counter row is updated inside the writing transaction, which holds its row
lock (PostgreSQL) or the database write lock (SQLite) until commit: writers
serialise, so versions become visible in commit order. The sync engine's own
writer (`central.sync.feed`) follows the same rule for single mutations.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, bindparam, update

from central.tables import feed_counter

_RESERVE = (
    update(feed_counter)
    .where(feed_counter.c.id == 1)
    .values(value=feed_counter.c.value + bindparam("count", type_=BigInteger))
    .returning(feed_counter.c.value)
)


def reserve_versions(conn: Connection, count: int) -> int:
    """Reserve `count` consecutive versions; return the first of them."""
    if count < 1:
        raise ValueError("count must be positive")
    last = conn.execute(_RESERVE, {"count": count}).scalar_one()
    return int(last) - count + 1
