"""Per-case checksums of the server versions held, to detect drift from the server.

The same algorithm as sync.protocol.case_checksum (storage sits below sync and cannot
import it; a test keeps the two equal). Local pending edits do not count: the server
copy in `shadow` does, and records created here (not yet on the server) are left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from storage.db import CacheDb
from storage.schema import RECORD_KINDS


def checksum(records: Iterable[tuple[str, str, int]]) -> str:
    digest = hashlib.sha256()
    for kind, record_id, version in sorted((k, str(i), v) for k, i, v in records):
        digest.update(f"{kind}:{record_id}:{version}\n".encode())
    return digest.hexdigest()[:32]


def _lines_sql() -> str:
    """Each held case's `kind:id:version` lines, in `checksum`'s order, as one text.

    SQLite builds and sorts the lines (BINARY collation orders ASCII text as Python's
    sort does; ids and kinds are ASCII, versions compare as integers), so the first
    sync's check hashes one string per case instead of a Python tuple per record:
    ~0.4 s less for 27,000 records.
    """
    server_rows = [
        f"SELECT crn, '{kind}' AS kind, id, version FROM {kind} AS r"  # noqa: S608 - fixed names
        f" WHERE version > 0 AND NOT EXISTS"
        f" (SELECT 1 FROM shadow s WHERE s.kind = '{kind}' AND s.id = r.id)"
        for kind in RECORD_KINDS
    ]
    server_rows.append("SELECT crn, kind, id, version FROM shadow WHERE data IS NOT NULL")
    union = " UNION ALL ".join(server_rows)
    return (
        "SELECT crn, group_concat(kind || ':' || id || ':' || version || char(10), ''"  # noqa: S608
        f" ORDER BY kind, id, version) FROM ({union}) GROUP BY crn"
    )


_LINES_SQL = _lines_sql()


def case_checksums(cdb: CacheDb) -> dict[str, str]:
    """Checksum of every held case (an empty case has the checksum of no records)."""
    empty = checksum(())
    sums = {row[0]: empty for row in cdb.execute("SELECT crn FROM held_case")}
    for crn, lines in cdb.execute(_LINES_SQL):
        if crn in sums:
            sums[crn] = hashlib.sha256(lines.encode()).hexdigest()[:32]
    return sums
