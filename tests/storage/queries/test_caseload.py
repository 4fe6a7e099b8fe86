from __future__ import annotations

import datetime as dt
import uuid

from domain.contacts import Contact
from storage.db import CacheDb
from storage.pulled import apply_pull_page
from storage.queries.caseload import CaseloadQuery, caseload
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, make_case

LOCAL_NOW = dt.datetime(2026, 11, 20, 10, 0)


def _seed(cdb: CacheDb) -> None:
    first = make_case("X320741", surname="Adams", first="Ann")
    first.contacts.append(
        Contact(
            id=uuid.uuid4(),
            crn="X320741",
            type_code="COAP",
            date=TODAY + dt.timedelta(days=3),
            start_time=dt.time(14, 0),
            end_time=dt.time(14, 30),
            event_id=first.event.id,
        )
    )
    second = make_case("Y123456", surname="Brown", first="Bob", contacts=0)
    second.registrations.clear()
    apply_pull_page(
        cdb, snapshots=[first.snapshot(), second.snapshot()], cursor="c", last_applied_seq=0
    )


def test_rows_carry_what_the_officer_scans_for(cdb: CacheDb) -> None:
    _seed(cdb)
    page = caseload(cdb, CaseloadQuery(), today=TODAY, now=LOCAL_NOW)
    assert page.total == 2
    adams, brown = page.rows
    assert (adams.name, adams.crn, adams.tier) == ("Ann Adams", "X320741", "B2")
    assert adams.risk is not None
    assert adams.risk.colour == "red"
    assert adams.risk.text
    assert adams.next_appointment == dt.datetime(2026, 11, 23, 14, 0)
    assert adams.last_contact == TODAY - dt.timedelta(days=7)
    assert adams.sentence
    assert adams.compliance
    assert brown.risk is None
    assert brown.next_appointment is None
    assert brown.last_contact is None


def test_sorted_filtered_and_paged(cdb: CacheDb) -> None:
    _seed(cdb)
    by_next = caseload(cdb, CaseloadQuery(sort="next_appointment"), today=TODAY, now=LOCAL_NOW)
    assert [r.crn for r in by_next.rows] == ["X320741", "Y123456"]
    filtered = caseload(cdb, CaseloadQuery(text="brown"), today=TODAY, now=LOCAL_NOW)
    assert [r.crn for r in filtered.rows] == ["Y123456"]
    second_page = caseload(cdb, CaseloadQuery(offset=1, limit=1), today=TODAY, now=LOCAL_NOW)
    assert [r.crn for r in second_page.rows] == ["Y123456"]
    assert second_page.total == 2


def test_a_case_with_unsent_changes_is_marked(cdb: CacheDb) -> None:
    _seed(cdb)
    args = {"crn": "Y123456", "phone": "01632960999", "base_version": 1}
    apply_local_mutation(cdb, "update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW)
    rows = caseload(cdb, CaseloadQuery(), today=TODAY, now=LOCAL_NOW).rows
    assert [r.waiting_to_send for r in rows] == [False, True]


def _failure(case_crn: str, event_id: uuid.UUID, days_ago: int) -> Contact:
    return Contact(
        id=uuid.uuid4(),
        crn=case_crn,
        type_code="COAP",
        date=TODAY - dt.timedelta(days=days_ago),
        start_time=dt.time(9, 0),
        end_time=dt.time(9, 30),
        event_id=event_id,
        outcome_code="UAAB",
    )


def test_compliance_counts_failures_in_the_window_only(cdb: CacheDb) -> None:
    case = make_case("X320741", contacts=0)
    case.contacts += [_failure("X320741", case.event.id, d) for d in (10, 20, 900)]
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c", last_applied_seq=0)
    (row,) = caseload(cdb, CaseloadQuery(), today=TODAY, now=LOCAL_NOW).rows
    assert row.compliance == "2 failures to comply"  # the one 900 days ago no longer counts


def test_pages_of_equal_names_never_repeat_or_skip_a_case(cdb: CacheDb) -> None:
    cases = [make_case(f"A{n:06d}", surname="Same", first="Name", contacts=0) for n in range(7)]
    apply_pull_page(cdb, snapshots=[c.snapshot() for c in cases], cursor="c", last_applied_seq=0)
    seen: list[str] = []
    for offset in range(0, 7, 3):
        page = caseload(cdb, CaseloadQuery(offset=offset, limit=3), today=TODAY, now=LOCAL_NOW)
        assert page.total == 7
        seen += [r.crn for r in page.rows]
    assert sorted(seen) == sorted(c.crn for c in cases)
    assert len(seen) == len(set(seen))


def test_an_aware_now_is_read_as_local_wall_clock_time(cdb: CacheDb) -> None:
    _seed(cdb)
    aware = LOCAL_NOW.astimezone(dt.UTC)  # the app passes an aware UTC clock
    (adams, _) = caseload(cdb, CaseloadQuery(), today=TODAY, now=aware).rows
    assert adams.next_appointment == dt.datetime(2026, 11, 23, 14, 0)


def test_compliance_matches_the_domain_rule_over_the_full_contacts(cdb: CacheDb) -> None:
    """The page builds contacts from indexed columns; the words must be the domain's own."""
    from domain.rules.compliance import compliance_summary

    codes = ["ATTC", "AFTC", "UAAB", "AFTA", "AAME", "RSOF", "ATSS", None]
    for n, crn in enumerate(["X000001", "X000002", "X000003"]):
        case = make_case(crn, contacts=0)
        for day, code in enumerate(codes[n:] + codes[:n]):
            contact = _failure(crn, case.event.id, 3 + day * 9)
            case.contacts.append(contact.model_copy(update={"outcome_code": code}))
        apply_pull_page(cdb, snapshots=[case.snapshot()], cursor=crn, last_applied_seq=0)
        expected = compliance_summary(case.event, case.contacts, today=TODAY).status
        (row,) = caseload(cdb, CaseloadQuery(text=crn.lower()), today=TODAY, now=LOCAL_NOW).rows
        assert row.compliance == expected


def test_a_mappa_person_shows_mappa_beside_their_rosh(cdb: CacheDb) -> None:
    """The field day: MAPPA level 2 people showed only their RoSH level in the caseload."""
    from domain.registrations import Registration

    case = make_case("X320741", surname="Adams", first="Ann")
    case.registrations.append(
        Registration(
            id=uuid.uuid4(),
            crn="X320741",
            type_code="MAPP",
            level="M2",
            category="M1",
            registered_on=dt.date(2026, 2, 1),
        )
    )
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c", last_applied_seq=0)
    [adams] = caseload(cdb, CaseloadQuery(), today=TODAY, now=LOCAL_NOW).rows
    assert adams.risk is not None
    assert adams.risk.text.endswith(" · MAPPA level 2")
    assert adams.risk.text.startswith("High RoSH")


def test_low_rosh_with_mappa_level_3_is_red_as_the_mappa_flag_is(cdb: CacheDb) -> None:
    """A cell that says "MAPPA level 3" must not be green because the RoSH beside it is
    Low: the officer scans the colour first, and MAPPA's own flag is red."""
    from domain.registrations import Registration

    case = make_case("X320742", surname="Baker", first="Bea")
    case.registrations[:] = [
        Registration(
            id=uuid.uuid4(), crn="X320742", type_code=code, level=level,
            registered_on=dt.date(2026, 2, 1),
        )
        for code, level in (("RLRH", ""), ("MAPP", "M3"))
    ]  # fmt: skip
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c", last_applied_seq=0)
    [baker] = caseload(cdb, CaseloadQuery(), today=TODAY, now=LOCAL_NOW).rows
    assert baker.risk is not None
    assert (baker.risk.text, baker.risk.colour) == ("Low RoSH · MAPPA level 3", "red")
