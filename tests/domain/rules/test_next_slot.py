"""The next free slot in a person's usual pattern (domain.rules.next_slot)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from domain.contacts import Contact
from domain.rules.next_slot import next_free_slot, usual_pattern

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


def _slot(history, booked=(), diary=(), today=TODAY, minutes=30):
    pattern = usual_pattern(history)
    assert pattern is not None
    return next_free_slot(pattern, today=today, minutes=minutes, booked=booked, diary=diary)


def _next(history, booked=(), diary=()):
    return _slot(history, booked, diary)[0]


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


def test_the_officers_other_appointment_at_that_time_moves_the_time_not_the_week():
    diary = [_at(dt.date(2026, 11, 24), T(10, 15), crn="X200002")]  # 10:15-10:45
    assert _slot(_tuesdays(4), diary=diary) == (dt.date(2026, 11, 24), T(11, 45))


def test_fortnightly_keeps_its_phase():
    history = _tuesdays(4, every=2)  # ... 3 Nov, 17 Nov
    assert usual_pattern(history).every_weeks == 2  # type: ignore[union-attr]
    assert _next(history) == dt.date(2026, 12, 1)


def test_a_bank_holiday_is_skipped():
    mondays = [_at(dt.date(2026, 12, 21) - dt.timedelta(weeks=k)) for k in (3, 2, 1, 0)]
    pattern = usual_pattern(mondays)
    assert pattern is not None
    day, _ = next_free_slot(pattern, today=dt.date(2026, 12, 22), minutes=30, booked=(), diary=())
    assert day == dt.date(2027, 1, 4)  # not Monday 28 December (a bank holiday)


def test_no_timed_appointments_means_no_pattern():
    assert usual_pattern([]) is None


def test_a_full_diary_never_pushes_the_slot_weeks_out():
    busy = [
        _at(dt.date(2026, 11, 24) + dt.timedelta(weeks=k), T(10, 0), "X200002") for k in range(8)
    ]
    assert _next(_tuesdays(4), diary=busy) == dt.date(2026, 11, 24)  # offered, with its warning


def _fridays_then_mondays() -> tuple[list[Contact], list[Contact]]:
    """The demo's Garry Adams on 7 December 2026: fortnightly Fridays to 27 November, then
    Mondays 21 December, 4 and 18 January booked (the last at 15:15-16:00)."""
    past = [_at(dt.date(2026, 10, 2) + dt.timedelta(weeks=2 * k)) for k in range(4)]
    ahead = [_at(dt.date(2026, 12, 21) + dt.timedelta(weeks=2 * k), T(15, 15)) for k in range(3)]
    return past + ahead, ahead


def _busy(day: dt.date, *slots: tuple[T, T]) -> list[Contact]:
    return [
        Contact(id=uuid.uuid4(), crn="X200002", type_code="COAP", date=day,
                start_time=start, end_time=end)
        for start, end in slots
    ]  # fmt: skip


GARRY, GARRY_AHEAD = _fridays_then_mondays()
FEB_1 = dt.date(2027, 2, 1)
# The officer's 1 February in the demo: seven appointments, one over 15:15.
FEB_1_DIARY = _busy(
    FEB_1,
    (T(9, 15), T(9, 45)), (T(9, 45), T(10, 30)), (T(12, 0), T(12, 45)), (T(13, 15), T(14, 0)),
    (T(14, 15), T(15, 0)), (T(14, 15), T(15, 15)), (T(15, 0), T(16, 0)),
)  # fmt: skip
TUE = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("history", "booked", "diary", "today", "minutes", "expected"),
    [
        # weekly Tuesdays at 10:00, nothing booked: next Tuesday at 10:00
        (_tuesdays(4), (), (), TODAY, 30, (TUE, T(10, 0))),
        # next Tuesday already booked: the Tuesday after
        (_tuesdays(4), [_at(TUE)], (), TODAY, 30, (dt.date(2026, 12, 1), T(10, 0))),
        # fortnightly, last seen 17 November: 1 December, its phase kept
        (_tuesdays(4, every=2), (), (), TODAY, 30, (dt.date(2026, 12, 1), T(10, 0))),
        # four-weekly, last seen 17 November: 15 December
        (_tuesdays(4, every=4), (), (), TODAY, 30, (dt.date(2026, 12, 15), T(10, 0))),
        # the officer is out 9:00-11:00 that Tuesday: same Tuesday, an hour clear after
        (_tuesdays(4), (), _busy(TUE, (T(9, 0), T(11, 0))), TODAY, 30, (TUE, T(12, 0))),
        # a clash only an hour's gap would avoid nowhere that day: the nearest time clear
        # of the other appointment, same day (its warning shown), not a week later
        (
            _tuesdays(4),
            (),
            _busy(TUE, *((T(h, 0), T(h, 30)) for h in range(9, 17))),
            TODAY,
            30,
            (TUE, T(9, 30)),  # equally near: the earlier
        ),
        # the demo: three fortnightly Mondays booked to 18 January, the officer busy at
        # 15:00-16:00 on 1 February: 1 February at 16:00, not 15 February at 15:15
        (GARRY, GARRY_AHEAD, FEB_1_DIARY, dt.date(2026, 12, 7), 45, (FEB_1, T(16, 0))),
        # ... and with the officer free then, 1 February at the usual 15:15
        (GARRY, GARRY_AHEAD, (), dt.date(2026, 12, 7), 45, (FEB_1, T(15, 15))),
    ],
)
def test_the_default_slot_for_a_booking_history(history, booked, diary, today, minutes, expected):
    assert _slot(history, booked, diary, today, minutes) == expected
