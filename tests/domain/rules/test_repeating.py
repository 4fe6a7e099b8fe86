"""The dates of a repeating appointment: shown first, bounded, and exact across calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import ValidationError
from domain.rules.repeating import MAX_OCCURRENCES, occurrence_dates

D = dt.date


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("daily", [D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 1)]),
        ("weekly", [D(2026, 2, 27), D(2026, 3, 6), D(2026, 3, 13)]),
        ("fortnightly", [D(2026, 2, 27), D(2026, 3, 13), D(2026, 3, 27)]),
        ("four_weekly", [D(2026, 2, 27), D(2026, 3, 27), D(2026, 4, 24)]),
    ],
)
def test_n_times(frequency: str, expected: list[dt.date]) -> None:
    assert occurrence_dates(D(2026, 2, 27), frequency, count=3) == expected  # type: ignore[arg-type]


def test_daily_over_a_leap_day() -> None:
    assert occurrence_dates(D(2028, 2, 28), "daily", count=3) == [
        D(2028, 2, 28),
        D(2028, 2, 29),
        D(2028, 3, 1),
    ]


def test_weekly_stays_on_the_weekday_across_the_clock_change() -> None:
    dates = occurrence_dates(D(2026, 3, 23), "weekly", count=3)  # clocks change on 29 March
    assert [d.weekday() for d in dates] == [0, 0, 0]


def test_until_is_inclusive() -> None:
    assert occurrence_dates(D(2026, 1, 5), "weekly", until=D(2026, 1, 19)) == [
        D(2026, 1, 5),
        D(2026, 1, 12),
        D(2026, 1, 19),
    ]
    assert occurrence_dates(D(2026, 1, 5), "weekly", until=D(2026, 1, 18)) == [
        D(2026, 1, 5),
        D(2026, 1, 12),
    ]


def test_until_the_first_day_is_one_appointment() -> None:
    assert occurrence_dates(D(2026, 1, 5), "fortnightly", until=D(2026, 1, 5)) == [D(2026, 1, 5)]


def test_count_and_until_stop_at_whichever_comes_first() -> None:
    start = D(2026, 1, 5)
    assert len(occurrence_dates(start, "weekly", count=10, until=D(2026, 1, 19))) == 3
    assert len(occurrence_dates(start, "weekly", count=2, until=D(2026, 12, 31))) == 2


def test_bounds() -> None:
    assert len(occurrence_dates(D(2026, 1, 5), "weekly", count=MAX_OCCURRENCES)) == 104
    with pytest.raises(ValidationError, match="1 to 104 times"):
        occurrence_dates(D(2026, 1, 5), "weekly", count=105)
    with pytest.raises(ValidationError, match="1 to 104 times"):
        occurrence_dates(D(2026, 1, 5), "weekly", count=0)
    with pytest.raises(ValidationError, match="at most 104"):
        occurrence_dates(D(2026, 1, 5), "daily", until=D(2027, 1, 5))
    with pytest.raises(ValidationError, match="how many times"):
        occurrence_dates(D(2026, 1, 5), "weekly")
    with pytest.raises(ValidationError, match="before the first appointment"):
        occurrence_dates(D(2026, 1, 5), "weekly", until=D(2026, 1, 4))
    with pytest.raises(ValidationError, match="Unknown frequency"):
        occurrence_dates(D(2026, 1, 5), "monthly", count=2)  # type: ignore[arg-type]
