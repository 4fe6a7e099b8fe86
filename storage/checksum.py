"""Per-case checksums of the server versions held, to detect drift from the server.

The same algorithm as sync.protocol.case_checksum (storage sits below sync and cannot
import it; a test keeps the two equal). Local pending edits do not count: the server
copy in `shadow` does, and records created here (not yet on the server) are left out.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from storage.db import CacheDb
from storage.schema import RECORD_KINDS


def checksum(records: Iterable[tuple[str, str, int]]) -> str:
    digest = hashlib.sha256()
    for kind, record_id, version in sorted((k, str(i), v) for k, i, v in records):
        digest.update(f"{kind}:{record_id}:{version}\n".encode())
    return digest.hexdigest()[:32]


def case_checksums(cdb: CacheDb) -> dict[str, str]:
    """Checksum of every held case (an empty case has the checksum of no records)."""
    held: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for row in cdb.query("SELECT crn FROM held_case"):
        held[row["crn"]] = []
    for kind in RECORD_KINDS:
        rows = cdb.execute(
            f"SELECT crn, id, version FROM {kind} AS r WHERE version > 0 AND NOT EXISTS"  # noqa: S608
            " (SELECT 1 FROM shadow s WHERE s.kind = ? AND s.id = r.id)",
            (kind,),
        )
        for crn, record_id, version in rows:
            if crn in held:
                held[crn].append((kind, record_id, version))
    for kind, crn, record_id, version in cdb.execute(
        "SELECT kind, crn, id, version FROM shadow WHERE data IS NOT NULL"
    ):
        if crn in held:
            held[crn].append((kind, record_id, version))
    return {crn: checksum(items) for crn, items in held.items()}
