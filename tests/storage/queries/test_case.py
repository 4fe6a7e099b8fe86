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


def test_overview_words_match_the_domain_rules_over_every_contact(cdb: CacheDb) -> None:
    """Old contacts are not parsed; the compliance and RAR words must not change."""
    import datetime as dt
    import uuid

    from domain.contacts import Contact
    from domain.rules.compliance import compliance_summary
    from domain.rules.progress import rar_progress
    from storage.pulled import apply_pull_page
    from tests.storage.builders import make_case

    case = make_case("X555001", contacts=0)
    for days, code, rar in ((5, "UAAB", False), (40, "ATTC", True), (500, "UAAB", False),
                            (700, "ATTC", True), (900, None, True)):  # fmt: skip
        case.contacts.append(
            Contact(
                id=uuid.uuid4(),
                crn=case.crn,
                type_code="COAP",
                date=TODAY - dt.timedelta(days=days),
                start_time=dt.time(9, 0),
                event_id=case.event.id,
                outcome_code=code,
                requirement_id=case.rar.id if rar else None,
                rar_activity=rar,
            )
        )
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c", last_applied_seq=0)
    overview = case_overview(cdb, case.crn, today=TODAY)
    assert overview is not None
    [event] = overview.events
    assert event.compliance == compliance_summary(case.event, case.contacts, today=TODAY).status
    assert event.requirements[0] == rar_progress(case.rar, case.contacts, today=TODAY).text
