"""The next free slot in a person's usual pattern, for "book next week's appointment".

The arrange form used to open a week after the person's last booking, so with next
week already booked it offered a date 12 days away, and it never looked at the
officer's diary. Officers see people on a rhythm (the same weekday and time, weekly,
fortnightly or four-weekly); the next slot is the first day in that rhythm after
today that the person has nothing booked near, that is not a bank holiday, and that
does not clash with the officer's other appointments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from domain.calendar import bank_holiday_name
from domain.contacts import Contact
from domain.rules.appointments import clashes

T = TypeVar("T")
RECENT = 6  # the last appointments that make the pattern
LOOK_AHEAD_WEEKS = 12
CLASH_STEPS = 2  # slots tried past the officer's own clashes


@dataclass(frozen=True, slots=True)
class Pattern:
    weekday: int  # Monday = 0
    start: dt.time
    every_weeks: int  # 1, 2 or 4
    last: dt.date  # the latest appointment on the pattern's weekday (the rhythm's phase)


def usual_pattern(appointments: Sequence[Contact]) -> Pattern | None:
    """The commonest weekday and time of the recent appointments (ties: the latest)."""
    timed = [c for c in appointments if c.start_time is not None][-RECENT:]
    if not timed:
        return None
    weekday = _commonest([c.date.weekday() for c in timed])
    on_day = [c for c in timed if c.date.weekday() == weekday]
    start = _commonest([c.start_time for c in on_day if c.start_time is not None])
    gaps = [(b.date - a.date).days // 7 for a, b in pairwise(on_day)]
    usual_gap = _commonest([g for g in gaps if g in (1, 2, 4)]) if gaps else 1
    return Pattern(weekday, start, usual_gap or 1, on_day[-1].date)


def _commonest(values: list[T]) -> T:
    """The most frequent value; among equals, the one seen last."""
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in reversed(values) if counts[v] == best)


def next_free_day(
    pattern: Pattern,
    *,
    today: dt.date,
    minutes: int,
    booked: Iterable[Contact],
    diary: Iterable[Contact],
) -> dt.date:
    """The first day in the pattern after today that the person has free (not a bank
    holiday), moved on one slot if the officer is busy then. A busy diary never pushes it
    further: in a full week the first open slot is offered, and its clash warning says
    whose appointment is in the way (40 cases' Mondays once pushed it two months out)."""
    taken = [c.date for c in booked]
    officer = list(diary)
    end = (dt.datetime.combine(today, pattern.start) + dt.timedelta(minutes=minutes)).time()
    open_days = [
        day
        for day in _rhythm(pattern, today)
        if not bank_holiday_name(day)
        and not any(abs((day - other).days) < 4 * pattern.every_weeks for other in taken)
    ]
    if not open_days:
        return next(iter(_rhythm(pattern, today)))
    for day in open_days[:CLASH_STEPS]:
        if not clashes(day, pattern.start, end, officer):
            return day
    return open_days[0]


def _rhythm(pattern: Pattern, today: dt.date) -> Iterable[dt.date]:
    step = dt.timedelta(weeks=pattern.every_weeks)
    day = pattern.last
    while day <= today:
        day += step
    if pattern.every_weeks == 1:  # weekly: simply the next such weekday
        day = today + dt.timedelta(days=(pattern.weekday - today.weekday() - 1) % 7 + 1)
    for _ in range(LOOK_AHEAD_WEEKS // pattern.every_weeks + 1):
        yield day
        day += step
