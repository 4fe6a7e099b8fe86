"""Each case's team-caseload line, kept until the case changes.

Working a case's line out reads all its recent records and runs the compliance rules:
about 3 ms a case, a second for a 300-case team. A case's records change only with a
new change-feed version, so a line is kept with the case's highest version and the day
it was worked out on (compliance windows and "evidence overdue" move with the date),
and only the cases whose version moved since are worked out again: the list's own query
reads each case's highest version with an index seek (`ix_records_crn_version`).
On PostgreSQL writers run in parallel and commit out of version order (a record at a
lower version can commit after one at a higher version of the same case), so the
highest version may not move when a case changes: there the key is the sum of the
case's versions, which every committed write raises (versions only rise), read from
the same index. The
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
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, Engine, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from central.tables import cases, records
from sync.protocol import TeamCase

MAX_KEPT = 100_000  # lines per engine (about 1 KiB each); cleared whole when full

Line = tuple[int, dt.date, TeamCase]
_kept: weakref.WeakKeyDictionary[Engine, dict[str, Line]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


class _CaseVersion(FunctionElement[int]):
    type = BigInteger()
    inherit_cache = True


@compiles(_CaseVersion)
def _highest(_element: Any, compiler: Any, **kw: Any) -> str:
    query = select(func.max(records.c.version)).where(records.c.crn == cases.c.crn)
    return str(compiler.process(query.scalar_subquery(), **kw))


@compiles(_CaseVersion, "postgresql")
def _sum(_element: Any, compiler: Any, **kw: Any) -> str:
    query = select(func.sum(records.c.version)).where(records.c.crn == cases.c.crn)
    return str(compiler.process(query.scalar_subquery(), **kw))


def case_version() -> ColumnElement[int]:
    """A column of `cases` that moves with every committed write of the case's records:
    SQLite, the highest version (an index seek on `ix_records_crn_version`); PostgreSQL,
    the sum of versions (an index-only scan of the same; see the module's docstring)."""
    return _CaseVersion()


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
