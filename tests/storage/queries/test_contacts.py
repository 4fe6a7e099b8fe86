from __future__ import annotations

import datetime as dt
import uuid

from domain.contacts import Contact
from storage.db import CacheDb
from storage.pulled import apply_pull_page
from storage.queries.contacts import ContactQuery, contact_page, diary, needs_outcome
from tests.storage.builders import OFFICER, TODAY, CaseData, make_case


def _seed(cdb: CacheDb) -> CaseData:
    case = make_case(contacts=3)
    case.contacts += [
        Contact(
            id=uuid.uuid4(),
            crn=case.crn,
            type_code="COAP",
            date=TODAY - dt.timedelta(days=d),
            start_time=dt.time(9, 0),
            end_time=dt.time(9, 30),
            event_id=case.event.id,
            staff_code=OFFICER.staff_code,
        )
        for d in (1, 2)
    ]
    case.contacts.append(
        Contact(
            id=uuid.uuid4(),
            crn=case.crn,
            type_code="CTOB",
            date=TODAY,
            sensitive=True,
            notes="Safeguarding call about the children",
        )
    )
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c", last_applied_seq=0)
    return case


def test_pages_are_newest_first_with_totals(cdb: CacheDb) -> None:
    case = _seed(cdb)
    page = contact_page(cdb, case.crn, ContactQuery(), offset=0, limit=2)
    assert page.total == 6
    assert page.rows[0].date == TODAY
    rest = contact_page(cdb, case.crn, ContactQuery(), offset=2, limit=10)
    assert len(rest.rows) == 4


def test_filters(cdb: CacheDb) -> None:
    case = _seed(cdb)

    def count(**filters: object) -> int:
        return contact_page(cdb, case.crn, ContactQuery(**filters)).total  # type: ignore[arg-type]

    assert count(type_code="CTOB") == 1
    assert count(sensitive_only=True) == 1
    assert count(outcome_code="ATTC") == 3
    assert count(appointments_only=True) == 5
    assert count(national_standards=True) == 5
    assert count(date_from=TODAY - dt.timedelta(days=2), date_to=TODAY) == 3
    assert count(text="safeguard") == 1
    assert count(text="((") == 0
    assert count(requirement_id=str(case.rar.id)) == 0


def test_needs_outcome_is_oldest_first(cdb: CacheDb) -> None:
    _seed(cdb)
    rows = needs_outcome(cdb, now=dt.datetime(2026, 11, 20, 12, 0))
    assert [r.date for r in rows] == [TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1)]
    assert rows[0].name == "Testy Example"


def test_diary_by_day_and_week(cdb: CacheDb) -> None:
    _seed(cdb)
    day = TODAY - dt.timedelta(days=1)
    assert len(diary(cdb, day, day)) == 1
    week = diary(cdb, TODAY - dt.timedelta(days=6), TODAY, staff_code=OFFICER.staff_code)
    assert len(week) == 2
