"""Dates, times and ages in the words officers use ("2 minutes ago", "Mon 23 Nov 10:00").

Written out by hand rather than via the locale so screens read the same on every
laptop (English, UK order) and tests can assert them.
"""

from __future__ import annotations

import datetime as dt


def day(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else ""


def short_day(value: dt.date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


def clock(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def when(value: dt.datetime | None) -> str:
    """An appointment time: "Mon 23 Nov 10:00"."""
    if value is None:
        return "None booked"
    return f"{short_day(value.date())} {value:%H:%M}"


def ago(moment: dt.datetime | None, now: dt.datetime) -> str:
    """How long ago, in the largest whole unit: "just now", "2 minutes ago", "3 days ago"."""
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in ((86_400, "day"), (3_600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"  # pragma: no cover - the loop always returns


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
