"""iCalendar entries: stable UIDs, rising SEQUENCE, one series, right on both sides of the
clock changes; every file is parsed back by icalendar and by a second parser (vobject)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from domain.contacts import Contact, SeriesRef
from domain.ics import Privacy, calendar, entries, london_vtimezone
from domain.mutations import occurrence_id

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
STAMP = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PRIVACY = Privacy(places={"N07OFF1": "Camden Probation Office"})


def _appointment(day: dt.date, hour: int = 10, **extra: object) -> Contact:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "crn": "X320741",
        "type_code": "COAP",
        "date": day,
        "start_time": dt.time(hour, 0),
        "end_time": dt.time(hour, 45),
        "location_code": "N07OFF1",
        "notes": "Discussed his partner's health.",
    }
    return Contact.model_validate({**fields, **extra})


def _series(first_day: dt.date, count: int, frequency: str = "weekly") -> list[Contact]:
    first = uuid.uuid4()
    step = {"weekly": 7, "fortnightly": 14, "daily": 1, "four_weekly": 28}[frequency]
    return [
        _appointment(
            first_day + dt.timedelta(days=step * i),
            id=occurrence_id(first, i),
            series=SeriesRef(id=first, frequency=frequency, count=count, index=i),
        )
        for i in range(count)
    ]


def _both(data: bytes) -> tuple[icalendar.Calendar, object]:
    """Parse with the library that wrote it and with an independent one."""
    return icalendar.Calendar.from_ical(data), vobject.readOne(data.decode())


def _utc_starts_vobject(parsed: object) -> list[dt.datetime]:
    starts = []
    for event in parsed.vevent_list:  # type: ignore[attr-defined]
        for when in event.getrruleset(addRDate=True) or [event.dtstart.value]:
            starts.append(when.astimezone(UTC))
    return sorted(starts)


def test_the_vtimezone_agrees_with_the_tz_database_for_ten_years() -> None:
    zone = london_vtimezone().to_tz()
    day = dt.datetime(2026, 1, 1, 12, 0)
    while day.year < 2036:
        assert day.replace(tzinfo=zone).utcoffset() == day.replace(tzinfo=LONDON).utcoffset()
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (dt.date(2026, 3, 27), 10),  # Friday before the clocks go forward: GMT
        (dt.date(2026, 3, 30), 9),  # Monday after: BST
        (dt.date(2026, 10, 23), 9),  # Friday before they go back: BST
        (dt.date(2026, 10, 26), 10),  # Monday after: GMT
    ],
)
def test_clock_change_weeks_are_right_in_both_parsers(day: dt.date, utc_hour: int) -> None:
    contact = _appointment(day)
    data = calendar([contact], lambda e: True, privacy=PRIVACY, stamp=STAMP)
    ours, theirs = _both(data)
    [event] = ours.walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC).hour == utc_hour
    assert _utc_starts_vobject(theirs) == [dt.datetime.combine(day, dt.time(utc_hour), UTC)]


def test_a_weekly_series_across_the_march_change_is_one_series_at_ten_oclock() -> None:
    booked = _series(dt.date(2026, 3, 16), 4)
    data = calendar(booked, lambda e: True, privacy=PRIVACY, stamp=STAMP)
    ours, theirs = _both(data)
    [master] = ours.walk("VEVENT")
    assert str(master["rrule"].to_ical().decode()) in {
        "FREQ=WEEKLY;COUNT=4;INTERVAL=1",
        "FREQ=WEEKLY;INTERVAL=1;COUNT=4",
    }
    starts = _utc_starts_vobject(theirs)
    assert [s.astimezone(LONDON).time() for s in starts] == [dt.time(10)] * 4
    assert [s.hour for s in starts] == [10, 10, 9, 9]  # GMT, GMT, BST, BST


def test_privacy_by_default_crn_type_and_place_never_name_or_notes() -> None:
    data = calendar(
        [_appointment(dt.date(2026, 5, 5))], lambda e: True, privacy=PRIVACY, stamp=STAMP
    )
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == "X320741 Planned Office Visit"
    assert str(event["location"]) == "Camden Probation Office"
    assert str(event["class"]) == "PRIVATE"
    assert "description" not in event
    assert b"partner" not in data


def test_initials_appear_only_when_allowed() -> None:
    allowed = Privacy(initials={"X320741": "A.H."})
    data = calendar(
        [_appointment(dt.date(2026, 5, 5))], lambda e: True, privacy=allowed, stamp=STAMP
    )
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == "X320741 A.H. Planned Office Visit"


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence() -> None:
    old = _appointment(dt.date(2026, 5, 5))
    first = calendar([old], lambda e: True, privacy=PRIVACY, stamp=STAMP)
    new = _appointment(dt.date(2026, 5, 7), hour=14)
    moved = old.model_copy(update={"outcome_code": "RSSR", "rescheduled_to": new.id})
    again = _appointment(dt.date(2026, 5, 8), hour=9)
    new_moved = new.model_copy(update={"outcome_code": "RSOF", "rescheduled_to": again.id})
    second = calendar([moved, new_moved, again], lambda e: True, privacy=PRIVACY, stamp=STAMP)
    [before] = icalendar.Calendar.from_ical(first).walk("VEVENT")
    [after] = icalendar.Calendar.from_ical(second).walk("VEVENT")
    assert after["uid"] == before["uid"]
    assert (before["sequence"], after["sequence"]) == (0, 2)
    assert after.decoded("dtstart").replace(tzinfo=None) == dt.datetime(2026, 5, 8, 9)
    vobject.readOne(second.decode())


def test_a_cancellation_is_method_cancel_with_the_same_uid() -> None:
    booked = _appointment(dt.date(2026, 5, 5))
    cancelled = booked.model_copy(update={"outcome_code": "AAHO", "attended": False})
    data = calendar([cancelled], lambda e: True, privacy=PRIVACY, stamp=STAMP, method="CANCEL")
    ours, theirs = _both(data)
    assert str(ours["method"]) == "CANCEL"
    [event] = ours.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert event["uid"] == entries([booked])[booked.id].uid
    assert event["sequence"] == 1
    assert theirs.vevent.status.value == "CANCELLED"  # type: ignore[attr-defined]


def test_one_moved_occurrence_is_an_override_of_the_series() -> None:
    booked = _series(dt.date(2026, 10, 12), 4)
    moved_to = _appointment(dt.date(2026, 10, 28), hour=15)
    third = booked[2].model_copy(update={"outcome_code": "RSSR", "rescheduled_to": moved_to.id})
    contacts = [booked[0], booked[1], third, booked[3], moved_to]
    data = calendar(contacts, lambda e: e.current.id == moved_to.id, privacy=PRIVACY, stamp=STAMP)
    ours, theirs = _both(data)
    master, override = ours.walk("VEVENT")
    assert master["uid"] == override["uid"]
    assert "rrule" in master
    # the original third date was Mon 26 Oct, the day after the clocks went back
    original = override.decoded("recurrence-id")
    assert original.replace(tzinfo=None) == dt.datetime(2026, 10, 26, 10)
    assert original.astimezone(UTC).hour == 10
    assert override["sequence"] == 1
    assert len(theirs.vevent_list) == 2  # type: ignore[attr-defined]
