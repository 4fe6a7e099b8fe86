"""Arrange / preview / reschedule / append-note use cases over the real encrypted cache."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.usecases import appointments as uc
from domain.errors import ValidationError
from domain.mutations import Repeat, occurrence_id
from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import NOW, OFFICER, CaseData, make_case

D = dt.date
T = dt.time
OLIVE = Officer(
    OFFICER.username, "Olive Officer", OFFICER.staff_code or "", OFFICER.team_code or ""
)
NEXT_FRIDAY = D(2026, 11, 27)  # TODAY is Friday 20 November 2026


@dataclass
class Laptop:
    ctx: AppContext
    cdb: CacheDb
    case: CaseData
    other: CaseData

    def contacts(self, crn: str) -> dict[str, dict[str, Any]]:
        rows = self.cdb.query("SELECT id, data FROM contact WHERE crn = ?", (crn,))
        return {r["id"]: json.loads(r["data"]) for r in rows}

    def outbox(self) -> list[tuple[str, dict[str, Any]]]:
        rows = self.cdb.query("SELECT name, args FROM outbox ORDER BY seq")
        return [(r["name"], json.loads(r["args"])) for r in rows]


@pytest.fixture
def laptop(tmp_path) -> Iterator[Laptop]:
    profile = Profile(tmp_path / "profile", OFFICER.username, kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(profile.keys.create("pw"))
    case = make_case("X100001", surname="Hughes", first="Amelia", contacts=3)
    other = make_case("X100002", surname="Patel", first="Noah", contacts=0)
    snapshots = [case.snapshot(), other.snapshot()]
    apply_pull_page(cdb, snapshots=snapshots, cursor="c1", last_applied_seq=0)
    ctx = AppContext(
        lambda: StorageCache(cdb, OFFICER, lambda: NOW, owns_connection=False),
        OLIVE,
        clock=lambda: NOW,
    )
    yield Laptop(ctx, cdb, case, other)
    cdb.close()
    profile.close()


def next_week(laptop: Laptop) -> uc.AppointmentRequest:
    return uc.arrange_setup(laptop.ctx, "X100001").defaults


def test_defaults_repeat_the_last_appointment_a_week_on(laptop):
    setup = uc.arrange_setup(laptop.ctx, "X100001")
    d = setup.defaults
    assert (d.type_code, d.date, d.start_time, d.end_time) == (
        "COAP",
        NEXT_FRIDAY,
        T(10),
        T(10, 30),
    )
    assert d.location_code == "N07OFF1"
    assert d.event_id == laptop.case.event.id
    assert setup.locations == ("N07OFF1",)
    [event] = setup.events
    assert event.label.startswith("Event 1: Theft from a shop")
    assert [r.id for r in event.requirements] == [laptop.case.rar.id]
    assert "Rehabilitation Activity Requirement" in event.requirements[0].label


def test_a_first_appointment_defaults_to_a_week_today_in_the_office(laptop):
    d = uc.arrange_setup(laptop.ctx, "X100002").defaults
    assert (d.type_code, d.date, d.start_time, d.end_time) == (
        "COAP",
        NEXT_FRIDAY,
        T(10),
        T(10, 30),
    )
    assert d.event_id == laptop.other.event.id  # the only event is pre-selected


def test_weekly_series_preview_lists_each_date_and_flags_christmas_day(laptop):
    request = replace(next_week(laptop), repeat=Repeat(frequency="weekly", count=5))
    preview = uc.preview_appointment(laptop.ctx, request)
    assert preview.ok
    assert [o.date for o in preview.occurrences] == [
        D(2026, 11, 27),
        D(2026, 12, 4),
        D(2026, 12, 11),
        D(2026, 12, 18),
        D(2026, 12, 25),
    ]
    assert [bool(o.warnings) for o in preview.occurrences] == [False] * 4 + [True]
    assert "bank holiday (Christmas Day)" in preview.occurrences[-1].warnings[0]
    until = replace(request, repeat=Repeat(frequency="fortnightly", until=D(2026, 12, 31)))
    dates = [o.date for o in uc.preview_appointment(laptop.ctx, until).occurrences]
    assert dates == [D(2026, 11, 27), D(2026, 12, 11), D(2026, 12, 25)]


def test_preview_warns_of_a_weekend_and_of_a_clash_in_the_cached_diary(laptop):
    other = uc.arrange_setup(laptop.ctx, "X100002").defaults
    request = next_week(laptop)
    clash = replace(
        other, date=request.date, start_time=T(10, 15), end_time=T(10, 45), location_code="N07OFF1"
    )
    uc.arrange_appointment(laptop.ctx, clash)
    # the default keeps the day and moves the time an hour clear of the officer's clash
    moved = next_week(laptop)
    assert (moved.date, moved.start_time) == (request.date, T(11, 45))
    near = uc.preview_appointment(laptop.ctx, request)
    # whose appointment it is, so the officer can judge the clash (the field day's finding)
    [warning] = near.occurrences[0].warnings
    assert warning.startswith("Overlaps another appointment at 10:15-10:45 (")
    assert warning.endswith(", X100002).")
    later = replace(request, start_time=T(11, 15), end_time=T(11, 45))
    assert "Less than an hour" in uc.preview_appointment(laptop.ctx, later).warnings[0]
    saturday = replace(next_week(laptop), date=D(2026, 11, 28))
    assert uc.preview_appointment(laptop.ctx, saturday).warnings == (
        "Saturday 28 November 2026 is a weekend.",
    )


def test_preview_errors_name_their_fields(laptop):
    request = replace(next_week(laptop), end_time=T(9), location_code=None)
    preview = uc.preview_appointment(laptop.ctx, request)
    assert {e.field for e in preview.errors} == {"end_time", "location_code"}
    phone = replace(next_week(laptop), type_code="COPT", location_code=None)
    assert uc.preview_appointment(laptop.ctx, phone).ok  # a phone call needs no location
    too_many = replace(next_week(laptop), repeat=Repeat(frequency="daily", until=D(2027, 12, 1)))
    assert uc.preview_appointment(laptop.ctx, too_many).errors[0].field == "until"


def test_a_series_with_warnings_is_booked_only_once_confirmed(laptop):
    request = replace(next_week(laptop), repeat=Repeat(frequency="weekly", count=5))
    with pytest.raises(uc.WarningsNotConfirmed, match="Christmas Day"):
        uc.arrange_appointment(laptop.ctx, request)
    assert laptop.outbox() == []
    first = uuid.uuid4()
    booked = uc.arrange_appointment(laptop.ctx, request, accept_warnings=True, contact_id=first)
    assert booked.contact_ids == tuple(occurrence_id(first, i) for i in range(5))
    assert booked.changes.touches_case("X100001")
    held = laptop.contacts("X100001")
    assert all(str(i) in held for i in booked.contact_ids)
    assert held[str(first)]["date"] == "2026-11-27"
    assert held[str(first)]["location_code"] == "N07OFF1"
    [(name, args)] = laptop.outbox()  # one mutation for the whole series
    assert name == "arrange_appointment"
    assert args["repeat"] == {"frequency": "weekly", "count": 5, "until": None}


def test_linking_the_rar_requirement_makes_it_a_rar_activity(laptop):
    request = replace(next_week(laptop), requirement_id=laptop.case.rar.id)
    booked = uc.arrange_appointment(laptop.ctx, request)
    assert laptop.contacts("X100001")[str(booked.contact_ids[0])]["rar_activity"] is True
    plain = uc.arrange_appointment(
        laptop.ctx, replace(request, requirement_id=None, date=D(2026, 12, 2))
    )
    assert laptop.contacts("X100001")[str(plain.contact_ids[0])]["rar_activity"] is False


def test_an_invalid_request_is_refused_with_nothing_queued(laptop):
    with pytest.raises(ValidationError) as caught:
        uc.arrange_appointment(laptop.ctx, replace(next_week(laptop), location_code=""))
    assert caught.value.field == "location_code"
    assert laptop.outbox() == []


def test_reschedule_at_the_persons_request(laptop):
    booked = uc.arrange_appointment(laptop.ctx, next_week(laptop))
    old_id = booked.contact_ids[0]
    old = uc.reschedule_setup(laptop.ctx, "X100001", old_id)
    assert old.when == "Fri 27/11/2026 10:00"
    request = uc.RescheduleRequest(old_id, "person", D(2026, 11, 30), T(14), T(14, 30))
    assert uc.preview_reschedule(laptop.ctx, old, request).warnings == ()
    moved = uc.reschedule_appointment(laptop.ctx, request, "X100001")
    held = laptop.contacts("X100001")
    assert held[str(old_id)]["outcome_code"] == "RSOF"
    new = held[str(moved.contact_ids[0])]
    assert (new["date"], new["start_time"], new["location_code"]) == (
        "2026-11-30",
        "14:00:00",
        "N07OFF1",
    )
    assert new["event_id"] == str(laptop.case.event.id)
    assert [n for n, _ in laptop.outbox()] == ["arrange_appointment", "reschedule_appointment"]
    with pytest.raises(uc.NotAnAppointment, match="already has an outcome"):
        uc.reschedule_setup(laptop.ctx, "X100001", old_id)


def test_with_nothing_selected_the_next_booked_appointment_is_the_one_to_move(laptop):
    with pytest.raises(uc.NotAnAppointment, match="no booked appointment"):
        uc.next_booked(laptop.ctx, "X100001")
    first = uc.arrange_appointment(laptop.ctx, next_week(laptop)).contact_ids[0]
    uc.arrange_appointment(laptop.ctx, next_week(laptop), accept_warnings=True)
    assert uc.next_booked(laptop.ctx, "X100001") == first
    request = uc.RescheduleRequest(first, "service", D(2026, 12, 1), T(9), T(9, 30))
    moved = uc.reschedule_appointment(laptop.ctx, request, "X100001").contact_ids[0]
    assert uc.next_booked(laptop.ctx, "X100001") == moved  # the old one is outcomed RSSR


def test_reschedule_by_the_service_into_its_own_slot_is_not_a_clash(laptop):
    booked = uc.arrange_appointment(laptop.ctx, next_week(laptop))
    old = uc.reschedule_setup(laptop.ctx, "X100001", booked.contact_ids[0])
    later = uc.RescheduleRequest(old.contact_id, "service", old.date, T(10, 15), T(10, 45))
    assert uc.preview_reschedule(laptop.ctx, old, later).warnings == ()
    uc.reschedule_appointment(laptop.ctx, later, "X100001")
    assert laptop.contacts("X100001")[str(old.contact_id)]["outcome_code"] == "RSSR"


def test_appending_a_note_keeps_the_old_text_and_the_sensitive_flag(laptop):
    past = laptop.case.contacts[0]
    uc.append_note(laptop.ctx, "X100001", past.id, "Disclosed a new partner.", sensitive=True)
    uc.append_note(laptop.ctx, "X100001", past.id, "Partner's name to follow.")
    held = laptop.contacts("X100001")[str(past.id)]
    assert held["notes"].startswith(past.notes)
    assert (
        "Comment added by officer.one on 20/11/2026 at 10:00\nDisclosed a new partner."
        in (held["notes"])
    )
    assert held["notes"].endswith("Partner's name to follow.")
    assert held["sensitive"] is True
    assert [n for n, _ in laptop.outbox()] == ["append_contact_note"] * 2


def test_a_blank_or_too_long_note_is_refused_before_anything_is_queued(laptop):
    past = laptop.case.contacts[0]
    with pytest.raises(ValidationError, match="Write something"):
        uc.append_note(laptop.ctx, "X100001", past.id, "   ")
    with pytest.raises(ValidationError, match="too long"):
        uc.append_note(laptop.ctx, "X100001", past.id, "x" * 12_000)
    assert laptop.outbox() == []
    assert laptop.contacts("X100001")[str(past.id)]["notes"] == past.notes
