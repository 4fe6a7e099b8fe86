"""Reading what an officer types into national search: names, a CRN, a date of birth.

Dates come in any UK way of writing them (`1/2/85`, `01-02-1985`, `1.2.1985`,
`1 Feb 1985`, `1985-02-01`); a two-digit year is the most recent past one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

CRN_PATTERN = re.compile(r"^[A-Za-z][0-9]{6}$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDY_FORMATS = ("%d %b %Y", "%d %B %Y", "%d %b %y", "%d %B %y")
_WORD = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchTerms:
    crn: str | None = None
    date_of_birth: date | None = None
    names: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.crn is None and self.date_of_birth is None and not self.names


def _full_year(year: int, today: date) -> int:
    if year >= 100:
        return year
    century = today.year - today.year % 100
    return century + year if century + year <= today.year else century - 100 + year


def parse_date(text: str, today: date) -> date | None:
    """A date of birth written any common UK way, or None."""
    text = text.strip()
    try:
        if match := _ISO_DATE.match(text):
            y, m, d = (int(g) for g in match.groups())
            return date(y, m, d)
        if match := _NUMERIC_DATE.match(text):
            d, m, y = (int(g) for g in match.groups())
            return date(_full_year(y, today), m, d)
    except ValueError:
        return None
    for fmt in _WORDY_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed.replace(year=_full_year(int(text.split()[-1]), today))
    return None


def _wordy_date(tokens: list[str], today: date) -> tuple[date | None, list[str]]:
    """Find `1 Feb 1985` spread over three tokens; return it and the remaining tokens."""
    for i in range(len(tokens) - 2):
        found = parse_date(" ".join(tokens[i : i + 3]), today)
        if found is not None:
            return found, tokens[:i] + tokens[i + 3 :]
    return None, tokens


def parse_query(q: str, today: date) -> SearchTerms:
    """Split a free-text query into a CRN, a date of birth and name words."""
    tokens = q.replace(",", " ").split()
    crn: str | None = None
    names: list[str] = []
    dob, tokens = _wordy_date(tokens, today)
    for token in tokens:
        if CRN_PATTERN.match(token):
            crn = token.upper()
        elif dob is None and (parsed := parse_date(token, today)) is not None:
            dob = parsed
        else:
            names.extend(w.lower() for w in _WORD.findall(token))
    return SearchTerms(crn=crn, date_of_birth=dob, names=tuple(names[:4]))
