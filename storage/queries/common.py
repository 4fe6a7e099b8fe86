"""Small helpers the queries share: reference lookups and row decoding."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from domain.contacts import Contact
from domain.reference import reference
from domain.registrations import Registration
from domain.sentences import Event


@cache
def longest_window_months() -> int:
    """No sentence type counts compliance over a longer window than this."""
    windows = [t.ftc_window_months for t in reference().sentence_types.values()]
    return max([12, *windows])


def earliest_counted(today: dt.date) -> dt.date:
    """Contacts before this day count towards no compliance figure (only requirement
    progress reads older ones, and those are linked to their requirement)."""
    months = longest_window_months()
    year, month = divmod(today.month - 1 - months, 12)
    return dt.date(today.year + year, month + 1, 1)


@cache
def appointment_types() -> tuple[str, ...]:
    """Contact types that are appointments (attendance is recorded against them)."""
    return tuple(sorted(c.code for c in reference().contact_types.values() if c.attendance))


def placeholders(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("?" * len(values))


def type_text(code: str) -> str:
    found = reference().contact_types.get(code)
    return found.description if found else code


def outcome_text(code: str | None) -> str:
    if code is None:
        return ""
    found = reference().outcomes.get(code)
    return found.plain_words if found else code


def national_standards(code: str) -> bool:
    found = reference().contact_types.get(code)
    return bool(found and found.national_standards)


def sentence_text(event: Event | None) -> str:
    if event is None or event.sentence is None:
        return ""
    found = reference().sentence_types.get(event.sentence.type_code)
    return found.description if found else event.sentence.type_code


def contacts(rows: list[dict[str, Any]]) -> list[Contact]:
    return [Contact.model_validate_json(r["data"]) for r in rows]


def events(rows: list[dict[str, Any]]) -> list[Event]:
    return [Event.model_validate_json(r["data"]) for r in rows]


def registrations(rows: list[dict[str, Any]]) -> list[Registration]:
    return [Registration.model_validate_json(r["data"]) for r in rows]


def date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def time_or_none(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def loads(text: str) -> Any:
    return json.loads(text)
