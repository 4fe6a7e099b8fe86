"""The audit trail: who looked at or changed which case, from which laptop, when.

Written in the same transaction as the view or change it records, so an
answer the officer saw is never missing from the trail. `detail` holds codes
and ids only, never names or note text.

Times come from the server: `at` is always when the server received the event. A
time the laptop claims (a case viewed offline, synced days later) is kept beside it
in `claimed_at`, never instead of it, with a verdict on its plausibility
(`claim_check`): `ok`, `before_enrolment` (earlier than the laptop was enrolled) or
`in_future` (later than the server's clock, beyond `CLOCK_SKEW`). A laptop's clock
can be wrong or set back; the trail says so rather than trusting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, select

from central.db import as_utc, utcnow
from central.tables import audit_log, devices

# How far ahead of the server's clock a laptop's claimed time may be and still pass.
CLOCK_SKEW = timedelta(minutes=5)


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
    claimed_at: datetime | None = None
    claim_check: str | None = None


def claim_check(claimed: datetime, *, received: datetime, enrolled_at: datetime | None) -> str:
    """The plausibility verdict on a client's claimed time (see the module docstring)."""
    if claimed > received + CLOCK_SKEW:
        return "in_future"
    if enrolled_at is not None and claimed < enrolled_at:
        return "before_enrolment"
    return "ok"


def enrolment_time(conn: Connection, device_id: str | None) -> datetime | None:
    """When the laptop was registered, or None (an administrator has no laptop)."""
    if device_id is None:
        return None
    query = select(devices.c.registered_at).where(devices.c.id == device_id)
    return as_utc(conn.execute(query).scalar())


def audit_row(
    principal: Actor,
    action: str,
    crn: str | None,
    record_id: str | None,
    detail: Mapping[str, Any],
    *,
    received: datetime,
    claimed: datetime | None = None,
    enrolled_at: datetime | None = None,
) -> dict[str, Any]:
    """One `audit_log` row: received now, with the client's claim and its verdict if any."""
    check = None
    if claimed is not None:
        check = claim_check(claimed, received=received, enrolled_at=enrolled_at)
    return {
        "at": received,
        "username": principal.username,
        "device_id": principal.device_id,
        "action": action,
        "crn": crn,
        "record_id": record_id,
        "detail": dict(detail),
        "claimed_at": claimed,
        "claim_check": check,
    }


def record_audit(
    conn: Connection,
    principal: Actor,
    action: str,
    crn: str | None,
    *,
    record_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    claimed_at: datetime | None = None,
) -> None:
    """Append one entry (call inside the transaction that does the audited thing);
    `claimed_at` is the client's own time for the event, when it gave one."""
    enrolled = enrolment_time(conn, principal.device_id) if claimed_at is not None else None
    row = audit_row(
        principal,
        action,
        crn,
        record_id,
        detail or {},
        received=utcnow(),
        claimed=claimed_at,
        enrolled_at=enrolled,
    )
    conn.execute(audit_log.insert(), [row])


def record_audits(
    conn: Connection,
    principal: Actor,
    action: str,
    items: Iterable[tuple[str | None, str | None, Mapping[str, Any]]],
) -> None:
    """Append many entries of one action in a single round trip (e.g. search results)."""
    received = utcnow()
    rows = [
        audit_row(principal, action, crn, record_id, detail, received=received)
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
            audit_log.c.claimed_at,
            audit_log.c.claim_check,
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
                as_utc(row.claimed_at),
                row.claim_check,
            )
        )
    return entries
