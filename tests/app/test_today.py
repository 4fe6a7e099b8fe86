"""The day's plan from the real encrypted cache: order, the risk at the door, briefing pages,
lone-working check-ins and the briefing's audit, all offline."""

from __future__ import annotations

import datetime as dt

import pytest

from app.usecases.today import back_safe, briefing_saved, going_to_visit, load_briefing, load_day
from domain.errors import ValidationError
from tests.storage.builders import NOW, TODAY
from tests.support.field_day import field_day_context


@pytest.fixture
def ctx(tmp_path):
    with field_day_context(tmp_path) as context:
        yield context


def test_the_day_is_in_time_order_and_tomorrow_is_separate(ctx):
    today = load_day(ctx, TODAY)
    assert [(r.name, r.start_time) for r in today.rows] == [
        ("Noah Patel", dt.time(9, 30)),
        ("Amelia Hughes", dt.time(14, 0)),
    ]
    tomorrow = load_day(ctx, TODAY + dt.timedelta(days=1))
    assert [(r.name, r.start_time) for r in tomorrow.rows] == [("Noah Patel", dt.time(10, 0))]


def test_a_home_visit_row_carries_the_risk_at_the_door(ctx):
    row = load_day(ctx, TODAY).rows[0]
    assert row.is_home_visit
    assert row.place == "Fake Street, ZZ1 1ZZ"
    assert row.phone == "07700 900123"
    assert row.access_notes == "Dog in the back garden"
    assert [(m.relationship, m.flags) for m in row.household if m.lives_there] == [
        ("Partner", ("Victim",)),
        ("Child", ("Child (aged 6)",)),
    ]
    assert row.staff_risk == ("Threatened staff when drunk",)
    assert row.risk_text.startswith("RISK TO STAFF: Threatened staff when drunk")
    assert row.rosh == "High RoSH: Medium to children, public; High to known adult; Low to staff"
    assert row.who_at_risk == "Current partner."
    assert row.mappa == "MAPPA level 2, category 1"
    assert set(row.flags) == {"ViSOR", "Domestic Abuse Perpetrator"}
    assert row.restraining_orders == ("Restraining order: Not to contact Jo Bloggs",)
    assert row.conditions == ("Curfew requirement: Electronic monitoring (19:00 to 07:00)",)
    assert row.is_cover is False


def test_what_is_outstanding_is_listed(ctx):
    row = load_day(ctx, TODAY).rows[0]
    assert "Evidence due by 25 Nov for the absence on 18 Nov" in row.outstanding
    assert "Domestic Abuse Perpetrator: review overdue" in row.outstanding


def test_the_briefing_has_a_page_per_visit_with_photo_and_last_contacts(ctx):
    briefing = load_briefing(ctx, TODAY)
    assert briefing.officer == "Olive Officer"
    assert [p.visit.name for p in briefing.pages] == ["Noah Patel", "Amelia Hughes"]
    page = briefing.pages[0]
    assert page.photo is not None
    assert page.photo.startswith(b"\x89PNG")
    assert len(page.recent) == 3
    assert dict(page.identity)["CRN"] == "X100002"
    assert ("Known adult", "High") in page.rosh_levels
    only = load_briefing(ctx, TODAY, [briefing.pages[1].visit.contact_id])
    assert [p.visit.name for p in only.pages] == ["Amelia Hughes"]


def test_going_and_back_safe_are_queued_contacts_and_show_on_the_row(ctx):
    going_to_visit(ctx, "X100002", dt.time(11, 30))
    assert load_day(ctx, TODAY).rows[0].lone_working == "Going: back by 11:30"
    ctx.clock["now"] = NOW.replace(hour=12, minute=5)
    row = load_day(ctx, TODAY).rows[0]
    assert row.lone_overdue
    assert row.lone_working.endswith("OVERDUE")
    back_safe(ctx, "X100002")
    row = load_day(ctx, TODAY).rows[0]
    assert row.lone_working == "Back safe at 12:05"
    assert not row.lone_overdue
    queued = ctx.cache().cdb.query("SELECT name, args FROM outbox ORDER BY seq")
    assert [q["name"] for q in queued] == ["record_contact", "record_contact"]
    assert '"type_code":"FCLWG"' in queued[0]["args"].replace(" ", "")


def test_going_needs_a_time_later_than_now(ctx):
    with pytest.raises(ValidationError):
        going_to_visit(ctx, "X100002", dt.time(9, 0))


def test_saving_a_briefing_is_audited_like_a_case_view(ctx):
    briefing_saved(ctx, ["X100001", "X100002", "X100001"], "pdf")
    cdb = ctx.cache().cdb
    assert [q["name"] for q in cdb.query("SELECT name FROM outbox")] == ["briefing_saved"] * 2
    audit = cdb.query("SELECT crn, action FROM audit_queue ORDER BY id")
    assert [(a["crn"], a["action"]) for a in audit] == [
        ("X100001", "briefing_pdf"),
        ("X100002", "briefing_pdf"),
    ]
