from __future__ import annotations

from storage.db import CacheDb
from storage.queries.case import case_overview
from tests.storage.builders import TODAY, CaseData


def test_overview_describes_the_case(cdb: CacheDb, case: CaseData) -> None:
    overview = case_overview(cdb, case.crn, today=TODAY)
    assert overview is not None
    assert overview.person.crn == case.crn
    assert overview.main_address is not None
    assert overview.risks[0].colour == "red"
    [event] = overview.events
    assert event.number == 1
    assert "RAR days" in event.requirements[0]
    assert len(overview.recent_contacts) == 3
    assert overview.waiting_to_send == 0


def test_unknown_case_is_none(cdb: CacheDb) -> None:
    assert case_overview(cdb, "Z999999", today=TODAY) is None
