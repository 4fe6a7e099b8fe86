"""Checks on what officers type, each failing with a plain-English `ValidationError`.

Every check returns the cleaned value (trimmed, upper-cased where the national
system's codes are upper case) so that a form can store exactly what passed.
The message says what is wrong and what a right value looks like; `field`
names the form field so the screen can show the message next to it.
"""

from __future__ import annotations

import datetime as dt
import re

from domain.errors import ValidationError

NOTES_MAX = 12_000

_CRN = re.compile(r"[A-Z][0-9]{6}")
_TEAM = re.compile(r"[A-Z0-9]{6}")
_STAFF = re.compile(r"[A-Z0-9]{7}")
# UK postcodes: outward code (area, district) + inward code (sector, unit); GIR 0AA is the
# one historic exception still in use.
_POSTCODE = re.compile(r"(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE_CHARS = re.compile(r"[\d\s()+\-]+")


def validate_crn(value: str, *, field: str = "crn") -> str:
    """A case reference number: one capital letter and six digits, e.g. X320741."""
    crn = value.strip().upper()
    if not _CRN.fullmatch(crn):
        raise ValidationError(
            f"'{value.strip()}' is not a CRN. A CRN is one letter followed by six digits, "
            "for example X320741.",
            field=field,
        )
    return crn


def validate_team_code(value: str, *, field: str = "team_code") -> str:
    """A team code: exactly six letters or digits, e.g. N07T01."""
    return _code(value, _TEAM, 6, what="team code", eg="N07T01", field=field)


def validate_staff_code(value: str, *, field: str = "staff_code") -> str:
    """An officer (staff) code: exactly seven letters or digits, e.g. N07A123."""
    return _code(value, _STAFF, 7, what="staff code", eg="N07A123", field=field)


def _code(
    value: str, pattern: re.Pattern[str], size: int, *, what: str, eg: str, field: str
) -> str:
    code = value.strip().upper()
    if not pattern.fullmatch(code):
        got = f"{len(code)} characters" if len(code) != size else "other characters"
        raise ValidationError(
            f"A {what} is exactly {size} letters or numbers, for example {eg} "
            f"(this one has {got}).",
            field=field,
        )
    return code


def validate_notes(value: str, *, field: str = "notes", limit: int = NOTES_MAX) -> str:
    """Notes of at most 12,000 characters; the message says how many to cut."""
    if len(value) > limit:
        over = len(value) - limit
        raise ValidationError(
            f"Notes can be up to {limit:,} characters. These are {over:,} "
            f"character{'s' if over != 1 else ''} too long.",
            field=field,
        )
    return value


def validate_phone(value: str, *, field: str = "phone") -> str:
    """A UK or international phone number; spaces, brackets and dashes are allowed.

    Returns the digits with a leading + kept (07700 900123 -> 07700900123).
    """
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    plus = text.startswith("+")
    if not _PHONE_CHARS.fullmatch(text) or "+" in text[1:]:
        raise ValidationError(
            "A phone number can only hold digits, spaces, brackets, dashes and a leading +.",
            field=field,
        )
    # Mobiles (07...) have 11 digits; a few landlines have 10.
    uk_lengths = (11,) if digits.startswith("07") else (10, 11)
    uk_ok = not plus and digits.startswith("0") and len(digits) in uk_lengths
    intl_ok = plus and 8 <= len(digits) <= 15
    if not (uk_ok or intl_ok):
        raise ValidationError(
            "Enter a UK phone number starting with 0 and 10 or 11 digits long (e.g. "
            "07700 900123), or an international number starting with +.",
            field=field,
        )
    return ("+" if plus else "") + digits


def validate_email(value: str, *, field: str = "email") -> str:
    """An email address: something@domain.tld, no spaces."""
    email = value.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise ValidationError(
            "Enter an email address like name@example.com.",
            field=field,
        )
    return email


def validate_postcode(value: str, *, field: str = "postcode") -> str:
    """A UK postcode, returned in the usual form with one space (sw1a1aa -> SW1A 1AA)."""
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.fullmatch(compact):
        raise ValidationError(
            f"'{value.strip()}' is not a UK postcode. Enter one like SW1A 1AA.",
            field=field,
        )
    return f"{compact[:-3]} {compact[-3:]}"


def validate_time_range(
    start: dt.time, end: dt.time, *, field: str = "end_time"
) -> tuple[dt.time, dt.time]:
    """An appointment's end must come after its start (same day)."""
    if end <= start:
        raise ValidationError(
            f"The end time ({end:%H:%M}) must be after the start time ({start:%H:%M}).",
            field=field,
        )
    return start, end


def validate_date_range(
    start: dt.date, end: dt.date | None, *, field: str = "end_date"
) -> tuple[dt.date, dt.date | None]:
    """An end date (when there is one) cannot be before the start date."""
    if end is not None and end < start:
        raise ValidationError(
            f"The end date ({end:%d/%m/%Y}) cannot be before the start date ({start:%d/%m/%Y}).",
            field=field,
        )
    return start, end


def validate_date_of_birth(
    value: dt.date, *, today: dt.date, field: str = "date_of_birth"
) -> dt.date:
    """A date of birth in the past and plausible for someone on probation (10 to 120)."""
    if value >= today:
        raise ValidationError("A date of birth must be in the past.", field=field)
    if value.year < today.year - 120 or value.year > today.year - 10:
        raise ValidationError(
            "Check the date of birth: the person would be younger than 10 or older than 120.",
            field=field,
        )
    return value
