"""Calendar files from the cache: a booking, its reschedule (same entry), its cancellation,
a repeating series, and a whole week; every file parsed by icalendar and vobject."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
import vobject

from app.usecases import appointments
from app.usecases.calendar import appointment_ics, week_ics
from app.usecases.outcomes import outcome_target, record_outcome
from domain.letters.kit import LetterKit, OfficeDetails
from domain.mutations import RecordOutcome, Repeat
from storage.letters import save_kit
from tests.storage.builders import TODAY
from tests.ui.forms.conftest import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = next(gen := make_world(tmp_path))
    office = OfficeDetails(code="N07OFF1", description="Camden Probation Office")
    save_kit(made.writer, LetterKit(offices=(office,)), "1")
    yield made
    next(gen, None)


def _events(path: Path) -> list[icalendar.Event]:
    data = path.read_bytes()
    vobject.readOne(data.decode())  # a second, independent parser accepts it too
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def _book(ctx, request) -> appointments.Booked:
    return appointments.arrange_appointment(ctx, request, accept_warnings=True)


def test_a_booking_then_its_reschedule_update_the_same_entry(world: World) -> None:
    ctx = world.runner().ctx
    request = appointments.arrange_setup(ctx, "X100001").defaults
    booked = _book(ctx, request)
    [first] = _events(appointment_ics(ctx, booked.contact_ids[0]).path)
    assert str(first["summary"]).startswith("X100001 ")
    assert "Amelia" not in str(first["summary"])
    assert str(first["location"]) == "Camden Probation Office"
    later = dt.datetime.combine(request.date + dt.timedelta(days=1), dt.time(15))
    moved = appointments.reschedule_appointment(
        ctx,
        appointments.RescheduleRequest(
            booked.contact_ids[0], "service", later.date(), later.time(), dt.time(15, 30)
        ),
        "X100001",
        accept_warnings=True,
    )
    # from either the old or the new appointment, the one entry as it now is
    for contact_id in (booked.contact_ids[0], moved.contact_ids[0]):
        [after] = _events(appointment_ics(ctx, contact_id).path)
        assert after["uid"] == first["uid"]
        assert after["sequence"] == first["sequence"] + 1
        assert after.decoded("dtstart").replace(tzinfo=None) == later


def test_an_absence_recorded_in_advance_cancels_the_entry(world: World) -> None:
    ctx = world.runner().ctx
    booked = _book(ctx, appointments.arrange_setup(ctx, "X100001").defaults)
    contact_id = booked.contact_ids[0]
    version = outcome_target(ctx, contact_id).version
    record_outcome(
        ctx, RecordOutcome(contact_id=contact_id, outcome_code="AAHO", base_version=version)
    )
    made = appointment_ics(ctx, contact_id)
    assert made.method == "CANCEL"
    [event] = _events(made.path)
    assert str(event["status"]) == "CANCELLED"


def test_a_repeating_booking_is_one_series_and_the_week_holds_it_once(world: World) -> None:
    ctx = world.runner().ctx
    defaults = appointments.arrange_setup(ctx, "X100001").defaults
    request = dataclasses.replace(defaults, repeat=Repeat(frequency="weekly", count=6))
    booked = _book(ctx, request)
    [master] = _events(appointment_ics(ctx, booked.contact_ids[3]).path)
    assert "rrule" in master
    monday = request.date - dt.timedelta(days=request.date.weekday())
    week = week_ics(ctx, monday)
    assert week.appointments == 1
    [weekly] = _events(week.path)
    assert weekly["uid"] == master["uid"]


def test_the_week_export_of_an_empty_week_is_still_a_valid_calendar(world: World) -> None:
    ctx = world.runner().ctx
    week = week_ics(ctx, TODAY + dt.timedelta(days=700))
    assert week.appointments == 0
    assert _events(week.path) == []
