"""Working days and local time for England and Wales.

Deadlines in enforcement (breach pack, AFTA evidence, some response periods) are
counted in working days: Monday to Friday, less the England & Wales bank
holidays. The bank holidays come from the `holidays` package because they move
(substitute days when Christmas falls at a weekend, one-off days such as a state
funeral) and a hand-kept table would drift.

Appointment times are wall-clock times in Europe/London. The real time between
two of them differs from the wall-clock difference on the two days a year the
clocks change, so elapsed time goes through a time zone (dateutil's, which ships
its own zone data and so works on Windows laptops without a tz database).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from dateutil import tz

LONDON = tz.gettz("Europe/London")
_SATURDAY = 5


@cache
def _bank_holidays(year: int) -> dict[dt.date, str]:
    """England & Wales bank holidays of one year (cached: the table never changes).

    `holidays` is imported here, on first use, because loading it costs about 70 ms
    that the app's cold start should not pay.
    """
    import holidays

    table = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: str(name) for day, name in table.items()}


def bank_holiday_name(day: dt.date) -> str | None:
    """The bank holiday's name (e.g. "Boxing Day (observed)"), or None on other days."""
    return _bank_holidays(day.year).get(day)


def is_bank_holiday(day: dt.date) -> bool:
    return bank_holiday_name(day) is not None


def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= _SATURDAY


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England & Wales bank holiday."""
    return not is_weekend(day) and not is_bank_holiday(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start` (before it when `n` is negative).

    `start` itself is never counted, so 1 working day after a Friday is the next
    Monday (or Tuesday after a bank holiday Monday). With `n == 0` the answer is
    `start` moved forward to a working day, if it is not one already.
    """
    step = 1 if n >= 0 else -1
    day = start
    if n == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`).

    This is the inverse of `add_working_days`: for any working day `b`,
    `add_working_days(a, working_days_between(a, b)) == b`.
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock date and time in Europe/London, time-zone aware."""
    return dt.datetime.combine(day, time, tzinfo=LONDON)


def elapsed_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Real minutes from `start` to `end`, whatever the clocks did in between.

    Naive datetimes are taken as Europe/London wall-clock times. On the last
    Sunday of October 00:30 to 02:30 is three hours; on the last Sunday of March
    it is one.
    """
    start_utc = _as_london(start).astimezone(dt.UTC)
    end_utc = _as_london(end).astimezone(dt.UTC)
    return int((end_utc - start_utc).total_seconds() // 60)


def time_exists(day: dt.date, time: dt.time) -> bool:
    """False for the wall-clock hour skipped when the clocks go forward (01:00-01:59 in March)."""
    exists: bool = tz.datetime_exists(dt.datetime.combine(day, time), tz=LONDON)
    return exists


def _as_london(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)
