"""The next free slot in a person's usual pattern (domain.rules.next_slot)."""

from __future__ import annotations

import datetime as dt
import uuid

from domain.contacts import Contact
from domain.rules.next_slot import next_free_day, usual_pattern

T = dt.time
TODAY = dt.date(2026, 11, 20)  # a Friday
TEN = T(10, 0)


def _at(day: dt.date, start: T = TEN, crn: str = "X100001") -> Contact:
    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=30)).time()
    return Contact(
        id=uuid.uuid4(), crn=crn, type_code="COAP", date=day, start_time=start, end_time=end
    )


def _tuesdays(n: int, start: T = TEN, every: int = 1) -> list[Contact]:
    last = dt.date(2026, 11, 17)  # a Tuesday
    return [_at(last - dt.timedelta(weeks=every * k), start) for k in reversed(range(n))]


def _next(history, booked=(), diary=()):
    pattern = usual_pattern(history)
    assert pattern is not None
    return next_free_day(pattern, today=TODAY, minutes=30, booked=booked, diary=diary)


def test_weekly_on_tuesdays_at_ten_is_next_tuesday_at_ten():
    pattern = usual_pattern(_tuesdays(4))
    assert pattern is not None
    assert (pattern.weekday, pattern.start, pattern.every_weeks) == (1, T(10, 0), 1)
    assert _next(_tuesdays(4)) == dt.date(2026, 11, 24)


def test_an_odd_one_out_does_not_move_the_pattern():
    history = [*_tuesdays(4), _at(dt.date(2026, 11, 19), T(15, 0))]  # one Thursday
    assert _next(history) == dt.date(2026, 11, 24)


def test_a_week_already_booked_is_skipped_not_added_to():
    booked = [_at(dt.date(2026, 11, 24))]
    assert _next(_tuesdays(4), booked=booked) == dt.date(2026, 12, 1)


def test_a_booking_rearranged_off_pattern_still_fills_its_week():
    booked = [_at(dt.date(2026, 11, 23))]  # Monday instead of Tuesday
    assert _next(_tuesdays(4), booked=booked) == dt.date(2026, 12, 1)


def test_the_officers_other_appointment_at_that_time_moves_it_on():
    diary = [_at(dt.date(2026, 11, 24), T(10, 15), crn="X200002")]
    assert _next(_tuesdays(4), diary=diary) == dt.date(2026, 12, 1)


def test_fortnightly_keeps_its_phase():
    history = _tuesdays(4, every=2)  # ... 3 Nov, 17 Nov
    assert usual_pattern(history).every_weeks == 2  # type: ignore[union-attr]
    assert _next(history) == dt.date(2026, 12, 1)


def test_a_bank_holiday_is_skipped():
    mondays = [_at(dt.date(2026, 12, 21) - dt.timedelta(weeks=k)) for k in (3, 2, 1, 0)]
    pattern = usual_pattern(mondays)
    assert pattern is not None
    day = next_free_day(pattern, today=dt.date(2026, 12, 22), minutes=30, booked=(), diary=())
    assert day == dt.date(2027, 1, 4)  # not Monday 28 December (a bank holiday)


def test_no_timed_appointments_means_no_pattern():
    assert usual_pattern([]) is None


def test_a_full_diary_never_pushes_the_slot_weeks_out():
    busy = [
        _at(dt.date(2026, 11, 24) + dt.timedelta(weeks=k), T(10, 0), "X200002") for k in range(8)
    ]
    assert _next(_tuesdays(4), diary=busy) == dt.date(2026, 11, 24)  # offered, with its warning
