"""The facts a letter is made from, and the merge values a template sees.

A letter is kept as its facts (typed: dates, times, names) plus the template id and
version, never as rendered text: the facts are small, travel encrypted inside the letter
contact's record, and re-render the identical letter in either language on a reprint.
Dates are formatted per language here, so a Welsh letter reads "Dydd Gwener 27
Tachwedd 2026" from the same fact as the English "Friday 27 November 2026".
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from domain.model import Entity

Language = Literal["en", "cy"]

LetterKind = Literal[
    "appointment", "warning_first", "warning_second", "breach", "licence_compliance"
]

# The enforcement action each enforcement letter records (and the letter it sends).
LETTER_FOR_ACTION: dict[str, LetterKind] = {
    "EA02": "warning_first",
    "EA03": "warning_second",
    "EA08": "breach",
    "LCL": "licence_compliance",
}

# The contact type the letter is logged as (nDelius codes, domain/refdata/SOURCES.md).
LETTER_CONTACT_TYPE: dict[LetterKind, str] = {
    "appointment": "CLOB",
    "warning_first": "AWLI",
    "warning_second": "AWL2",
    "breach": "CLBR",
    "licence_compliance": "LCL",
}

LETTER_WORDS: dict[LetterKind, str] = {
    "appointment": "Appointment letter",
    "warning_first": "First warning letter",
    "warning_second": "Second warning letter",
    "breach": "Breach letter",
    "licence_compliance": "Licence compliance letter",
}


class Meeting(Entity):
    """An appointment as a letter names it: what, when, where."""

    type_text: str = Field(max_length=200)
    date: dt.date
    start_time: dt.time
    end_time: dt.time | None = None
    place: str = Field(default="", max_length=200)
    place_address: str = Field(default="", max_length=300)


class LetterFacts(Entity):
    """Everything a letter states, gathered from the cache when it is produced."""

    person_name: str = Field(max_length=200)
    address_lines: tuple[str, ...] = Field(default=(), max_length=8)
    crn: str = Field(max_length=7)
    dated: dt.date
    officer_name: str = Field(max_length=200)
    office_name: str = Field(default="", max_length=200)
    office_address: str = Field(default="", max_length=300)
    office_phone: str = Field(default="", max_length=40)
    appointment: Meeting | None = None
    next_appointment: Meeting | None = None
    respond_by: dt.date | None = None
    licence: bool = False


_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_CY_DAYS = (
    "Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn",
    "Dydd Sul",
)  # fmt: skip
_CY_MONTHS = (
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
    "Medi", "Hydref", "Tachwedd", "Rhagfyr",
)  # fmt: skip


def long_date(day: dt.date, language: Language) -> str:
    """ "Friday 27 November 2026" / "Dydd Gwener 27 Tachwedd 2026" (no locale needed)."""
    days, months = (_CY_DAYS, _CY_MONTHS) if language == "cy" else (_EN_DAYS, _EN_MONTHS)
    return f"{days[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"


def clock(time: dt.time) -> str:
    """24-hour time ("14:30"): unambiguous in both languages."""
    return f"{time:%H:%M}"


def _meeting(prefix: str, meeting: Meeting | None, language: Language) -> dict[str, str]:
    if meeting is None:
        return dict.fromkeys(
            (f"{prefix}_{n}" for n in ("date", "time", "end_time", "type", "place", "address")),
            "",
        )
    return {
        f"{prefix}_date": long_date(meeting.date, language),
        f"{prefix}_time": clock(meeting.start_time),
        f"{prefix}_end_time": clock(meeting.end_time) if meeting.end_time else "",
        f"{prefix}_type": meeting.type_text,
        f"{prefix}_place": meeting.place,
        f"{prefix}_address": meeting.place_address,
    }


def merge_values(facts: LetterFacts, language: Language) -> dict[str, str]:
    """The value of every merge field for one language ("" where the fact is absent).

    `licence` and `order` are "yes" or "" so a template can keep a paragraph for one kind
    of sentence with `[if licence]`.
    """
    values = {
        "person_name": facts.person_name,
        "address": "\n".join(line for line in facts.address_lines if line.strip()),
        "crn": facts.crn,
        "letter_date": long_date(facts.dated, language),
        "officer_name": facts.officer_name,
        "office_name": facts.office_name,
        "office_address": facts.office_address,
        "office_phone": facts.office_phone,
        "respond_by": long_date(facts.respond_by, language) if facts.respond_by else "",
        "licence": "yes" if facts.licence else "",
        "order": "" if facts.licence else "yes",
    }
    values |= _meeting("appointment", facts.appointment, language)
    values |= _meeting("next", facts.next_appointment, language)
    return values


# The merge fields a template may use, with what each holds (listed in docs/letters.md).
MERGE_FIELDS: frozenset[str] = frozenset(
    merge_values(
        LetterFacts(person_name="", crn="X000000", dated=dt.date(2000, 1, 1), officer_name=""),
        "en",
    )
)
