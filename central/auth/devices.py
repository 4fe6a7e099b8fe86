"""Registered laptops: registered on first sign-in, revoked by an administrator.

The device id is chosen by the client (a UUID per laptop profile) and is also
its sync client id; a revoked device is told to wipe itself on its next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from central.errors import ApiError, device_revoked
from central.tables import devices, refresh_tokens


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: str
    username: str
    name: str
    registered_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


def register_device(
    conn: Connection, device_id: str, username: str, name: str, now: datetime
) -> None:
    """Register the laptop on first use; refuse a revoked one or another user's."""
    row = conn.execute(
        select(devices.c.username, devices.c.revoked_at).where(devices.c.id == device_id)
    ).first()
    if row is None:
        conn.execute(
            devices.insert().values(
                id=device_id, username=username, name=name[:120], registered_at=now
            )
        )
    elif row.revoked_at is not None:
        raise device_revoked()
    elif row.username != username:
        raise ApiError(
            400,
            "invalid_grant",
            "This device id is registered to another user; sign in from a new profile "
            "(the client must choose a new device id).",
            extra={"error": "invalid_grant"},
        )
    conn.execute(update(devices).where(devices.c.id == device_id).values(last_seen_at=now))


def revoke_device(conn: Connection, device_id: str, by: str, now: datetime) -> bool:
    """Revoke a lost laptop and its refresh tokens; False when no such device."""
    done = conn.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=by)
    ).rowcount
    conn.execute(refresh_tokens.delete().where(refresh_tokens.c.device_id == device_id))
    if done:
        return True
    return conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first() is not None


def list_devices(conn: Connection, username: str | None = None) -> list[DeviceRow]:
    query = select(
        devices.c.id,
        devices.c.username,
        devices.c.name,
        devices.c.registered_at,
        devices.c.last_seen_at,
        devices.c.revoked_at,
    ).order_by(devices.c.username, devices.c.registered_at)
    if username is not None:
        query = query.where(devices.c.username == username)
    return [DeviceRow(*row) for row in conn.execute(query)]
