"""Registered laptops: enrolled at first sign-in, approved by policy, revoked by an admin.

The device id is chosen by the client (a UUID per laptop profile) and is also its
sync client id. A device is bound to the DPoP key it enrolled with (see dpop.py); a
sign-in with another key re-enrols it (its sessions end, and it waits for approval
again where approval is required). A revoked device is told to wipe itself on its
next request. Enrolment, approval and revocation are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from central.audit import AdminActor, record_audit
from central.auth.approval import approval_required
from central.auth.sessions import revoke_families
from central.errors import ApiError, device_revoked
from central.tables import devices


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: str
    username: str
    name: str
    registered_at: datetime
    last_seen_at: datetime | None
    approved_at: datetime | None
    revoked_at: datetime | None

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "approved" if self.approved_at is not None else "pending"


def device_pending(device_id: str) -> ApiError:
    """The answer to a sign-in from a laptop an administrator has not approved yet."""
    return ApiError(
        403,
        "device_pending",
        "This laptop is waiting for an administrator's approval before it can sign in. "
        f"Ask them to approve device {device_id[:8]}, then sign in again.",
    )  # a plain Problem (no OAuth members): clients parse it strictly


def _another_users() -> ApiError:
    return ApiError(
        400,
        "invalid_grant",
        "This device id is registered to another user; sign in from a new profile "
        "(the client must choose a new device id).",
        extra={"error": "invalid_grant"},
    )


def _audit(conn: Connection, who: str, device_id: str, action: str, **detail: str) -> None:
    record_audit(conn, AdminActor(who, device_id), action, None, detail=detail)


def enrol_device(
    conn: Connection, device_id: str, username: str, *, name: str, jkt: str, now: datetime
) -> bool:
    """Register the laptop (or its new key) at a password sign-in; True once approved.

    Refuses a revoked device or another user's. A new device, or a known one signing
    in with another key, is approved at once only when the policy does not require
    approval. A device registered before keys were bound keeps its approval and is
    bound to the key it signs in with now.
    """
    row = conn.execute(
        select(
            devices.c.username, devices.c.revoked_at, devices.c.jkt, devices.c.approved_at
        ).where(devices.c.id == device_id)
    ).first()
    if row is not None and row.revoked_at is not None:
        raise device_revoked()
    if row is not None and row.username != username:
        raise _another_users()
    approved = row is not None and row.approved_at is not None
    if row is not None and row.jkt in (jkt, None):  # known key, or the first key bound
        conn.execute(
            update(devices).where(devices.c.id == device_id).values(jkt=jkt, last_seen_at=now)
        )
        if row.jkt is None:
            _audit(conn, username, device_id, "device_key_bound", approval=_state(approved))
        return approved
    if row is not None:  # another key for a known device: a re-enrolment
        revoke_families(conn, now, device_id=device_id)
    approved = not approval_required(conn, username)
    values = {
        "jkt": jkt,
        "last_seen_at": now,
        "approved_at": now if approved else None,
        "approved_by": "policy" if approved else None,
    }
    if row is None:
        conn.execute(
            devices.insert().values(
                id=device_id, username=username, name=name[:120], registered_at=now, **values
            )
        )
    else:
        conn.execute(update(devices).where(devices.c.id == device_id).values(**values))
    _audit(conn, username, device_id, "device_enrolled", approval=_state(approved))
    return approved


def _state(approved: bool) -> str:
    return "approved" if approved else "pending"


def approve_device(conn: Connection, device_id: str, by: str, now: datetime) -> bool:
    """Let a pending laptop sign in; False when there is no such unrevoked device."""
    row = conn.execute(
        select(devices.c.approved_at, devices.c.revoked_at).where(devices.c.id == device_id)
    ).first()
    if row is None or row.revoked_at is not None:
        return False
    if row.approved_at is None:
        conn.execute(
            update(devices).where(devices.c.id == device_id).values(approved_at=now, approved_by=by)
        )
        _audit(conn, by, device_id, "device_approved")
    return True


def revoke_device(conn: Connection, device_id: str, by: str, now: datetime) -> bool:
    """Revoke a lost laptop: its sessions end at once; False when no such device."""
    done = conn.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=by)
    ).rowcount
    revoke_families(conn, now, device_id=device_id)
    if done:
        _audit(conn, by, device_id, "device_revoked")
        return True
    return conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first() is not None


def list_devices(
    conn: Connection, username: str | None = None, status: str | None = None
) -> list[DeviceRow]:
    query = select(
        devices.c.id,
        devices.c.username,
        devices.c.name,
        devices.c.registered_at,
        devices.c.last_seen_at,
        devices.c.approved_at,
        devices.c.revoked_at,
    ).order_by(devices.c.username, devices.c.registered_at)
    if username is not None:
        query = query.where(devices.c.username == username)
    rows = [DeviceRow(*row) for row in conn.execute(query)]
    return [row for row in rows if status is None or row.status == status]
