"""The alerts inbox: open alert contacts on the cases the officer manages now."""

from __future__ import annotations

import datetime as dt

from storage.db import CacheDb
from storage.pulled import apply_pull_page
from storage.queries.alerts import _OPEN, open_alert_count, open_alerts
from tests.storage.builders import OFFICER, make_case


def _case_with_alerts(cdb: CacheDb, crn: str, manager: str) -> None:
    data = make_case(crn, contacts=3)
    data.person = data.person.model_copy(update={"staff_code": manager})
    first, second, third = data.contacts
    data.contacts = [
        first.model_copy(update={"alert": True, "notes": "Police called: arrested"}),
        second.model_copy(
            update={
                "alert": True,
                "alert_cleared_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                "alert_cleared_by": "someone",
            }
        ),
        third,
    ]
    apply_pull_page(cdb, snapshots=[data.snapshot()], cursor="c", last_applied_seq=0)


def test_open_alerts_on_my_cases_newest_first(cdb: CacheDb) -> None:
    _case_with_alerts(cdb, "A100001", OFFICER.staff_code)
    _case_with_alerts(cdb, "A100002", "N07P999")  # held here, but someone else manages it
    [alert] = open_alerts(cdb, OFFICER.staff_code)
    assert alert.crn == "A100001"
    assert alert.notes == "Police called: arrested"
    assert open_alert_count(cdb, OFFICER.staff_code) == 1
    assert open_alert_count(cdb, "N07P999") == 1
    assert open_alerts(cdb, None) == []


def test_the_inbox_reads_only_open_alerts_through_their_index(cdb: CacheDb) -> None:
    plan = " ".join(
        str(row["detail"])
        for row in cdb.query("EXPLAIN QUERY PLAN SELECT c.data" + _OPEN, [OFFICER.staff_code])
    )
    assert "contact_open_alert" in plan
