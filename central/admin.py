"""What an administrator does from the command line: users, passwords, reallocation.

Each function takes an open connection so the CLI runs it in one transaction
and a test can call it directly; every case change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select, update

from central.audit import AdminActor, record_audit
from central.auth.passwords import hash_password
from central.tables import allocations, cases, refresh_tokens, staff, users


class AdminError(Exception):
    """An administrator's request that cannot be done (unknown user, CRN, staff code)."""


@dataclass(frozen=True, slots=True)
class UserRow:
    username: str
    staff_code: str | None
    active: bool
    is_admin: bool


def add_user(
    conn: Connection,
    username: str,
    password: str,
    *,
    now: datetime,
    staff_code: str | None = None,
    is_admin: bool = False,
) -> None:
    if conn.execute(select(users.c.username).where(users.c.username == username)).first():
        raise AdminError(f"user {username} already exists")
    conn.execute(
        users.insert().values(
            username=username,
            staff_code=staff_code,
            password_hash=hash_password(password),
            active=True,
            is_admin=is_admin,
            failed_logins=0,
            password_changed_at=now,
            created_at=now,
        )
    )


def reset_password(conn: Connection, username: str, password: str, *, now: datetime) -> None:
    """Set a new password, lift any throttle and sign the user out of every laptop."""
    done = conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(
            password_hash=hash_password(password),
            password_changed_at=now,
            failed_logins=0,
            locked_until=None,
        )
    ).rowcount
    if not done:
        raise AdminError(f"no user {username}")
    conn.execute(refresh_tokens.delete().where(refresh_tokens.c.username == username))


def list_users(conn: Connection) -> list[UserRow]:
    query = select(users.c.username, users.c.staff_code, users.c.active, users.c.is_admin)
    return [UserRow(*row) for row in conn.execute(query.order_by(users.c.username))]


def allocate(
    conn: Connection, crn: str, staff_code: str, *, today: date, by: str, reason: str = ""
) -> None:
    """Make `staff_code` the case's offender manager, closing the current allocation.

    The `cases` row drives scope, so the case leaves the old officer's laptop and
    reaches the new one's at their next pull (B2's sync reads `cases.staff_code`).
    """
    team = conn.execute(select(staff.c.team_code).where(staff.c.code == staff_code)).scalar()
    if team is None:
        raise AdminError(f"no staff member {staff_code}")
    if not conn.execute(select(cases.c.crn).where(cases.c.crn == crn)).first():
        raise AdminError(f"no case {crn}")
    conn.execute(
        update(allocations)
        .where(allocations.c.crn == crn, allocations.c.end_date.is_(None))
        .values(end_date=today)
    )
    conn.execute(
        allocations.insert().values(
            crn=crn, staff_code=staff_code, team_code=team, start_date=today, reason=reason
        )
    )
    conn.execute(
        update(cases).where(cases.c.crn == crn).values(staff_code=staff_code, team_code=team)
    )
    record_audit(
        conn, AdminActor(by), "allocate", crn, detail={"staff_code": staff_code, "team": team}
    )
