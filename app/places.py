"""Offices in words: officers know "Bristol Probation Office", not N07A00O1.

The names come with the letter kit (`GET /v1/letters/kit`, the officer's team's
offices, kept in the cache's `office_location`); a code the kit does not name (another
team's office, or before the first kit arrived) is shown as the code rather than nothing.
"""

from __future__ import annotations

from collections.abc import Mapping


def place_words(code: str | None, names: Mapping[str, str]) -> str:
    """The office's name, or its code when this laptop does not know it; "" for none."""
    if not code:
        return ""
    return names.get(code) or names.get(code.upper()) or code
