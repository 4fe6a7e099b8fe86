"""Lenient dates and times, typed the way officers type them.

Officers asked to type `14:30`, `2.30pm` or `1430` for a time and `1/1/26`,
`25/12` (the nearest 25 December), `1 Jan 26`, `tomorrow`, `mon` or `+7` (days from
today; `+2w` weeks) for a date rather than pick from widgets. Dates
are UK day-first; a two-digit year means 20xx. Anything not understood raises a
`ValidationError` that shows the forms that work, never a guess: a wrong date
on an appointment costs more than retyping it.

Written with the standard library on purpose: dateutil's parser guesses (it
fills missing parts from today and reads "1/2" as either way round), which is
exactly what a deadline must not do.
"""

from __future__ import annotations

import datetime as dt
import re

from domain.errors import ValidationError

_TIME_HELP = "Enter a time like 14:30, 1430, 2.30pm or 2pm."
_DATE_HELP = "Enter a date like 1/1/26, 01/01/2026, 25/12, 1 Jan 26, today, tomorrow, mon or +7."

_TIME_24 = re.compile(r"(\d{1,2})[:.](\d{2})|(\d{1,2})(\d{2})")
_TIME_12 = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m?\.?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})[/.\-](\d{1,2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OFFSET_DATE = re.compile(r"\+\s*(\d{1,3})\s*(d|w)?")
_TEXT_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s*(\d{2}|\d{4})?")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_RELATIVE = {"today": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}


def parse_time(text: str, *, field: str = "time") -> dt.time:
    """`14:30`, `14.30`, `1430`, `930`, `2.30pm`, `2pm`, `noon` -> a time of day."""
    value = text.strip().lower()
    if value in ("noon", "midday"):
        return dt.time(12, 0)
    if match := _TIME_12.fullmatch(value):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12:
            raise ValidationError(f"'{text.strip()}' is not a time. {_TIME_HELP}", field=field)
        hour = hour % 12 + (12 if match[3] == "p" else 0)
        return _time(hour, minute, text, field)
    if match := _TIME_24.fullmatch(value):
        hour = int(match[1] or match[3])
        minute = int(match[2] or match[4])
        return _time(hour, minute, text, field)
    raise ValidationError(f"'{text.strip()}' is not a time. {_TIME_HELP}", field=field)


def _time(hour: int, minute: int, text: str, field: str) -> dt.time:
    if hour > 23 or minute > 59:
        raise ValidationError(f"'{text.strip()}' is not a time. {_TIME_HELP}", field=field)
    return dt.time(hour, minute)


def parse_date(text: str, *, today: dt.date, field: str = "date") -> dt.date:
    """A UK day-first date, a relative word, `+N` days (`+Nw` weeks), or a weekday name.

    A weekday name means the next such day after today ("mon" on a Monday is
    next Monday), because officers type it when booking the next appointment.
    """
    value = " ".join(text.strip().lower().split())
    relative = _relative(value, today)
    if relative is not None:
        return relative
    if match := _NUMERIC_DATE.fullmatch(value):
        return _date(_year(match[3]), int(match[2]), int(match[1]), text, field)
    if match := _DAY_MONTH.fullmatch(value):
        return _next_day_month(int(match[2]), int(match[1]), today, text, field)
    if match := _ISO_DATE.fullmatch(value):
        return _date(int(match[1]), int(match[2]), int(match[3]), text, field)
    if (match := _TEXT_DATE.fullmatch(value)) and match[2] in _MONTHS:
        if not match[3]:
            return _next_day_month(_MONTHS[match[2]], int(match[1]), today, text, field)
        return _date(_year(match[3]), _MONTHS[match[2]], int(match[1]), text, field)
    raise ValidationError(f"'{text.strip()}' is not a date. {_DATE_HELP}", field=field)


def _relative(value: str, today: dt.date) -> dt.date | None:
    """`today`, `tomorrow`, `+7`, `+2w` or a weekday name; None for anything else."""
    if value in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[value])
    if match := _OFFSET_DATE.fullmatch(value):
        days = int(match[1]) * (7 if match[2] == "w" else 1)
        return today + dt.timedelta(days=days)
    if value in _WEEKDAYS:
        ahead = (_WEEKDAYS[value] - today.weekday() - 1) % 7 + 1
        return today + dt.timedelta(days=ahead)
    return None


def _next_day_month(month: int, day: int, today: dt.date, text: str, field: str) -> dt.date:
    """A day and month without a year: the nearest such date, the coming one when it is
    no further ahead than the last one is behind ("25/12" typed on 7 December is
    this 25 December, typed on 3 January the one just gone). 29/2: the nearest leap year."""
    found = [d for year in range(today.year - 4, today.year + 5) if (d := _real(year, month, day))]
    if not found:
        return _date(today.year, month, day, text, field)  # not a real date: say so
    return min(found, key=lambda d: (abs((d - today).days), d < today))


def _real(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(digits: str) -> int:
    """Two-digit years are in the 2000s (`26` -> 2026)."""
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _date(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"'{text.strip()}' is not a real date (check the day and month). {_DATE_HELP}",
            field=field,
        ) from None
