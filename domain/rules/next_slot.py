"""The next free slot in a person's usual pattern, for "book next week's appointment".

The arrange form used to open a week after the person's last booking, so with next
week already booked it offered a date 12 days away, and it never looked at the
officer's diary. Officers see people on a rhythm (the same weekday and time, weekly,
fortnightly or four-weekly); the next slot is the first day in that rhythm after
today that the person has nothing booked near and that is not a bank holiday, at their
usual time or, when the officer is busy then, the nearest free time that day.
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
OFFICE_OPENS, OFFICE_CLOSES = dt.time(9, 0), dt.time(17, 0)  # where a moved time is looked for
STEP_MINUTES = 15


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


def next_free_slot(
    pattern: Pattern,
    *,
    today: dt.date,
    minutes: int,
    booked: Iterable[Contact],
    diary: Iterable[Contact],
) -> tuple[dt.date, dt.time]:
    """The first day in the pattern after today that the person has free (not a bank
    holiday), at the usual time or, when the officer is busy then, the nearest time that
    day they are free. The day never moves off the rhythm for the officer's diary: a
    fortnightly reporter moved on a slot goes four weeks unseen (the demo offered 15 Feb
    for a 1 Feb clash). In a full day the usual time is offered, and its warning says
    whose appointment is in the way."""
    taken = [c.date for c in booked]
    day = next(
        (
            day
            for day in _rhythm(pattern, today)
            if not bank_holiday_name(day)
            and not any(abs((day - other).days) < 4 * pattern.every_weeks for other in taken)
        ),
        None,
    ) or next(iter(_rhythm(pattern, today)))
    same_day = [c for c in diary if c.date == day]
    times = _times_near(pattern.start, minutes)
    for fits in (_no_warning, _no_overlap):
        start = next((t for t in times if fits(day, t, _end(t, minutes), same_day)), None)
        if start is not None:
            return day, start
    return day, pattern.start


def _end(start: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(dt.date.min, start) + dt.timedelta(minutes=minutes)).time()


def _times_near(usual: dt.time, minutes: int) -> list[dt.time]:
    """Start times in office hours (and the usual one), nearest the usual first."""
    base = dt.datetime.combine(dt.date.min, usual)
    first = min(dt.datetime.combine(dt.date.min, OFFICE_OPENS), base)
    last = max(
        dt.datetime.combine(dt.date.min, OFFICE_CLOSES), base + dt.timedelta(minutes=minutes)
    )
    count = int((last - first).total_seconds() // 60 - minutes) // STEP_MINUTES + 1
    starts = [first + dt.timedelta(minutes=STEP_MINUTES * n) for n in range(max(count, 0))]
    starts.sort(key=lambda t: (abs(t - base), t))
    return [usual, *(t.time() for t in starts if t != base)]


def _no_warning(day: dt.date, start: dt.time, end: dt.time, diary: list[Contact]) -> bool:
    return not clashes(day, start, end, diary)


def _no_overlap(day: dt.date, start: dt.time, end: dt.time, diary: list[Contact]) -> bool:
    """Clear of every appointment the clash rule counts, if not of its hour's gap."""
    return not any(
        clashes(day, start, end, [other])
        and other.start_time is not None
        and start < (other.end_time or other.start_time)
        and other.start_time < end
        for other in diary
    )


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
