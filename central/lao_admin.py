"""Limited Access lists as an administrator manages them: `fieldcase-central lao`.

An exclusion keeps one user away from a case; a restriction admits only the users
listed. Both are read by `central.lao.visible_to` inside every scope and search
query, so a change needs nothing else to reach the laptops: at its next pull each
laptop's held cases are compared with its scope, and a case newly out of reach is
evicted, search index included. Every change is audited on the case's trail, with
the administrator's name and the user it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Table, delete, select, update

from central.admin import AdminError
from central.audit import AdminActor, record_audit
from central.tables import cases, lao_exclusions, lao_messages, lao_restrictions, users

Kind = Literal["exclusion", "restriction"]
KINDS: tuple[Kind, ...] = ("exclusion", "restriction")
DEFAULT_MESSAGES = {
    "exclusion": "You are excluded from viewing this case.",
    "restriction": "This case is restricted. Please contact a manager.",
}
MAX_MESSAGE = 500


@dataclass(frozen=True, slots=True)
class LaoEntry:
    crn: str
    kind: Kind
    username: str
    message: str


def _table(kind: Kind) -> Table:
    return lao_exclusions if kind == "exclusion" else lao_restrictions


def list_entries(conn: Connection, crn: str | None = None) -> list[LaoEntry]:
    """Every exclusion and restriction (of one case, when given), by case then user."""
    found = []
    for kind in KINDS:
        table = _table(kind)
        column = getattr(lao_messages.c, f"{kind}_message")
        query = select(table.c.crn, table.c.username, column).outerjoin(
            lao_messages, lao_messages.c.crn == table.c.crn
        )
        if crn is not None:
            query = query.where(table.c.crn == crn)
        for row in conn.execute(query):
            found.append(LaoEntry(row[0], kind, row[1], row[2] or DEFAULT_MESSAGES[kind]))
    return sorted(found, key=lambda e: (e.crn, e.kind, e.username))


def _check(conn: Connection, crn: str, username: str) -> None:
    if conn.execute(select(cases.c.crn).where(cases.c.crn == crn)).first() is None:
        raise AdminError(f"no case {crn}")
    if conn.execute(select(users.c.username).where(users.c.username == username)).first() is None:
        raise AdminError(f"no user {username}")


def _set_message(conn: Connection, crn: str, kind: Kind, message: str | None) -> None:
    """Keep the case's message for `kind` (the text an excluded user is shown)."""
    column = f"{kind}_message"
    found = conn.execute(select(lao_messages.c.crn).where(lao_messages.c.crn == crn)).first()
    if found is None:
        values = {**{f"{k}_message": v for k, v in DEFAULT_MESSAGES.items()}}
        if message:
            values[column] = message
        conn.execute(lao_messages.insert().values(crn=crn, **values))
    elif message:
        conn.execute(
            update(lao_messages).where(lao_messages.c.crn == crn).values({column: message})
        )


def add(
    conn: Connection, kind: Kind, crn: str, username: str, *, by: str, message: str | None = None
) -> None:
    """Exclude `username` from the case, or admit them to its restriction list."""
    _check(conn, crn, username)
    if message is not None and len(message) > MAX_MESSAGE:
        raise AdminError(f"the message may have at most {MAX_MESSAGE} characters")
    table = _table(kind)
    exists = conn.execute(
        select(table.c.crn).where(table.c.crn == crn, table.c.username == username)
    ).first()
    if exists is not None:
        raise AdminError(f"{username} is already on the {kind} list of {crn}")
    conn.execute(table.insert().values(crn=crn, username=username))
    _set_message(conn, crn, kind, message)
    detail = {"username": username, "message_changed": bool(message)}
    record_audit(conn, AdminActor(by), f"lao_{kind}_added", crn, detail=detail)


def remove(conn: Connection, kind: Kind, crn: str, username: str, *, by: str) -> None:
    """Lift an exclusion, or take a user off a restriction list."""
    table = _table(kind)
    done = conn.execute(
        delete(table).where(table.c.crn == crn, table.c.username == username)
    ).rowcount
    if not done:
        raise AdminError(f"{username} is not on the {kind} list of {crn}")
    record_audit(conn, AdminActor(by), f"lao_{kind}_removed", crn, detail={"username": username})
