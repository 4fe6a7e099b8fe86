"""`pull`: one page of what changed in the officer's scope, resumable by cursor.

Order within a round: cases leaving scope are evicted; cases entering it (not held by
the laptop) arrive as whole snapshots, in CRN order, as many as fit the page (a page
never splits a snapshot); then the change feed (records, tombstones included) above
the cursor, in feed order, for the cases the laptop holds. The last page
(`has_more` false) carries the checksum of every in-scope case.

Each page is read in one transaction (a consistent snapshot on both backends) and
never goes past the bound read first (see `central.sync.feed`): on SQLite the committed
feed counter (order: version), on PostgreSQL the watermark (order: txid, version).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    String,
    Text,
    and_,
    bindparam,
    cast,
    literal,
    select,
    tuple_,
)

from central.db import is_sqlite
from central.metrics import FEED_LAG
from central.sync.cursor import COUNTER, WATERMARK, Cursor
from central.sync.feed import high_water, watermark
from central.sync.scope import Officer, crn_in_scope, scope_crns
from central.sync.snapshots import Snapshots, change_json, checksums, snapshots, take
from central.sync.wire import pull_body
from central.tables import feed_counter, records, sync_clients
from central.versions import parallel_writers
from central.xid import Xid8
from sync.protocol import CaseSnapshot, PullRequest, PullResponse

# At most this many whole cases per page, however small (bounds one IN list).
MAX_SNAPSHOTS_PER_PAGE = 500


# A page's first read on SQLite, built once: the committed feed counter
# (`feed.high_water`) and the laptop's last applied seq (`clients.last_applied`).
_LAST_SEQ = (
    select(sync_clients.c.last_applied_seq)
    .where(sync_clients.c.client_id == bindparam("client", type_=String))
    .scalar_subquery()
)
_POSITION = select(
    select(feed_counter.c.value).where(feed_counter.c.id == 1).scalar_subquery(), _LAST_SEQ
)


class CursorAhead(Exception):
    """The cursor is beyond this database's feed (restored backup, other server), or of
    the other database's scheme: the laptop pulls again without it."""


@dataclass(frozen=True, slots=True)
class Bound:
    """How far a page may serve: the committed counter (COUNTER), or the watermark X
    (WATERMARK: only rows of transactions below X)."""

    scheme: str
    end: int


def read_bound(conn: Connection) -> Bound:
    """The bound of the caller's read transaction (its first read, on PostgreSQL)."""
    if parallel_writers(conn):
        low, next_txid = watermark(conn)
        FEED_LAG.set(next_txid - low)
        return Bound(WATERMARK, low)
    return Bound(COUNTER, high_water(conn))


def _start(conn: Connection, cursor: Cursor | None, bound: Bound) -> Cursor:
    """Where this page resumes, in the bound's scheme (CursorAhead when it cannot).

    A COUNTER cursor from before the watermark translates exactly: rows written before
    the migration carry txid 0, so "versions up to f" is "(txid, version) up to (0, f)".
    """
    if cursor is None:
        return Cursor(bound.end, scheme=bound.scheme)
    if cursor.scheme == bound.scheme:
        if cursor.feed > bound.end:
            raise CursorAhead
        return cursor
    if bound.scheme == WATERMARK and cursor.feed <= high_water(conn):
        return Cursor(0, cursor.snapshot_after, WATERMARK, cursor.feed)
    raise CursorAhead


def _resume_after(position: Cursor, row: Any, after: str | None) -> Cursor:
    """The cursor after the last row served on a full page."""
    if position.scheme == WATERMARK:
        return Cursor(int(row.txid), after, WATERMARK, int(row.version))
    return Cursor(int(row.version), after)


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its `PullResponse` JSON as sent, and what the handler logs and audits."""

    body: bytes
    snapshotted: list[str]
    changes: int
    evicted: int
    has_more: bool

    @property
    def response(self) -> PullResponse:
        """The page parsed as the client parses it (strictly): for tests and tools."""
        return PullResponse.model_validate_json(self.body, strict=True)


def _entering(scope: set[str], request: PullRequest, cursor: Cursor | None) -> list[str]:
    if cursor is None:  # a first sync (or after a reset): every case arrives whole
        return sorted(scope)
    held = set(request.held_cases)
    after = cursor.snapshot_after
    return sorted(c for c in scope - held if after is None or c > after)


def pull_page(
    conn: Connection,
    officer: Officer,
    request: PullRequest,
    cursor: Cursor | None,
    last_seq: int,
    *,
    bound: Bound | None = None,
) -> Page:
    """Build one page; the caller runs it inside a read transaction (and may have read
    the bound already, with `last_seq`)."""
    bound = read_bound(conn) if bound is None else bound
    position = _start(conn, cursor, bound)
    scope = scope_crns(conn, officer)
    evicted = sorted(set(request.held_cases) - scope)
    entering = _entering(scope, request, cursor)
    sent = (
        take(conn, entering[:MAX_SNAPSHOTS_PER_PAGE], request.limit)
        if entering
        else Snapshots([], [], 0)
    )
    chosen, used = sent.crns, sent.records
    after = chosen[-1] if chosen else (cursor.snapshot_after if cursor else None)

    def page(
        cursor: Cursor, has_more: bool, changes: list[str], sums: dict[str, str] | None = None
    ) -> Page:
        body = pull_body(
            snapshots=sent.texts,
            changes=changes,
            evicted=evicted,
            checksums=sums or {},
            cursor=cursor.encode(),
            has_more=has_more,
            last_applied_seq=last_seq,
        )
        return Page(body, chosen, len(changes), len(evicted), has_more)

    if len(chosen) < len(entering) or used >= request.limit:
        return page(replace(position, snapshot_after=after), True, [])
    holding = _holding(scope, request, cursor, chosen)
    room = request.limit - used
    rows = _changes(conn, holding, position, bound, room)
    if len(rows) > room:
        served = [change_json(row[:6]) for row in rows[:room]]
        return page(_resume_after(position, rows[room - 1], after), True, served)
    changes = [change_json(row[:6]) for row in rows]
    return page(Cursor(bound.end, scheme=bound.scheme), False, changes, checksums(conn, scope))


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
    conn: Connection, crns: set[str], position: Cursor, bound: Bound, room: int
) -> list[Any]:
    """Up to room+1 changes after `position` (the extra one says whether more remain)."""
    if not crns or position.feed >= bound.end:
        return []
    if bound.scheme == WATERMARK:
        after = tuple_(literal(position.feed, Xid8()), literal(position.version, BigInteger()))
        window: ColumnElement[bool] = and_(
            tuple_(records.c.txid, records.c.version) > after, records.c.txid < bound.end
        )
        order: tuple[Any, ...] = (records.c.txid, records.c.version)
    else:
        window = and_(records.c.version > position.feed, records.c.version <= bound.end)
        order = (records.c.version,)
    query = (
        select(
            records.c.id,
            records.c.kind,
            records.c.crn,
            records.c.version,
            records.c.deleted,
            cast(records.c.data, Text),
            records.c.txid,
        )
        .where(window, records.c.crn.in_(sorted(crns)))
        .order_by(*order)
        .limit(room + 1)
    )
    return list(conn.execute(query).all())


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
        if parallel_writers(conn):  # the watermark first: it fixes the snapshot (RR)
            bound = read_bound(conn)
            last = conn.execute(select(_LAST_SEQ), {"client": str(request.client_id)}).scalar()
        else:
            high, last = conn.execute(_POSITION, {"client": str(request.client_id)}).one()
            bound = Bound(COUNTER, int(high))
        return pull_page(conn, officer, request, cursor, int(last or 0), bound=bound)


def serve_case(engine: Engine, officer: Officer, crn: str) -> CaseSnapshot | None:
    """One case re-fetched whole, or None when it is not in the officer's scope."""
    with reading(engine) as conn:
        if not crn_in_scope(conn, officer, crn):
            return None
        return case_snapshot(conn, crn)
