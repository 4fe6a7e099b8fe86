"""The audit trail: who looked at or changed which case, from which laptop, when.

Written in the same transaction as the view or change it records, so an
answer the officer saw is never missing from the trail. `detail` holds codes
and ids only, never names or note text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, select

from central.db import as_utc, utcnow
from central.tables import audit_log


class Actor(Protocol):
    """Anyone who can be audited: a signed-in principal or an administrator at the CLI."""

    @property
    def username(self) -> str: ...

    @property
    def device_id(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class AdminActor:
    username: str
    device_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    username: str
    device_id: str | None
    action: str
    crn: str | None
    record_id: str | None
    detail: dict[str, Any]


def record_audit(
    conn: Connection,
    principal: Actor,
    action: str,
    crn: str | None,
    *,
    record_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry (call inside the transaction that does the audited thing)."""
    record_audits(conn, principal, action, [(crn, record_id, detail or {})], at=at)


def record_audits(
    conn: Connection,
    principal: Actor,
    action: str,
    items: Iterable[tuple[str | None, str | None, Mapping[str, Any]]],
    *,
    at: datetime | None = None,
) -> None:
    """Append many entries of one action in a single round trip (e.g. search results)."""
    when = at or utcnow()
    rows = [
        {
            "at": when,
            "username": principal.username,
            "device_id": principal.device_id,
            "action": action,
            "crn": crn,
            "record_id": record_id,
            "detail": dict(detail),
        }
        for crn, record_id, detail in items
    ]
    if rows:
        conn.execute(audit_log.insert(), rows)


def case_audit(conn: Connection, crn: str, limit: int = 1000) -> list[AuditEntry]:
    """The trail of one case, oldest first."""
    query = (
        select(
            audit_log.c.at,
            audit_log.c.username,
            audit_log.c.device_id,
            audit_log.c.action,
            audit_log.c.crn,
            audit_log.c.record_id,
            audit_log.c.detail,
        )
        .where(audit_log.c.crn == crn)
        .order_by(audit_log.c.id)
        .limit(limit)
    )
    entries = []
    for row in conn.execute(query):
        at = as_utc(row.at)
        assert at is not None
        entries.append(
            AuditEntry(
                at,
                row.username,
                row.device_id,
                row.action,
                row.crn,
                row.record_id,
                dict(row.detail or {}),
            )
        )
    return entries
