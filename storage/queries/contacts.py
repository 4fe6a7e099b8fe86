"""The contact log (filtered pages), appointments needing an outcome, and the diary."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from storage.db import CacheDb
from storage.queries import common
from storage.queries.rows import ContactItem, DiaryItem, Page
from storage.search import matches, terms


@dataclass(frozen=True, slots=True)
class ContactQuery:
    """What the contact log shows; every filter is optional."""

    type_code: str | None = None
    outcome_code: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    national_standards: bool = False
    appointments_only: bool = False
    requirement_id: str | None = None
    sensitive_only: bool = False
    text: str = ""


def _where(crn: str, q: ContactQuery) -> tuple[list[str], list[Any]]:
    clauses, params = ["c.crn = ?"], [crn]
    simple = (
        ("c.type_code = ?", q.type_code),
        ("c.outcome_code = ?", q.outcome_code),
        ("c.date >= ?", q.date_from.isoformat() if q.date_from else None),
        ("c.date <= ?", q.date_to.isoformat() if q.date_to else None),
        ("c.requirement_id = ?", q.requirement_id),
    )
    for clause, value in simple:
        if value is not None:
            clauses.append(clause)
            params.append(value)
    if q.sensitive_only:
        clauses.append("c.sensitive = 1")
    for wanted, codes in (
        (q.national_standards, _ns_types()),
        (q.appointments_only, common.appointment_types()),
    ):
        if wanted:
            clauses.append(f"c.type_code IN ({common.placeholders(codes)})")
            params += codes
    return clauses, params


def _ns_types() -> tuple[str, ...]:
    from domain.reference import reference

    return tuple(sorted(c.code for c in reference().contact_types.values() if c.national_standards))


def _item(row: dict[str, Any]) -> ContactItem:
    data = common.loads(row["data"])
    code = data["type_code"]
    return ContactItem(
        id=data["id"],
        crn=data["crn"],
        date=dt.date.fromisoformat(data["date"]),
        start_time=common.time_or_none(data.get("start_time")),
        type_code=code,
        type_text=common.type_text(code),
        outcome_code=data.get("outcome_code"),
        outcome_text=common.outcome_text(data.get("outcome_code")),
        notes=data.get("notes", ""),
        sensitive=bool(data.get("sensitive")),
        alert=bool(data.get("alert")),
        is_appointment=code in common.appointment_types(),
        national_standards=common.national_standards(code),
        requirement_id=data.get("requirement_id"),
        version=row["version"],
        waiting_to_send=bool(row["pending"]),
        location_code=data.get("location_code") or "",
    )


def contact_page(
    cdb: CacheDb, crn: str, query: ContactQuery, *, offset: int = 0, limit: int = 50
) -> Page[ContactItem]:
    """Newest first; `text` searches notes and type words (any input is safe)."""
    clauses, params = _where(crn, query)
    if query.text.strip():
        # One case holds hundreds of contacts, the index a million: filtering the case's
        # rows here is far cheaper than reading every match of a common word.
        words = terms(query.text)
        where = " AND ".join(clauses)
        candidates = cdb.query(
            f"SELECT c.seq, c.search_text FROM contact c WHERE {where}",  # noqa: S608
            params,
        )
        keep = [r["seq"] for r in candidates if matches(r["search_text"], words)]
        clauses.append("c.seq IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(keep))
    where = " AND ".join(clauses)
    total = cdb.one(f"SELECT count(*) FROM contact c WHERE {where}", params)  # noqa: S608
    rows = cdb.query(
        f"SELECT c.data, c.version, c.pending FROM contact c WHERE {where}"  # noqa: S608
        " ORDER BY c.date DESC, c.start_time DESC, c.seq DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page(tuple(_item(r) for r in rows), offset, int(total))


def _diary_item(row: dict[str, Any]) -> DiaryItem:
    data = common.loads(row["data"])
    return DiaryItem(
        contact_id=data["id"],
        crn=data["crn"],
        name=f"{row['first_name'] or ''} {row['surname'] or ''}".strip(),
        date=dt.date.fromisoformat(data["date"]),
        start_time=common.time_or_none(data.get("start_time")),
        end_time=common.time_or_none(data.get("end_time")),
        type_text=common.type_text(data["type_code"]),
        location_code=data.get("location_code") or "",
        outcome_text=common.outcome_text(data.get("outcome_code")),
        version=row["version"],
        waiting_to_send=bool(row["pending"]),
    )


_APPOINTMENTS = """
SELECT c.data, c.version, c.pending, p.first_name, p.surname FROM contact c
LEFT JOIN person p ON p.crn = c.crn
WHERE c.type_code IN ({marks}) AND {condition}
ORDER BY c.date {direction}, c.start_time {direction}, c.seq"""


def diary(
    cdb: CacheDb,
    start: dt.date,
    end: dt.date,
    *,
    staff_code: str | None = None,
    covered: Collection[str] = (),
) -> list[DiaryItem]:
    """Appointments dated start..end inclusive (a day or a week), in time order; with
    `covered`, every appointment of those cases too (a colleague's, during cover)."""
    codes = common.appointment_types()
    condition = "c.date BETWEEN ? AND ?"
    params: list[Any] = [*codes, start.isoformat(), end.isoformat()]
    if staff_code:
        condition += " AND (c.staff_code = ? OR c.crn IN (SELECT value FROM json_each(?)))"
        params += [staff_code, json.dumps(sorted(covered))]
    sql = _APPOINTMENTS.format(
        marks=common.placeholders(codes), condition=condition, direction="ASC"
    )
    return [_diary_item(r) for r in cdb.query(sql, params)]


def needs_outcome(cdb: CacheDb, *, now: dt.datetime, limit: int = 500) -> list[DiaryItem]:
    """Appointments that have started and still have no outcome, oldest first."""
    codes = common.appointment_types()
    condition = (
        "c.outcome_code IS NULL AND c.start_time IS NOT NULL AND c.date <= ?"
        " AND (c.date < ? OR c.start_time <= ?)"
    )
    sql = _APPOINTMENTS.format(
        marks=common.placeholders(codes), condition=condition, direction="ASC"
    )
    day, clock = now.date().isoformat(), now.time().isoformat(timespec="seconds")
    params = [*codes, day, day, clock, limit]
    return [_diary_item(r) for r in cdb.query(sql + " LIMIT ?", params)]


def type_usage(cdb: CacheDb, staff_code: str | None) -> dict[str, int]:
    """How many contacts of each type this officer recorded: the contact-type picker puts
    the officer's own habits first (served by the `staff_code, date` index)."""
    if not staff_code:
        return {}
    rows = cdb.query(
        "SELECT type_code, count(*) AS n FROM contact WHERE staff_code = ? GROUP BY type_code",
        (staff_code,),
    )
    return {str(r["type_code"]): int(r["n"]) for r in rows if r["type_code"]}
