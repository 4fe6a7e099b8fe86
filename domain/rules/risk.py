"""Risk flags (registrations) ordered for display, each with words as well as a colour.

Risk to staff comes first because practitioners asked to see it before anything
else when they open a case or set off on a home visit; then the RoSH level,
then MAPPA with its level and category, then every other flag by severity.
Every badge carries its text and its colour: colour alone is lost on a
monochrome printout and on colour-blind officers. A flag whose type this build
does not know is still shown (by its code): a risk flag is never hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from dateutil.relativedelta import relativedelta

from domain.reference import RegisterType
from domain.registrations import Registration
from domain.rules import _lookup

_GROUP_ORDER = {"staff": 0, "rosh": 1, "mappa": 2}
_COLOUR_RANK = {"red": 3, "amber": 2, "green": 1, "white": 0}


def most_severe_colour(colours: Iterable[str]) -> str:
    """The colour of a cell that shows several flags: the most severe of theirs ("Low
    RoSH · MAPPA level 3" is red, as MAPPA's own flag is, not green as Low RoSH is)."""
    return max(colours, key=lambda colour: _COLOUR_RANK.get(colour, 0), default="white")


@dataclass(frozen=True, slots=True)
class RiskBadge:
    registration_id: UUID
    code: str
    text: str
    colour: str
    group: str
    severity: int
    review_overdue: bool = False

    @property
    def label(self) -> str:
        """Text for screen readers and printouts: the words, the colour, any overdue review."""
        overdue = ", review overdue" if self.review_overdue else ""
        return f"{self.text} ({self.colour}{overdue})"


def _active(registrations: Iterable[Registration]) -> list[Registration]:
    return [r for r in registrations if r.active]


def review_due_date(registration: Registration) -> dt.date | None:
    """When the registration is next due for review.

    The date set on the registration wins; otherwise the register type's review
    period counted from the last review (or from registration). Month arithmetic
    keeps the day where it can: 31 August + 6 months is 28 (or 29) February.
    """
    if not registration.active:
        return None
    if registration.next_review_date is not None:
        return registration.next_review_date
    rtype = _lookup.register_type_or_none(registration.type_code)
    if rtype is None or rtype.review_period_months is None:
        return None
    since = registration.last_reviewed_on or registration.registered_on
    due: dt.date = since + relativedelta(months=rtype.review_period_months)
    return due


def highest_risk(registrations: Iterable[Registration]) -> RegisterType | None:
    """The highest active risk of serious harm (RoSH) level, or None when none is registered."""
    rosh = [
        rtype
        for r in _active(registrations)
        if (rtype := _lookup.register_type_or_none(r.type_code)) is not None
        and rtype.group == "rosh"
    ]
    return max(rosh, key=lambda t: t.severity, default=None)


def _number(code: str) -> str:
    """The national system codes MAPPA levels and categories M1-M4; officers say "level 2"."""
    return code[1:] if len(code) == 2 and code[0] in "Mm" and code[1].isdigit() else code


def _text(registration: Registration, rtype: RegisterType | None) -> str:
    if rtype is None:
        return registration.type_code
    if rtype.group != "mappa":
        return rtype.description
    details = []
    if registration.level:
        details.append(f"level {_number(registration.level)}")
    if registration.category:
        details.append(f"category {_number(registration.category)}")
    return " ".join([rtype.description, ", ".join(details)]).strip()


def _badge(registration: Registration, today: dt.date | None) -> RiskBadge:
    rtype = _lookup.register_type_or_none(registration.type_code)
    review = review_due_date(registration)
    return RiskBadge(
        registration_id=registration.id,
        code=registration.type_code,
        text=_text(registration, rtype),
        colour=rtype.colour if rtype is not None else "white",
        group=rtype.group if rtype is not None else "other",
        severity=rtype.severity if rtype is not None else 0,
        review_overdue=today is not None and review is not None and review < today,
    )


def risk_badges(
    registrations: Iterable[Registration], *, today: dt.date | None = None
) -> list[RiskBadge]:
    """Active registrations as badges: risk to staff, RoSH, MAPPA, then others by severity.

    With `today`, badges whose next review date has passed say so.
    """
    badges = [_badge(r, today) for r in _active(registrations)]
    return sorted(badges, key=lambda b: (_GROUP_ORDER.get(b.group, 3), -b.severity, b.text))
