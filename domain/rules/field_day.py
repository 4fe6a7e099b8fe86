"""What matters at the door of a visit: the conditions that bear on it, what is outstanding.

Of a licence's conditions (and an order's requirements) the ones an officer must have in
mind on a home visit are residence, non-contact, exclusion zones and curfew
(DOMAIN.md, "For the field day"); the rest are on the case, not on the briefing. What is
outstanding is what the officer may have to raise at the door: outcomes not yet
recorded, evidence due after a failure to attend, enforcement under review, and risk
flags whose review date has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from domain.contacts import Contact
from domain.people import PersonalCircumstance
from domain.registrations import Registration
from domain.rules import _lookup
from domain.rules.enforcement import afta_evidence_due
from domain.rules.risk import risk_badges
from domain.sentences import LicenceCondition, Requirement

DoorKind = Literal["curfew", "exclusion", "non_contact", "residence"]
REVIEW_TASK = "ARWS"  # the system's "Review Enforcement Status" task
AWAITING_EVIDENCE = "AFTA"
RESTRAINING_ORDER = "Restraining order"  # the personal circumstance type the seed uses

# Words in a licence condition's national main category that put it on the doorstep.
_CATEGORY_WORDS: tuple[tuple[str, DoorKind], ...] = (
    ("curfew", "curfew"),
    ("freedom of movement", "exclusion"),
    ("exclusion", "exclusion"),
    ("non-contact", "non_contact"),
    ("contact with", "non_contact"),
    ("residence", "residence"),
    ("residency", "residence"),
)
# Community requirements (Sentencing Act 2020, Schedule 9) that bear on a visit.
_REQUIREMENT_KINDS: dict[str, DoorKind] = {"J": "curfew", "X": "exclusion", "RM40": "residence"}
_DOOR_ORDER: dict[DoorKind, int] = {"non_contact": 0, "exclusion": 1, "curfew": 2, "residence": 3}


@dataclass(frozen=True, slots=True)
class DoorCondition:
    """One licence condition or requirement that bears on a visit, in words."""

    kind: DoorKind
    title: str  # the national category's name, e.g. "Freedom of movement"
    text: str  # the condition's wording, or the requirement's sub-category
    notes: str = ""


def condition_kind(category: str) -> DoorKind | None:
    words = category.casefold()
    return next((kind for word, kind in _CATEGORY_WORDS if word in words), None)


def requirement_kind(category_code: str) -> DoorKind | None:
    return _REQUIREMENT_KINDS.get(category_code)


def door_conditions(
    conditions: Iterable[LicenceCondition],
    requirements: Iterable[Requirement],
    requirement_names: dict[str, str],
) -> list[DoorCondition]:
    """Active conditions and requirements that bear on a visit: non-contact first."""
    found: list[DoorCondition] = []
    for c in conditions:
        kind = condition_kind(c.category) if c.termination_date is None else None
        if kind is not None:
            text = c.sub_category or c.description
            found.append(DoorCondition(kind, c.category, text, c.notes))
    for r in requirements:
        kind = _REQUIREMENT_KINDS.get(r.category_code) if r.termination_date is None else None
        if kind is not None:
            title = requirement_names.get(r.category_code, r.category_code)
            found.append(DoorCondition(kind, f"{title} requirement", r.sub_category, r.notes))
    return sorted(found, key=lambda d: _DOOR_ORDER[d.kind])


def restraining_orders(circumstances: Iterable[PersonalCircumstance], today: dt.date) -> list[str]:
    """Current restraining orders, each in words ("Restraining order: not to contact …")."""
    return [
        f"{c.type}: {c.sub_type}" if c.sub_type else c.type
        for c in circumstances
        if c.type == RESTRAINING_ORDER and (c.end_date is None or c.end_date >= today)
    ]


def outstanding(
    contacts: Iterable[Contact], registrations: Iterable[Registration], *, today: dt.date
) -> list[str]:
    """What is waiting on the case, oldest worry first, each a short sentence."""
    items: list[str] = []
    awaited = sorted(c.date for c in contacts if _outcome_awaited(c, today))
    if awaited:
        noun = "appointment" if len(awaited) == 1 else "appointments"
        items.append(f"Outcome awaited: {len(awaited)} {noun} since {awaited[0]:%d %b}")
    for c in sorted(contacts, key=lambda c: c.date):
        if c.outcome_code == AWAITING_EVIDENCE:
            due = afta_evidence_due(c.date)
            late = " (overdue)" if due < today else ""
            items.append(f"Evidence due by {due:%d %b} for the absence on {c.date:%d %b}{late}")
    if any(c.type_code == REVIEW_TASK and c.outcome_code is None for c in contacts):
        items.append("Enforcement under review")
    for badge in risk_badges(registrations, today=today):
        if badge.review_overdue:
            items.append(f"{badge.text}: review overdue")
    return items


def _outcome_awaited(contact: Contact, today: dt.date) -> bool:
    if contact.outcome_code is not None or contact.date >= today:
        return False
    ctype = _lookup.contact_type_or_none(contact.type_code)
    return ctype is not None and ctype.attendance
