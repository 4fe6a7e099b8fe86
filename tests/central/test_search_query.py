"""Reading national-search input: CRNs, lenient UK dates and name words."""

from __future__ import annotations

from datetime import date

import pytest

from central.search_query import parse_date, parse_query

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2/1985", date(1985, 2, 1)),
        ("01/02/85", date(1985, 2, 1)),
        ("1-2-1985", date(1985, 2, 1)),
        ("1.2.1985", date(1985, 2, 1)),
        ("1985-02-01", date(1985, 2, 1)),
        ("1 Feb 1985", date(1985, 2, 1)),
        ("1 February 1985", date(1985, 2, 1)),
        ("3/4/05", date(2005, 4, 3)),
        ("3/4/30", date(1930, 4, 3)),  # a two-digit year in the future means last century
    ],
)
def test_uk_dates(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["31/2/1985", "13/13/13", "smith", "1/2", ""])
def test_not_dates(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_query_splits_crn_date_and_names() -> None:
    terms = parse_query("x123456 Smith, John 1 Feb 1985", TODAY)
    assert terms.crn == "X123456"
    assert terms.date_of_birth == date(1985, 2, 1)
    assert terms.names == ("smith", "john")


def test_apostrophes_and_hyphens_stay_in_names() -> None:
    assert parse_query("O'Neill Smith-Jones", TODAY).names == ("o'neill", "smith-jones")


@pytest.mark.parametrize("text", ["", "  ", "!!", "%%", "12"])
def test_nothing_to_search_for(text: str) -> None:
    assert parse_query(text, TODAY).empty
