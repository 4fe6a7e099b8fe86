"""The caseload: one row per held case with what an officer scans for first.

Next appointment and last contact come from indexed SQL over (crn, date); highest risk
and compliance words come from the shared domain rules, computed for one page at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from domain.rules.compliance import compliance_summary
from domain.rules.risk import risk_badges
from storage.db import CacheDb
from storage.queries import common
from storage.queries.rows import CaseloadItem, Page, RiskFlag

SortKey = Literal["name", "crn", "next_appointment", "last_contact", "tier"]

_ORDER: dict[str, str] = {
    "name": "p.surname COLLATE NOCASE, p.first_name COLLATE NOCASE",
    "crn": "p.crn",
    "tier": "p.tier, p.surname COLLATE NOCASE",
    "next_appointment": "next_appointment IS NULL, next_appointment, p.surname COLLATE NOCASE",
    "last_contact": "last_contact IS NULL, last_contact DESC, p.surname COLLATE NOCASE",
}


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    sort: SortKey = "name"
    text: str = ""
    offset: int = 0
    limit: int = 200


def _sql(query: CaseloadQuery, today: dt.date, now: dt.datetime) -> tuple[str, list[Any]]:
    appts = common.appointment_types()
    marks = common.placeholders(appts)
    sql = f"""
SELECT p.crn, p.data, p.tier,
  (SELECT min(c.date || 'T' || coalesce(c.start_time, '00:00:00')) FROM contact c
    WHERE c.crn = p.crn AND c.outcome_code IS NULL AND c.start_time IS NOT NULL
      AND c.type_code IN ({marks}) AND c.date >= ? AND (c.date > ? OR c.start_time >= ?))
    AS next_appointment,
  (SELECT max(c.date) FROM contact c WHERE c.crn = p.crn AND c.date <= ?) AS last_contact,
  EXISTS (SELECT 1 FROM shadow s WHERE s.crn = p.crn) AS waiting,
  count(*) OVER () AS total
FROM person p JOIN held_case h ON h.crn = p.crn
WHERE (? = '' OR p.search_text LIKE '%' || ? || '%')
ORDER BY {_ORDER[query.sort]} LIMIT ? OFFSET ?"""  # noqa: S608
    day, clock = now.date().isoformat(), now.time().isoformat(timespec="seconds")
    params: list[Any] = [*appts, day, day, clock]
    params += [today.isoformat(), query.text, query.text, query.limit, query.offset]
    return sql, params


def _risk(cdb: CacheDb, crn: str, today: dt.date) -> RiskFlag | None:
    rows = cdb.query("SELECT data FROM registration WHERE crn = ?", (crn,))
    badges = risk_badges(common.registrations(rows), today=today)
    if not badges:
        return None
    return RiskFlag(badges[0].text, badges[0].colour, badges[0].group)


def _sentence_and_compliance(cdb: CacheDb, crn: str, today: dt.date) -> tuple[str, str]:
    events = [e for e in common.events(case_events(cdb, crn)) if e.active]
    if not events:
        return "", ""
    main = events[0]
    rows = cdb.query("SELECT data FROM contact WHERE crn = ? AND event_id = ?", (crn, str(main.id)))
    summary = compliance_summary(main, common.contacts(rows), today=today)
    return common.sentence_text(main), summary.status


def case_events(cdb: CacheDb, crn: str) -> list[dict[str, Any]]:
    return cdb.query("SELECT data FROM event WHERE crn = ? ORDER BY number", (crn,))


def caseload(
    cdb: CacheDb, query: CaseloadQuery, *, today: dt.date, now: dt.datetime
) -> Page[CaseloadItem]:
    """One sorted, filtered page of the caseload."""
    sql, params = _sql(query, today, now)
    rows = cdb.query(sql, params)
    items = []
    for row in rows:
        person = common.loads(row["data"])
        sentence, compliance = _sentence_and_compliance(cdb, row["crn"], today)
        next_at = row["next_appointment"]
        items.append(
            CaseloadItem(
                crn=row["crn"],
                name=f"{person['first_name']} {person['surname']}",
                tier=row["tier"] or "",
                risk=_risk(cdb, row["crn"], today),
                sentence=sentence,
                next_appointment=dt.datetime.fromisoformat(next_at) if next_at else None,
                last_contact=common.date_or_none(row["last_contact"]),
                compliance=compliance,
                waiting_to_send=bool(row["waiting"]),
            )
        )
    total = rows[0]["total"] if rows else 0
    return Page(tuple(items), query.offset, total)
