"""The app's cache port over the real encrypted cache (SQLCipher), cases as pulled."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app.cache_adapter import StorageCache
from app.rows import ContactFilter
from domain.mutations import CaseViewed, RecordContact
from domain.semantics import Actor
from storage.crypto import FAST_TEST_PARAMS
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import NOW, OFFICER, TODAY, make_case


@pytest.fixture
def cache(tmp_path):
    profile = Profile(tmp_path / "profile", "officer.one", kdf=FAST_TEST_PARAMS)
    key = profile.keys.create("pw")
    cdb = profile.open_writer(key)
    cases = [
        make_case("X100001", surname="Hughes", first="Amelia", contacts=60),
        make_case("X100002", surname="Patel", first="Noah", contacts=2),
    ]
    apply_pull_page(cdb, snapshots=[c.snapshot() for c in cases], cursor="c1", last_applied_seq=0)
    adapter = StorageCache(
        cdb, Actor(OFFICER.username, OFFICER.staff_code, OFFICER.team_code), lambda: NOW
    )
    yield adapter
    adapter.close()
    profile.close()


def test_caseload_rows_carry_risk_words_and_colour(cache):
    rows = {r.crn: r for r in cache.caseload_page(offset=0, limit=100).rows}
    assert set(rows) == {"X100001", "X100002"}
    amelia = rows["X100001"]
    assert amelia.name == "Amelia Hughes"
    assert amelia.risk is not None
    assert (amelia.risk.text, amelia.risk.colour) == ("High RoSH", "red")
    assert amelia.last_contact == TODAY - dt.timedelta(days=7)


def test_case_detail_has_badges_progress_and_personal_details(cache):
    detail = cache.case_detail("X100001", today=TODAY)
    assert detail.name == "Amelia Hughes"
    assert detail.age == 36
    assert [b.text for b in detail.badges] == ["High RoSH"]
    assert [p.label for p in detail.progress] == ["RAR days"]
    assert detail.progress[0].ordered == 20
    assert dict(detail.personal)["Aliases"] == "Tess Sample"
    assert detail.registrations[0].registered_on == dt.date(2026, 1, 10)
    assert cache.case_detail("Z999999", today=TODAY) is None


def test_contact_pages_and_full_text_search(cache):
    page = cache.contact_page("X100001", ContactFilter(), offset=0, limit=50)
    assert (len(page.rows), page.total) == (50, 60)
    hits = cache.contact_page("X100001", ContactFilter(text="visit 7"), offset=0, limit=50)
    assert hits.total >= 1
    assert all("visit" in r.notes for r in hits.rows)


def test_a_local_change_is_marked_waiting_and_reported_as_a_change_set(cache):
    changes = cache.apply(
        "record_contact",
        RecordContact(
            contact_id=uuid.uuid4(),
            crn="X100002",
            type_code="CTOB",
            date=TODAY,
            notes="Phoned to confirm the appointment",
        ),
    )
    assert changes.touches_case("X100002")
    assert changes.touches_kind("outbox")
    rows = {r.crn: r for r in cache.caseload_page(offset=0, limit=100).rows}
    assert rows["X100002"].waiting_to_send
    page = cache.contact_page("X100002", ContactFilter(), offset=0, limit=50)
    assert any(r.waiting_to_send and "Phoned" in r.notes for r in page.rows)


def test_case_view_audit_is_queued(cache):
    cache.apply("case_viewed", CaseViewed(crn="X100001", viewed_at=NOW))
    assert cache.cdb.one("SELECT count(*) FROM outbox WHERE name = 'case_viewed'") == 1


def test_search_finds_by_name_and_odd_input_is_safe(cache):
    assert [h.crn for h in cache.search("hughes", limit=10)] == ["X100001"]
    assert cache.search('"(*', limit=10) == []


def test_rar_days_count_the_contacts_linked_to_the_requirement(tmp_path):
    """Only the requirement's own contacts are read for progress; they must all count."""
    profile = Profile(tmp_path / "profile", "officer.one", kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(profile.keys.create("pw"))
    case = make_case("X100003", surname="Khan", first="Ali", contacts=30)
    for n, contact in enumerate(case.contacts[:3]):  # three RAR days, on three dates
        case.contacts[n] = contact.model_copy(
            update={"requirement_id": case.rar.id, "rar_activity": True}
        )
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c1", last_applied_seq=0)
    actor = Actor(OFFICER.username, OFFICER.staff_code, OFFICER.team_code)
    adapter = StorageCache(cdb, actor, lambda: NOW)
    try:
        (rar,) = adapter.case_detail("X100003", today=TODAY).progress
        assert (rar.label, rar.done, rar.ordered) == ("RAR days", 3, 20)
    finally:
        adapter.close()
        profile.close()
