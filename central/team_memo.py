"""Each case's team-caseload line, kept until the case changes.

Working a case's line out reads all its recent records and runs the compliance rules:
about 3 ms a case, a second for a 300-case team. A case's records change only with a
new change-feed version, so a line is kept with the case's highest version and the day
it was worked out on (compliance windows and "evidence overdue" move with the date),
and only the cases whose version moved since are worked out again: the list's own query
reads each case's highest version with an index seek (`ix_records_crn_version`). The
offender manager's name and Limited Access are applied to every request afresh, never
kept.

Kept per database engine, in the process, bounded; several server processes each keep
their own, which only costs each its first read.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable

from sqlalchemy import ColumnElement, Connection, Engine, func, select

from central.tables import cases, records
from sync.protocol import TeamCase

MAX_KEPT = 100_000  # lines per engine (about 1 KiB each); cleared whole when full

Line = tuple[int, dt.date, TeamCase]
_kept: weakref.WeakKeyDictionary[Engine, dict[str, Line]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def case_version() -> ColumnElement[int]:
    """A column of `cases`: the case's highest record version (an index seek per case on
    `ix_records_crn_version`, SQLite's and PostgreSQL's min/max shortcut)."""
    return select(func.max(records.c.version)).where(records.c.crn == cases.c.crn).scalar_subquery()


def lines(
    conn: Connection,
    versions: dict[str, int],
    today: dt.date,
    work_out: Callable[[list[str]], dict[str, TeamCase]],
) -> dict[str, TeamCase]:
    """The line of each case (CRN -> its `case_version`), working out afresh only those
    changed since kept."""
    crns = list(versions)
    if not crns:
        return {}
    with _lock:
        kept = _kept.setdefault(conn.engine, {})
        found = {c: kept[c] for c in crns if c in kept}
    fresh = [
        crn
        for crn in crns
        if crn not in found or found[crn][0] != versions.get(crn, 0) or found[crn][1] != today
    ]
    made = work_out(fresh) if fresh else {}
    with _lock:
        if len(kept) + len(made) > MAX_KEPT:
            kept.clear()
        for crn, line in made.items():
            kept[crn] = (versions.get(crn, 0), today, line)
    return {c: made[c] if c in made else found[c][2] for c in crns}
