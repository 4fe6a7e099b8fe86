"""Event (a conviction) -> sentence/disposal -> requirements or licence conditions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.model import Entity
from domain.people import Crn


class Sentence(Entity):
    """The disposal of an event; `type_code` names a row of `sentence_types`."""

    type_code: str
    length: int | None = None
    length_units: str = "Months"
    start_date: date
    expected_end_date: date | None = None
    termination_date: date | None = None


class Event(Entity):
    """A conviction; officers call it by number ("event 2")."""

    id: UUID
    crn: Crn
    number: int
    main_offence: str
    offence_date: date | None = None
    conviction_date: date | None = None
    court: str = ""
    sentence: Sentence | None = None
    active: bool = True
    breach_in_progress: bool = False
    last_breach_end: date | None = None


class Requirement(Entity):
    """A community requirement, e.g. `F` RAR (days) or `W` unpaid work (hours)."""

    id: UUID
    crn: Crn
    event_id: UUID
    category_code: str
    sub_category: str = ""
    length: int | None = None
    start_date: date | None = None
    termination_date: date | None = None
    notes: str = ""


class LicenceCondition(Entity):
    """A licence condition; `category` is the national main category's name (e.g.
    "Freedom of movement"), `sub_category` the condition's wording within it."""

    id: UUID
    crn: Crn
    event_id: UUID
    category_code: str
    description: str
    start_date: date | None = None
    termination_date: date | None = None
    category: str = ""
    sub_category: str = ""
    notes: str = ""
