"""An officer's scope: the cases their laptop may hold, enforced on every read and write.

Scope = cases allocated to their staff code, plus the cases they pinned, minus any
Limited Access case that excludes them or is restricted to others. The Limited Access
rule is `domain.access.decide_access` expressed in SQL (`central.lao.visible_to`), so a
query never fetches a case the officer must not see.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from central.lao import visible_to
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


def in_scope(officer: Officer) -> ColumnElement[bool]:
    """A condition on `cases` true for the officer's in-scope cases."""
    pinned = cases.c.crn.in_(select(pins.c.crn).where(pins.c.username == officer.username))
    owned = cases.c.staff_code == officer.staff_code if officer.staff_code is not None else None
    held = pinned if owned is None else or_(owned, pinned)
    return and_(held, visible_to(officer.username))


def scope_crns(conn: Connection, officer: Officer) -> set[str]:
    """Every CRN in the officer's scope (one query)."""
    return set(conn.execute(select(cases.c.crn).where(in_scope(officer))).scalars())


def crn_in_scope(conn: Connection, officer: Officer, crn: str) -> bool:
    query = select(cases.c.crn).where(cases.c.crn == crn, in_scope(officer))
    return conn.execute(query).first() is not None


def crn_visible(conn: Connection, username: str, crn: str) -> bool:
    """The case exists and Limited Access lets `username` see it (what a pin needs)."""
    query = select(cases.c.crn).where(cases.c.crn == crn, visible_to(username))
    return conn.execute(query).first() is not None


class ScopeCache:
    """Per-transaction memo of scope answers, so a mutation's many reads ask once per case."""

    def __init__(self, conn: Connection, officer: Officer) -> None:
        self._conn = conn
        self._officer = officer
        self._known: dict[str, bool] = {}

    def allows(self, crn: str) -> bool:
        if crn not in self._known:
            self._known[crn] = crn_in_scope(self._conn, self._officer, crn)
        return self._known[crn]
