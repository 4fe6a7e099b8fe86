"""Working days and local time in England and Wales, including the days that go wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import (
    add_working_days,
    bank_holiday_name,
    elapsed_minutes,
    is_bank_holiday,
    is_working_day,
    local_datetime,
    time_exists,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day (observed)"),  # Boxing Day 2026 is a Saturday
        (D(2027, 12, 27), "Christmas Day (observed)"),  # both fall at the weekend
        (D(2027, 12, 28), "Boxing Day (observed)"),
        (D(2022, 1, 3), "New Year's Day (observed)"),
        (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),  # a one-off bank holiday
    ],
)
def test_bank_holidays_include_substitute_and_one_off_days(day: dt.date, name: str) -> None:
    assert bank_holiday_name(day) == name
    assert is_bank_holiday(day)
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 3, 17),  # St Patrick's Day: a holiday in Northern Ireland only
        D(2026, 11, 30),  # St Andrew's Day: Scotland only
        D(2026, 1, 2),  # 2 January: Scotland only
        D(2026, 7, 13),  # Battle of the Boyne (observed): Northern Ireland only
    ],
)
def test_other_nations_holidays_are_working_days_here(day: dt.date) -> None:
    assert not is_bank_holiday(day)
    assert is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(D(2026, 11, 21))  # Saturday
    assert not is_working_day(D(2026, 11, 22))  # Sunday
    assert is_working_day(D(2026, 11, 23))  # Monday


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 -> Monday
        (D(2026, 11, 21), 1, D(2026, 11, 23)),  # from a Saturday
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Maundy Thursday: Good Friday and Easter Monday skipped
        (D(2026, 12, 23), 5, D(2027, 1, 4)),  # Christmas, Boxing (observed), New Year skipped
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        (D(2028, 2, 25), 3, D(2028, 3, 1)),  # through 29 February of a leap year
        (D(2026, 11, 23), 10, D(2026, 12, 7)),
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
        (D(2026, 11, 22), 0, D(2026, 11, 23)),  # 0 moves a Sunday to the next working day
        (D(2026, 11, 23), -1, D(2026, 11, 20)),  # backwards over a weekend
        (D(2026, 4, 7), -1, D(2026, 4, 2)),  # backwards over Easter
    ],
)
def test_add_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 11, 20), D(2026, 11, 23), 1),
        (D(2026, 11, 23), D(2026, 11, 23), 0),
        (D(2026, 12, 24), D(2027, 1, 4), 4),  # 29, 30, 31 December and 4 January
        (D(2026, 11, 23), D(2026, 11, 20), -1),
    ],
)
def test_working_days_between(a: dt.date, b: dt.date, expected: int) -> None:
    assert working_days_between(a, b) == expected


@pytest.mark.parametrize("n", [1, 2, 5, 10, 23])
def test_working_days_between_inverts_add_working_days(n: int) -> None:
    start = D(2026, 12, 18)
    assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.parametrize(
    ("day", "minutes"),
    [
        (D(2026, 10, 25), 180),  # clocks go back: 00:30-02:30 lasts three hours
        (D(2026, 3, 29), 60),  # clocks go forward: it lasts one
        (D(2026, 6, 1), 120),
    ],
)
def test_elapsed_minutes_counts_real_time_across_clock_changes(day: dt.date, minutes: int) -> None:
    start = dt.datetime.combine(day, dt.time(0, 30))
    end = dt.datetime.combine(day, dt.time(2, 30))
    assert elapsed_minutes(start, end) == minutes


def test_local_datetime_is_bst_in_summer_and_gmt_in_winter() -> None:
    assert local_datetime(D(2026, 7, 1), dt.time(9)).utcoffset() == dt.timedelta(hours=1)
    assert local_datetime(D(2026, 12, 1), dt.time(9)).utcoffset() == dt.timedelta(0)


def test_the_skipped_hour_does_not_exist() -> None:
    assert not time_exists(D(2026, 3, 29), dt.time(1, 30))
    assert time_exists(D(2026, 3, 29), dt.time(2, 30))
    assert time_exists(D(2026, 10, 25), dt.time(1, 30))  # happens twice, but exists


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_add_working_days_lands_on_a_working_day_n_working_days_on(start: dt.date, n: int) -> None:
    due = add_working_days(start, n)
    assert due > start
    assert is_working_day(due)
    assert working_days_between(start, due) == n
    back = add_working_days(due, -n)
    assert back == start if is_working_day(start) else back < start
