"""Who made the central change a conflict is about, and when.

The conflict screen said "Someone else" when it was the same officer on another
laptop. The record's last writer (`records.updated_by`, `updated_at`) and their name
travel with each conflicting field, so the client can say "you, on another laptop"
or the colleague's name. Read in the push's own transaction, only for conflicts.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from central.tables import records, staff, users
from sync.protocol import FieldConflict, MutationResult


def with_authors(conn: Connection, result: MutationResult) -> MutationResult:
    """`result` with each conflict's central author and time filled in (if known)."""
    if result.status != "conflict" or not result.conflicts:
        return result
    ids = sorted({str(c.record_id) for c in result.conflicts})
    rows = conn.execute(
        select(
            records.c.id,
            records.c.updated_by,
            records.c.updated_at,
            staff.c.forename,
            staff.c.surname,
        )
        .select_from(
            records.outerjoin(users, users.c.username == records.c.updated_by).outerjoin(
                staff, staff.c.code == users.c.staff_code
            )
        )
        .where(records.c.id.in_(ids))
    ).all()
    found = {row.id: row for row in rows}
    conflicts = [_named(c, found.get(str(c.record_id))) for c in result.conflicts]
    return result.model_copy(update={"conflicts": conflicts})


def _named(conflict: FieldConflict, row: object | None) -> FieldConflict:
    if row is None:
        return conflict
    forename, surname = getattr(row, "forename", None), getattr(row, "surname", None)
    name = f"{forename} {surname}" if forename and surname else None
    return conflict.model_copy(
        update={
            "changed_by": getattr(row, "updated_by", None),
            "changed_by_name": name,
            "changed_at": getattr(row, "updated_at", None),
        }
    )
