"""`pull`: one page of what changed in the officer's scope, resumable by cursor.

Order within a round: cases leaving scope are evicted; cases entering it (not held by
the laptop) arrive as whole snapshots, in CRN order, as many as fit the page (a page
never splits a snapshot); then the change feed (records, tombstones included) above
the cursor, in version order, for the cases the laptop holds. The last page
(`has_more` false) carries the checksum of every in-scope case.

Each page is read in one transaction (a consistent snapshot on both backends) and
never goes past the committed feed counter read first (see `central.sync.feed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Text, and_, cast, select

from central.db import is_sqlite
from central.sync.clients import last_applied
from central.sync.cursor import Cursor
from central.sync.feed import high_water
from central.sync.scope import Officer, crn_in_scope, scope_crns
from central.sync.snapshots import changes_of, checksums, record_counts, snapshots
from central.tables import records
from sync.protocol import PROTOCOL_VERSION, CaseSnapshot, PullRequest, PullResponse, RecordChange

# At most this many whole cases per page, however small (bounds one IN list).
MAX_SNAPSHOTS_PER_PAGE = 500
FILL_FIRST = 2  # cases counted first when filling a page, then 4x more a round (_fill)


class CursorAhead(Exception):
    """The cursor is beyond this database's feed (restored backup, other server)."""


@dataclass(frozen=True, slots=True)
class Page:
    response: PullResponse
    snapshotted: list[str]


def _entering(scope: set[str], request: PullRequest, cursor: Cursor | None) -> list[str]:
    if cursor is None:  # a first sync (or after a reset): every case arrives whole
        return sorted(scope)
    held = set(request.held_cases)
    after = cursor.snapshot_after
    return sorted(c for c in scope - held if after is None or c > after)


def _fill(conn: Connection, entering: list[str], limit: int) -> tuple[list[str], int]:
    """The entering cases that fit in `limit` records (at least one), and their size.

    Cases are counted a few at a time (FILL_FIRST, then 4x more each round) rather than
    all up to MAX_SNAPSHOTS_PER_PAGE: a first sync's page holds a handful of cases, and
    counting every remaining case on every page read the whole caseload each time.
    """
    candidates = entering[:MAX_SNAPSHOTS_PER_PAGE]
    chosen: list[str] = []
    used = 0
    start, step = 0, FILL_FIRST
    while start < len(candidates):
        batch = candidates[start : start + step]
        counts = record_counts(conn, batch)
        for crn in batch:
            size = counts.get(crn, 0)
            if chosen and used + size > limit:
                return chosen, used
            chosen.append(crn)
            used += size
        start, step = start + step, step * 4
    return chosen, used


def pull_page(
    conn: Connection, officer: Officer, request: PullRequest, cursor: Cursor | None, last_seq: int
) -> Page:
    """Build one page; the caller runs it inside a read transaction."""
    high = high_water(conn)
    if cursor is not None and cursor.feed > high:
        raise CursorAhead
    position = high if cursor is None else cursor.feed
    scope = scope_crns(conn, officer)
    evicted = sorted(set(request.held_cases) - scope)
    entering = _entering(scope, request, cursor)
    chosen, used = _fill(conn, entering, request.limit) if entering else ([], 0)
    sent = snapshots(conn, chosen)
    after = chosen[-1] if chosen else (cursor.snapshot_after if cursor else None)

    def page(**kwargs: Any) -> Page:
        response = PullResponse(
            protocol_version=PROTOCOL_VERSION,
            snapshots=sent,
            evicted=evicted,
            last_applied_seq=last_seq,
            **kwargs,
        )
        return Page(response, chosen)

    if len(chosen) < len(entering) or used >= request.limit:
        return page(cursor=Cursor(position, after).encode(), has_more=True)
    holding = _holding(scope, request, cursor, chosen)
    changes = _changes(conn, holding, position, high, request.limit - used)
    if len(changes) > request.limit - used:
        last = changes[request.limit - used - 1].version
        kept = changes[: request.limit - used]
        return page(changes=kept, cursor=Cursor(last, after).encode(), has_more=True)
    return page(
        changes=changes,
        checksums=checksums(conn, scope),
        cursor=Cursor(high).encode(),
        has_more=False,
    )


def _holding(
    scope: set[str], request: PullRequest, cursor: Cursor | None, chosen: list[str]
) -> set[str]:
    """The in-scope cases the laptop says it holds: only they get changes.

    A case it does not list (even one snapshotted earlier this round) gets none: it is
    still "entering" and arrives whole next round, never as a partial case.
    """
    if cursor is None:
        return set()
    return (set(request.held_cases) & scope) - set(chosen)


def _changes(
    conn: Connection, crns: set[str], position: int, high: int, room: int
) -> list[RecordChange]:
    """Up to room+1 changes above `position` (the extra one says whether more remain)."""
    if not crns or position >= high:
        return []
    query = (
        select(
            records.c.id,
            records.c.kind,
            records.c.crn,
            records.c.version,
            records.c.deleted,
            cast(records.c.data, Text),
        )
        .where(
            and_(
                records.c.version > position,
                records.c.version <= high,
                records.c.crn.in_(sorted(crns)),
            )
        )
        .order_by(records.c.version)
        .limit(room + 1)
    )
    return changes_of(conn.execute(query).all())


def case_snapshot(conn: Connection, crn: str) -> CaseSnapshot:
    """One case, whole (the caller checked it is in scope)."""
    return snapshots(conn, [crn])[0]


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction with one consistent view for the whole page.

    PostgreSQL: REPEATABLE READ (one snapshot for every query of the page). SQLite in
    WAL: a deferred transaction already reads one snapshot from its first query on.
    """
    with engine.connect() as conn:
        if not is_sqlite(engine):
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def serve_pull(
    engine: Engine, officer: Officer, request: PullRequest, cursor: Cursor | None
) -> Page:
    """One page for the officer's laptop (`request.client_id`, already checked)."""
    with reading(engine) as conn:
        last = last_applied(conn, str(request.client_id)) or 0
        return pull_page(conn, officer, request, cursor, last)


def serve_case(engine: Engine, officer: Officer, crn: str) -> CaseSnapshot | None:
    """One case re-fetched whole, or None when it is not in the officer's scope."""
    with reading(engine) as conn:
        if not crn_in_scope(conn, officer, crn):
            return None
        return case_snapshot(conn, crn)
