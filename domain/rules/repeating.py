"""The dates of a repeating appointment, shown to the officer before anything is booked.

Every frequency is a fixed number of days, so the series is plain date
arithmetic: a weekly Monday stays a Monday across a clock change or a leap
day. A series is bounded (at most `MAX_OCCURRENCES`) so that a mistyped end
date cannot book years of appointments.
"""

from __future__ import annotations

import datetime as dt

from domain.errors import ValidationError
from domain.mutations import RepeatFrequency

MAX_OCCURRENCES = 104

STEP_DAYS: dict[RepeatFrequency, int] = {
    "daily": 1,
    "weekly": 7,
    "fortnightly": 14,
    "four_weekly": 28,
}


def occurrence_dates(
    start: dt.date,
    frequency: RepeatFrequency,
    *,
    count: int | None = None,
    until: dt.date | None = None,
) -> list[dt.date]:
    """`start` and the dates after it, `count` times or up to `until` (inclusive).

    With both, the series stops at whichever comes first.
    """
    step = STEP_DAYS.get(frequency)
    if step is None:
        raise ValidationError(f"Unknown frequency '{frequency}'.", field="frequency")
    _check_bounds(start, count, until)
    limit = count if count is not None else MAX_OCCURRENCES + 1
    dates: list[dt.date] = []
    day = start
    while len(dates) < limit and (until is None or day <= until):
        dates.append(day)
        day += dt.timedelta(days=step)
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            f"A series can have at most {MAX_OCCURRENCES} appointments. "
            "Choose an earlier end date.",
            field="until",
        )
    return dates


def _check_bounds(start: dt.date, count: int | None, until: dt.date | None) -> None:
    if count is None and until is None:
        raise ValidationError(
            "Say how many times the appointment repeats, or until when.", field="count"
        )
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise ValidationError(
            f"An appointment can repeat 1 to {MAX_OCCURRENCES} times.", field="count"
        )
    if until is not None and until < start:
        raise ValidationError(
            f"The end date ({until:%d/%m/%Y}) is before the first appointment ({start:%d/%m/%Y}).",
            field="until",
        )
