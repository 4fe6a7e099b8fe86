"""Writing the semantics' Effects into the cache, keeping the server copy for rebase.

Before a pending local change first overwrites a record, the server's copy (or the
fact that the server has none) is saved in `shadow`; rebase restores it and re-runs the
pending mutations on top of whatever the server sent since.
"""

from __future__ import annotations

import datetime as dt
import json

from domain.semantics import Effects, Upsert
from storage import records
from storage.db import CacheDb

# What the laptop itself must remember to report: views made offline.
LOCAL_AUDIT = frozenset({"case_viewed", "briefing_pdf", "briefing_print", "letter_produced"})


def _keep_server_copy(cdb: CacheDb, upsert: Upsert) -> int:
    """Shadow the record if not yet shadowed; returns the server version to keep."""
    row = records.get_row(cdb, upsert.kind, upsert.id)
    version = 0 if row is None else int(row["version"])
    if row is not None and row["pending"]:
        return version
    cdb.execute(
        "INSERT OR IGNORE INTO shadow (kind, id, crn, version, data) VALUES (?, ?, ?, ?, ?)",
        (upsert.kind, str(upsert.id), upsert.crn, version, None if row is None else row["data"]),
    )
    return version


def write_effects(cdb: CacheDb, effects: Effects, *, mutation_id: str | None) -> None:
    """Apply upserts (marked pending), pins and audit entries; caller holds the transaction."""
    for upsert in effects.upserts:
        version = _keep_server_copy(cdb, upsert)
        records.put(
            cdb,
            upsert.kind,
            upsert.id,
            crn=upsert.crn,
            version=version,
            data=upsert.data,
            pending=True,
        )
    for crn in effects.pins:
        cdb.execute("UPDATE held_case SET pinned = 1 WHERE crn = ?", (crn,))
    for crn in effects.unpins:
        cdb.execute("UPDATE held_case SET pinned = 0 WHERE crn = ?", (crn,))
    for entry in effects.audit:
        if entry.action not in LOCAL_AUDIT:
            continue  # changes are audited by the server from the mutation itself
        at = entry.at or dt.datetime.now(dt.UTC)
        cdb.execute(
            "INSERT INTO audit_queue (mutation_id, crn, action, at, record_ids)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                mutation_id,
                entry.crn,
                entry.action,
                at.isoformat(),
                json.dumps([str(i) for i in entry.record_ids]),
            ),
        )


def restore_server_copies(cdb: CacheDb, crn: str) -> None:
    """Undo every pending local change of a case: back to what the server last said."""
    for row in cdb.query("SELECT kind, id, version, data FROM shadow WHERE crn = ?", (crn,)):
        if row["data"] is None:
            records.delete(cdb, row["kind"], row["id"])
        else:
            records.put(
                cdb,
                row["kind"],
                row["id"],
                crn=crn,
                version=row["version"],
                data=json.loads(row["data"]),
            )
    cdb.execute("DELETE FROM shadow WHERE crn = ?", (crn,))
