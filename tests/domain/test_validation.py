"""What officers type is checked with messages that say what is wrong and what is right."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import ValidationError
from domain.validation import (
    validate_crn,
    validate_date_of_birth,
    validate_date_range,
    validate_email,
    validate_notes,
    validate_phone,
    validate_postcode,
    validate_staff_code,
    validate_team_code,
    validate_time_range,
)


@pytest.mark.parametrize(("raw", "clean"), [("X320741", "X320741"), (" x320741 ", "X320741")])
def test_crn_accepts_and_normalises(raw: str, clean: str) -> None:
    assert validate_crn(raw) == clean


@pytest.mark.parametrize("raw", ["X32074", "X3207411", "320741X", "XX20741", "", "X32O741"])
def test_crn_rejects_with_an_example(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_crn(raw)
    assert "one letter followed by six digits" in caught.value.message
    assert caught.value.field == "crn"


def test_team_and_staff_codes_have_exact_lengths() -> None:
    assert validate_team_code("n07t01") == "N07T01"
    assert validate_staff_code("N07A123") == "N07A123"
    with pytest.raises(ValidationError, match="exactly 6") as caught:
        validate_team_code("N07T0")
    assert "5 characters" in caught.value.message
    with pytest.raises(ValidationError, match="exactly 7"):
        validate_staff_code("N07A1234")
    with pytest.raises(ValidationError, match="other characters"):
        validate_team_code("N07-01")


def test_notes_up_to_the_limit_pass() -> None:
    assert validate_notes("a" * 12_000) == "a" * 12_000


def test_notes_over_the_limit_say_how_many_to_cut() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_notes("a" * 12_345)
    assert "345 characters too long" in caught.value.message
    with pytest.raises(ValidationError, match="1 character too long"):
        validate_notes("a" * 12_001)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("07700 900123", "07700900123"),
        ("(020) 7946 0958", "02079460958"),
        ("+44 7700 900123", "+447700900123"),
        ("0161-496-0000", "01614960000"),
    ],
)
def test_phone_numbers_accepted(raw: str, clean: str) -> None:
    assert validate_phone(raw) == clean


@pytest.mark.parametrize("raw", ["07700 90012", "7700900123", "0770090012345", "call me", "07+700"])
def test_phone_numbers_rejected(raw: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(raw)


@pytest.mark.parametrize("raw", ["sam.jones@example.com", " a@b.co.uk "])
def test_email_accepted(raw: str) -> None:
    assert validate_email(raw) == raw.strip()


@pytest.mark.parametrize("raw", ["sam.jones", "sam@", "sam@example", "a b@example.com", "a@@b.com"])
def test_email_rejected(raw: str) -> None:
    with pytest.raises(ValidationError, match=r"name@example\.com"):
        validate_email(raw)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A  0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_accepted_and_formatted(raw: str, clean: str) -> None:
    assert validate_postcode(raw) == clean


@pytest.mark.parametrize("raw", ["SW1A", "12345", "SW1A 1AAA", "M1 1AC", "QQ1 1AA1"])
def test_postcodes_rejected(raw: str) -> None:
    with pytest.raises(ValidationError, match="SW1A 1AA"):
        validate_postcode(raw)


def test_end_time_must_be_after_start() -> None:
    assert validate_time_range(dt.time(9), dt.time(9, 30)) == (dt.time(9), dt.time(9, 30))
    with pytest.raises(ValidationError, match=r"end time \(09:00\) must be after") as caught:
        validate_time_range(dt.time(9), dt.time(9))
    assert caught.value.field == "end_time"


def test_end_date_cannot_be_before_start() -> None:
    validate_date_range(dt.date(2026, 1, 1), None)
    validate_date_range(dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="cannot be before"):
        validate_date_range(dt.date(2026, 1, 2), dt.date(2026, 1, 1))


def test_date_of_birth_sanity() -> None:
    today = dt.date(2026, 11, 22)
    assert validate_date_of_birth(dt.date(2000, 2, 29), today=today) == dt.date(2000, 2, 29)
    with pytest.raises(ValidationError, match="in the past"):
        validate_date_of_birth(today, today=today)
    with pytest.raises(ValidationError, match="younger than 10"):
        validate_date_of_birth(dt.date(2020, 1, 1), today=today)
