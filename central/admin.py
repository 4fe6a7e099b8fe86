"""What an administrator does from the command line: users, passwords, reallocation.

Each function takes an open connection so the CLI runs it in one transaction
and a test can call it directly; every case change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select, update

from central.audit import AdminActor, record_audit
from central.auth.passwords import hash_password
from central.auth.policy import WeakPassword, check_password
from central.auth.sessions import revoke_families
from central.auth.throttle import clear_failures
from central.sync.feed import lock_cases
from central.tables import allocations, cases, records, staff, users
from central.versions import reserve_versions


class AdminError(Exception):
    """An administrator's request that cannot be done (unknown user, CRN, staff code)."""


@dataclass(frozen=True, slots=True)
class UserRow:
    username: str
    staff_code: str | None
    active: bool
    is_admin: bool


@dataclass(frozen=True, slots=True)
class Hashed:
    """A password already checked against the policy and hashed (see `prepare`)."""

    value: str = field(repr=False)


def prepare(password: str, username: str) -> Hashed:
    """Check and hash a password before the write transaction opens: the Argon2 hash
    never runs while the database's write lock is held (docs/security.md)."""
    _check_policy(password, username)
    return Hashed(hash_password(password))


def _hashed(password: str | Hashed, username: str) -> str:
    return password.value if isinstance(password, Hashed) else prepare(password, username).value


def add_user(
    conn: Connection,
    username: str,
    password: str | Hashed,
    *,
    now: datetime,
    staff_code: str | None = None,
    is_admin: bool = False,
) -> None:
    if conn.execute(select(users.c.username).where(users.c.username == username)).first():
        raise AdminError(f"user {username} already exists")
    if staff_code is not None:
        _check_staff_code(conn, staff_code)
    password_hash = _hashed(password, username)
    conn.execute(
        users.insert().values(
            username=username,
            staff_code=staff_code,
            password_hash=password_hash,
            active=True,
            is_admin=is_admin,
            password_changed_at=now,
            created_at=now,
        )
    )


def reset_password(
    conn: Connection, username: str, password: str | Hashed, *, now: datetime
) -> None:
    """Set a new password, lift any throttle and sign the user out of every laptop."""
    password_hash = _hashed(password, username)
    done = conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(
            password_hash=password_hash,
            password_changed_at=now,
        )
    ).rowcount
    if not done:
        raise AdminError(f"no user {username}")
    clear_failures(conn, username)
    revoke_families(conn, now, username=username)  # access tokens stop at their next request


def _check_policy(password: str, username: str) -> None:
    try:
        check_password(password, username=username)
    except WeakPassword as exc:
        raise AdminError(str(exc)) from exc


def _check_staff_code(conn: Connection, staff_code: str) -> None:
    """The code names a staff member who has no sign-in yet (one user per officer)."""
    if conn.execute(select(staff.c.code).where(staff.c.code == staff_code)).first() is None:
        raise AdminError(f"no staff member {staff_code}")
    taken = conn.execute(select(users.c.username).where(users.c.staff_code == staff_code)).scalar()
    if taken is not None:
        raise AdminError(f"staff code {staff_code} already belongs to user {taken}")


def list_users(conn: Connection) -> list[UserRow]:
    query = select(users.c.username, users.c.staff_code, users.c.active, users.c.is_admin)
    return [UserRow(*row) for row in conn.execute(query.order_by(users.c.username))]


def allocate(
    conn: Connection,
    crn: str,
    staff_code: str,
    *,
    now: datetime,
    by: str,
    reason: str = "",
) -> None:
    """Make `staff_code` the case's offender manager, closing the current allocation.

    The `cases` row drives scope, so the case leaves the old officer's laptop and
    reaches the new one's at their next pull; the person record gets a new version
    so laptops that keep the case see the new offender manager.
    """
    # The case's lock first, as a push takes it (`lock_cases`, PostgreSQL): the case's
    # versions then rise in the order its writers commit, which remembered checksums
    # rely on (central.sync.checksum_memo), and both take the case before any row, so a
    # reallocation and a push of the same case queue instead of deadlocking.
    lock_cases(conn, [crn])
    today = now.date()
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
    _reallocate_person(conn, crn, staff_code, team, now)
    record_audit(
        conn, AdminActor(by), "allocate", crn, detail={"staff_code": staff_code, "team": team}
    )


def _reallocate_person(
    conn: Connection, crn: str, staff_code: str, team: str, now: datetime
) -> None:
    """Move the offender manager on the person record too, as a new feed version."""
    row = conn.execute(
        select(records.c.id, records.c.data, records.c.field_versions)
        .where(records.c.crn == crn, records.c.kind == "person", records.c.deleted.is_(False))
        # Locked before its version is taken: on PostgreSQL versions come from a sequence
        # and a record's must rise in the order its writers commit (central.versions).
        .with_for_update()
    ).first()
    if row is None or row.data is None:
        return
    data, today = dict(row.data), now.date()
    history = [
        {**a, "end_date": a.get("end_date") or today.isoformat()}
        for a in data.get("allocations", [])
    ]
    history.append(
        {
            "staff_code": staff_code,
            "team_code": team,
            "start_date": today.isoformat(),
            "end_date": None,
            "reason": "Reallocation",
        }
    )
    data.update(staff_code=staff_code, team_code=team, allocations=history)
    version = reserve_versions(conn, 1)
    changed = dict.fromkeys(("staff_code", "team_code", "allocations"), version)
    conn.execute(
        update(records)
        .where(records.c.id == row.id)
        .values(
            data=data,
            version=version,
            field_versions={**(row.field_versions or {}), **changed},
            updated_at=now,
            updated_by="admin",
        )
    )
