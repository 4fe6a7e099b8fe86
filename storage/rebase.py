"""Rebase: pending local mutations re-applied on top of the server's latest state.

Used after a pulled page (cases whose server state moved) and after push results that
refused a change (its optimistic effect must go). Re-running the shared semantics,
rather than replaying row diffs, keeps derived effects (enforcement, counts) right.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from domain.errors import FieldcaseError
from domain.semantics import Actor, apply_mutation
from storage import outbox, records
from storage.db import CacheDb
from storage.deferred import need_id_indexes
from storage.effects import restore_server_copies, write_effects

log = logging.getLogger(__name__)


def _held(cdb: CacheDb, crns: Iterable[str]) -> list[str]:
    """Those of `crns` this laptop holds, in order: one statement, not one a case (a
    pulled page touches up to hundreds of cases, issue 22)."""
    wanted = json.dumps(sorted(set(crns)))
    sql = "SELECT crn FROM held_case WHERE crn IN (SELECT value FROM json_each(?)) ORDER BY crn"
    return [r["crn"] for r in cdb.query(sql, (wanted,))]


def rebase(cdb: CacheDb, crns: Iterable[str], *, after_seq: int) -> None:
    """Restore server copies of these cases, then re-run their still-pending mutations.

    A mutation that no longer applies locally (its record is gone, say) stays queued: the
    server decides, and its answer becomes a visible rejection.
    """
    held = _held(cdb, crns)
    # Only cases with a pending local change have server copies to restore (`shadow`
    # holds a row per record such a change touched): the rest need no statement.
    shadowed = {r["crn"] for r in cdb.query("SELECT DISTINCT crn FROM shadow")}
    for crn in held:
        if crn in shadowed:
            restore_server_copies(cdb, crn)
    reader = records.CacheReader(cdb)
    pending = outbox.for_cases(cdb, held, after_seq=after_seq)
    if pending:
        need_id_indexes(cdb)  # during a pull from scratch: the semantics read by id
    for row in pending:
        try:
            with cdb.atomic():  # a savepoint: one failed re-run undoes only itself
                effects = apply_mutation(
                    row.name,
                    row.version,
                    row.args,
                    mutation_id=row.mutation_id,
                    actor=Actor(**row.actor),
                    reader=reader,
                    today=row.created_at.date(),
                    now=row.created_at,
                    detect_conflicts=False,
                )
                effects = type(effects)(upserts=tuple(u for u in effects.upserts if u.crn in held))
                write_effects(cdb, effects, mutation_id=None)
        except FieldcaseError:
            log.info("rebase: seq %d no longer applies locally; left for the server", row.seq)
