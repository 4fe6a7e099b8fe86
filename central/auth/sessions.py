"""Sign-in sessions (refresh-token families): what makes a revocation take effect now.

Each password sign-in opens one family; its refresh tokens rotate within it and its
access tokens carry its id (`sid`). `current_principal` checks the family on every
request, so revoking it (a replayed refresh token, `users reset-password`,
`devices revoke`, a new device key) stops an access token already handed out at its
next request instead of when it expires. The family also holds the DPoP key
thumbprint every refresh in it must prove.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from central.tables import refresh_tokens, token_families


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    jkt: str
    revoked: bool


def open_family(conn: Connection, *, username: str, device_id: str, jkt: str, now: datetime) -> str:
    """A new session for a password sign-in; its id goes into every token it issues."""
    family = str(uuid.uuid4())
    conn.execute(
        token_families.insert().values(
            id=family, device_id=device_id, username=username, jkt=jkt, created_at=now
        )
    )
    return family


def find_family(conn: Connection, family_id: str) -> Family | None:
    row = conn.execute(
        select(token_families.c.jkt, token_families.c.revoked_at).where(
            token_families.c.id == family_id
        )
    ).first()
    if row is None:
        return None
    return Family(family_id, str(row.jkt), row.revoked_at is not None)


def revoke_families(
    conn: Connection,
    now: datetime,
    *,
    family_id: str | None = None,
    username: str | None = None,
    device_id: str | None = None,
) -> int:
    """Revoke the matching sessions and spend their refresh tokens; how many were live."""
    families = update(token_families).where(token_families.c.revoked_at.is_(None))
    tokens = update(refresh_tokens).where(refresh_tokens.c.used_at.is_(None))
    for column, value in (
        ("id", family_id),
        ("username", username),
        ("device_id", device_id),
    ):
        if value is not None:
            families = families.where(token_families.c[column] == value)
            token_column = "family_id" if column == "id" else column
            tokens = tokens.where(refresh_tokens.c[token_column] == value)
    if family_id is None and username is None and device_id is None:
        raise ValueError("say which sessions to revoke")
    conn.execute(tokens.values(used_at=now))
    return conn.execute(families.values(revoked_at=now)).rowcount
