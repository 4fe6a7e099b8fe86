"""An officer's scope: the cases their laptop may hold, enforced on every read and write.

Scope = cases allocated to their staff code, plus the cases they keep (pinned, not
lapsed, not waiting for approval: `central.keeps`), plus the cases of a colleague they
cover (`central.sync.cover`), minus any Limited Access case that excludes them or is
restricted to others. The Limited Access rule is `domain.access.decide_access`
expressed in SQL (`central.lao.visible_to`), so a query never fetches a case the
officer must not see.
"""

from __future__ import annotations

from typing import Protocol, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    String,
    and_,
    bindparam,
    or_,
    select,
    union,
)

from central.db import utcnow
from central.keeps import KEPT
from central.lao import visible_to
from central.sync import cover
from central.tables import cases, pins


class Officer(Protocol):
    """Who scope is computed for (a signed-in principal)."""

    @property
    def username(self) -> str: ...

    @property
    def staff_code(self) -> str | None: ...


# What a refused case looks like from outside: the same words whether the case does not
# exist, is someone else's, or is Limited Access, so a refusal never reveals anything.
OUT_OF_SCOPE = (
    "That case is not in your caseload, or you do not have access to it. Ask the case "
    "manager or your line manager if you need it."
)


def _in_scope() -> ColumnElement[bool]:
    """A condition on `cases`, with `username` and `staff_code` bound at execution.

    Built once, so every request reuses the statement and SQLAlchemy's compiled form;
    a null staff code matches no allocation, only pins. The three sources are a UNION
    of index lookups (allocated by staff code, kept by username, covered by username)
    rather than an OR over `cases`: an OR with subqueries cannot use an index, and
    scanned every case in the database on every pull and push (2.5 ms at 20,000 cases,
    growing with the nation's; `docs/central.md`, National-shape database).
    """
    username = cast(str, bindparam("username", type_=String))
    staff_code = bindparam("staff_code", type_=String)
    now = bindparam("now", type_=DateTime(timezone=True))
    allocated = select(cases.c.crn).where(cases.c.staff_code == staff_code)
    kept = select(pins.c.crn).where(
        pins.c.username == username,
        pins.c.status == KEPT,
        or_(pins.c.expires_at.is_(None), pins.c.expires_at > now),
    )
    sources = union(allocated, kept, cover.covered_crns())
    return and_(cases.c.crn.in_(sources), visible_to(username))


_SCOPE = select(cases.c.crn).where(_in_scope())
_ONE = _SCOPE.where(cases.c.crn == bindparam("crn", type_=String))


def _params(officer: Officer, *, writing: bool = False) -> dict[str, object]:
    """The officer, and now: a lapsed keep or a cover that ended is out of scope (a cover's
    work is still accepted for a grace period after it ends: `central.sync.cover`)."""
    now = utcnow()
    times = cover.write_params(now) if writing else cover.read_params(now)
    return {"username": officer.username, "staff_code": officer.staff_code, **times}


def scope_crns(conn: Connection, officer: Officer, *, writing: bool = False) -> set[str]:
    """Every CRN in the officer's scope (one query); `writing`: as a push judges it."""
    return set(conn.execute(_SCOPE, _params(officer, writing=writing)).scalars())


def crn_in_scope(conn: Connection, officer: Officer, crn: str, *, writing: bool = False) -> bool:
    params = {**_params(officer, writing=writing), "crn": crn}
    return conn.execute(_ONE, params).first() is not None


def crn_visible(conn: Connection, username: str, crn: str) -> bool:
    """The case exists and Limited Access lets `username` see it (what a pin needs)."""
    query = select(cases.c.crn).where(cases.c.crn == crn, visible_to(username))
    return conn.execute(query).first() is not None


class ScopeCache:
    """Per-transaction memo of scope answers, so a mutation's many reads ask once per case.

    `whole=True` (a push batch deciding many mutations) reads the officer's whole scope
    in one query on first use instead of one query per case; `forget` drops what is
    known, for after the transaction changed the scope itself (a pin or an unpin).
    It answers as a write is judged: a cover's cases for its grace after it ends.
    """

    def __init__(self, conn: Connection, officer: Officer, *, whole: bool = False) -> None:
        self._conn = conn
        self._officer = officer
        self._whole = whole
        self._complete = False
        self._known: dict[str, bool] = {}

    def allows(self, crn: str) -> bool:
        if self._whole and not self._complete:
            whole = scope_crns(self._conn, self._officer, writing=True)
            self._known = dict.fromkeys(whole, True)
            self._complete = True
        if crn not in self._known:
            self._known[crn] = (
                False
                if self._complete
                else crn_in_scope(self._conn, self._officer, crn, writing=True)
            )
        return self._known[crn]

    def forget(self) -> None:
        self._known = {}
        self._complete = False
