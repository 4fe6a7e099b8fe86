"""Lenient dates and times as officers type them; nonsense is refused, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.parsing import parse_date, parse_time

T = dt.time
D = dt.date
TODAY = D(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", T(14, 30)),
        ("1430", T(14, 30)),
        ("14.30", T(14, 30)),
        ("930", T(9, 30)),
        ("09:05", T(9, 5)),
        ("2.30pm", T(14, 30)),
        ("2:30 PM", T(14, 30)),
        ("2pm", T(14, 0)),
        ("2 p.m.", T(14, 0)),
        ("11am", T(11, 0)),
        ("12pm", T(12, 0)),
        ("12am", T(0, 0)),
        ("12.15am", T(0, 15)),
        ("noon", T(12, 0)),
        ("0:00", T(0, 0)),
        ("23:59", T(23, 59)),
    ],
)
def test_parse_time(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "14:60", "13pm", "0am", "2", "half two", "14:3"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValidationError, match="14:30") as caught:
        parse_time(text, field="start_time")
    assert caught.value.field == "start_time"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/1/26", D(2026, 1, 1)),
        ("01/01/2026", D(2026, 1, 1)),
        ("3/4/26", D(2026, 4, 3)),  # day first: 3 April, never 4 March
        ("3.4.26", D(2026, 4, 3)),
        ("3-4-2026", D(2026, 4, 3)),
        ("2026-04-03", D(2026, 4, 3)),
        ("1 Jan 26", D(2026, 1, 1)),
        ("1st January 2026", D(2026, 1, 1)),
        ("29 Feb 28", D(2028, 2, 29)),  # leap year
        ("14 sept", D(2026, 9, 14)),  # no year: the nearest (here the one just gone)
        ("25/12", D(2026, 12, 25)),  # the field day: "25/12" is the coming 25 December
        ("25.12", D(2026, 12, 25)),
        ("1/1", D(2027, 1, 1)),
        ("29/2", D(2028, 2, 29)),
        ("today", TODAY),
        ("Tomorrow", D(2026, 11, 26)),
        ("yesterday", D(2026, 11, 24)),
        ("mon", D(2026, 11, 30)),
        ("Friday", D(2026, 11, 27)),
        ("wed", D(2026, 12, 2)),  # the same weekday means next week, not today
        ("+7", D(2026, 12, 2)),  # next week's appointment, typed in two keys
        ("+ 1", D(2026, 11, 26)),
        ("+2w", D(2026, 12, 9)),
        ("+14d", D(2026, 12, 9)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["29/2/26", "31/4/26", "0/1/26", "1/13/26"])
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    with pytest.raises(ValidationError, match="not a real date"):
        parse_date(text, today=TODAY)


@pytest.mark.parametrize(
    "text", ["", "next week", "31/4", "+", "+w", "-7", "32 Jan 26", "1 Smarch 26", "26/1/1/1"]
)
def test_parse_date_rejects_nonsense_with_examples(text: str) -> None:
    with pytest.raises(ValidationError, match="1/1/26"):
        parse_date(text, today=TODAY)


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_every_time_round_trips_through_the_ways_officers_type_it(time: dt.time) -> None:
    twelve = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    for text in (f"{time:%H:%M}", f"{time:%H%M}", f"{time:%H.%M}", f"{twelve}.{time:%M}{suffix}"):
        assert parse_time(text) == time, text


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_every_date_round_trips_day_first(day: dt.date) -> None:
    for text in (f"{day.day}/{day.month}/{day:%y}", f"{day:%d/%m/%Y}", f"{day.day} {day:%b %Y}"):
        assert parse_date(text, today=TODAY) == day, text
