"""Whether a new laptop must be approved by an administrator before it gets tokens.

A policy row with scope "*" applies service-wide; a row for a provider (region) code
applies to officers of that region and wins over "*". With no row at all approval is
required: a password alone never silently enrols another laptop. `fieldcase-central
devices policy` sets it; the demo seed sets "*" to automatic approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from central.audit import AdminActor, record_audit
from central.tables import device_approval, staff, teams, users

SERVICE_WIDE = "*"


@dataclass(frozen=True, slots=True)
class ApprovalPolicy:
    scope: str
    required: bool
    changed_at: datetime
    changed_by: str


def _region(conn: Connection, username: str) -> str | None:
    query = (
        select(teams.c.provider_code)
        .select_from(users.join(staff, staff.c.code == users.c.staff_code))
        .join(teams, teams.c.code == staff.c.team_code)
        .where(users.c.username == username)
    )
    return conn.execute(query).scalar()


def approval_required(conn: Connection, username: str) -> bool:
    """The rule for this officer's region, else the service-wide one, else required."""
    scopes = [SERVICE_WIDE]
    region = _region(conn, username)
    if region is not None:
        scopes.append(region)
    rows = dict(
        conn.execute(
            select(device_approval.c.scope, device_approval.c.required).where(
                device_approval.c.scope.in_(scopes)
            )
        ).all()
    )
    if region is not None and region in rows:
        return bool(rows[region])
    return bool(rows.get(SERVICE_WIDE, True))


def set_policy(conn: Connection, scope: str, *, required: bool, by: str, now: datetime) -> None:
    """Set the rule for a region (provider code) or, with "*", for the whole service."""
    conn.execute(device_approval.delete().where(device_approval.c.scope == scope))
    conn.execute(
        device_approval.insert().values(
            scope=scope, required=required, changed_at=now, changed_by=by
        )
    )
    detail = {"scope": scope, "required": required}
    record_audit(conn, AdminActor(by), "device_policy_set", None, detail=detail)


def policies(conn: Connection) -> list[ApprovalPolicy]:
    query = select(
        device_approval.c.scope,
        device_approval.c.required,
        device_approval.c.changed_at,
        device_approval.c.changed_by,
    ).order_by(device_approval.c.scope)
    return [ApprovalPolicy(*row) for row in conn.execute(query)]
