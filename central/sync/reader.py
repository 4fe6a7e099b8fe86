"""A `CaseReader` over the central database, for the shared mutation semantics.

It only ever returns records of cases the acting officer may touch: a record of any
other case reads as missing, so a mutation aimed at it fails exactly like one aimed
at a record that does not exist, and reveals nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, select

from central.tables import cases, records
from domain.contacts import Contact
from domain.semantics import RecordKind, StoredRecord

_COLUMNS = (
    records.c.id,
    records.c.kind,
    records.c.crn,
    records.c.version,
    records.c.data,
    records.c.field_versions,
)

# Built once: every mutation a push decides reads its record through this.
_GET = select(*_COLUMNS).where(
    records.c.id == bindparam("record"),
    records.c.kind == bindparam("wanted"),
    records.c.deleted.is_(False),
)


def _stored(row: Any) -> StoredRecord:
    return StoredRecord(
        kind=row.kind,
        id=UUID(row.id),
        crn=row.crn,
        version=int(row.version),
        data=dict(row.data or {}),
        field_versions={k: int(v) for k, v in (row.field_versions or {}).items()},
    )


class SqlCaseReader:
    """Reads live records inside the caller's transaction, limited by `allows(crn)`.

    It remembers which cases it read (`crns`): a push batch decides a mutation again
    under the locks of any case it read that the batch did not hold
    (`central.sync.group`).
    """

    def __init__(self, conn: Connection, allows: Callable[[str], bool]) -> None:
        self._conn = conn
        self._allows = allows
        # The cases whose records were read: they must be locked before any write.
        self.crns: set[str] = set()

    def get(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        row = self._conn.execute(_GET, {"record": str(record_id), "wanted": kind}).first()
        found = None if row is None or not self._allows(row.crn) else _stored(row)
        if found is not None:
            self.crns.add(found.crn)
        return found

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        if not self._allows(crn):
            return []
        self.crns.add(crn)
        query = (
            select(*_COLUMNS)
            .where(records.c.crn == crn, records.c.kind == kind, records.c.deleted.is_(False))
            .order_by(records.c.id)
        )
        return [_stored(row) for row in self._conn.execute(query)]

    def diary(self, staff_code: str, start: dt.date, end: dt.date) -> list[Contact]:
        """The officer's appointments in the window, from the cases allocated to them.

        Appointments sit in the person's case, so the diary is read from the officer's
        caseload (the cases an officer books for) and filtered on the contact's own
        staff code and date.
        """
        allocated = select(cases.c.crn).where(cases.c.staff_code == staff_code)
        day = records.c.data["date"].as_string()
        query = select(records.c.data).where(
            records.c.crn.in_(allocated),
            records.c.kind == "contact",
            records.c.deleted.is_(False),
            records.c.data["staff_code"].as_string() == staff_code,
            day >= start.isoformat(),
            day <= end.isoformat(),
        )
        return [Contact.model_validate(data) for (data,) in self._conn.execute(query)]
