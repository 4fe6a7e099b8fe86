"""Keeping a case from outside the caseload (national search -> "Keep on this laptop").

Need-to-know: a kept case carries the officer's reason (cover, duty, court, transfer,
or other with a few words), audited with it, and lapses by policy: `keep_days` after
it was kept the case leaves the officer's scope, so the laptop's next pull evicts it,
search index included (the laptop also lapses it on its own clock, offline). A region
(a probation provider, e.g. N07 London) may require approval: the keep then waits as
`pending`, outside scope, until an administrator approves it (`fieldcase-central keeps`).
A region without a policy row uses `DEFAULT_KEEP_DAYS` and needs no approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select, update

from central.admin import AdminError
from central.audit import AdminActor, record_audit
from central.tables import keep_policies, pins, teams

DEFAULT_KEEP_DAYS = 14
KEPT = "kept"
PENDING = "pending"
PENDING_MESSAGE = (
    "Keeping this case needs approval in your region; it arrives on this laptop once an "
    "administrator approves it."
)


@dataclass(frozen=True, slots=True)
class KeepPolicy:
    needs_approval: bool
    keep_days: int


@dataclass(frozen=True, slots=True)
class KeepRow:
    username: str
    crn: str
    status: str
    reason: str
    reason_text: str
    pinned_at: dt.datetime
    expires_at: dt.datetime | None


def policy_for_team(conn: Connection, team_code: str | None) -> KeepPolicy:
    """The keep policy of the team's region, or the default."""
    if team_code is None:
        return KeepPolicy(False, DEFAULT_KEEP_DAYS)
    row = conn.execute(
        select(keep_policies.c.needs_approval, keep_policies.c.keep_days)
        .select_from(
            teams.join(keep_policies, keep_policies.c.provider_code == teams.c.provider_code)
        )
        .where(teams.c.code == team_code)
    ).first()
    if row is None:
        return KeepPolicy(False, DEFAULT_KEEP_DAYS)
    return KeepPolicy(bool(row.needs_approval), int(row.keep_days))


def keep(
    conn: Connection,
    username: str,
    team_code: str | None,
    crn: str,
    *,
    args: dict[str, Any],
    now: dt.datetime,
) -> str:
    """Record (or renew) a keep with its reason and lapse time; its status is returned."""
    policy = policy_for_team(conn, team_code)
    values = {
        "pinned_at": now,
        "reason": str(args.get("reason") or "unspecified")[:16],
        "reason_text": str(args.get("reason_text") or "")[:200],
        "expires_at": now + dt.timedelta(days=policy.keep_days),
        "status": PENDING if policy.needs_approval else KEPT,
    }
    mine = and_(pins.c.username == username, pins.c.crn == crn)
    if conn.execute(select(pins.c.crn).where(mine)).first() is None:
        conn.execute(pins.insert().values(username=username, crn=crn, **values))
    else:
        conn.execute(update(pins).where(mine).values(**values))
    return str(values["status"])


def keep_detail(args: dict[str, Any]) -> dict[str, str]:
    """What the audit entry of a keep records beside the mutation id: the reason."""
    return {
        "reason": str(args.get("reason") or "unspecified")[:16],
        "reason_text": str(args.get("reason_text") or "")[:200],
    }


def list_keeps(conn: Connection, *, pending_only: bool = False) -> list[KeepRow]:
    query = select(
        pins.c.username,
        pins.c.crn,
        pins.c.status,
        pins.c.reason,
        pins.c.reason_text,
        pins.c.pinned_at,
        pins.c.expires_at,
    ).order_by(pins.c.pinned_at)
    if pending_only:
        query = query.where(pins.c.status == PENDING)
    return [KeepRow(*row) for row in conn.execute(query)]


def decide(conn: Connection, username: str, crn: str, *, approve: bool, by: str) -> None:
    """Approve a pending keep (it enters scope) or refuse it (it is removed); audited."""
    mine = and_(pins.c.username == username, pins.c.crn == crn, pins.c.status == PENDING)
    if conn.execute(select(pins.c.crn).where(mine)).first() is None:
        raise AdminError(f"no keep of {crn} by {username} waits for approval")
    if approve:
        conn.execute(update(pins).where(mine).values(status=KEPT))
    else:
        conn.execute(pins.delete().where(mine))
    action = "keep_approved" if approve else "keep_refused"
    record_audit(conn, AdminActor(by), action, crn, detail={"username": username})


def set_policy(
    conn: Connection, provider_code: str, *, needs_approval: bool, keep_days: int
) -> None:
    """Set a region's keep policy (a provider code such as N07)."""
    if keep_days < 1:
        raise AdminError("a keep lasts at least one day")
    exists = conn.execute(select(teams.c.code).where(teams.c.provider_code == provider_code))
    if exists.first() is None:
        raise AdminError(f"no region {provider_code} (a provider code such as N07)")
    values = {"needs_approval": needs_approval, "keep_days": keep_days}
    here = keep_policies.c.provider_code == provider_code
    if conn.execute(select(keep_policies.c.provider_code).where(here)).first() is None:
        conn.execute(keep_policies.insert().values(provider_code=provider_code, **values))
    else:
        conn.execute(update(keep_policies).where(here).values(**values))
