"""Registrations: the risk flags on a case (RoSH, MAPPA, child concerns...), with their reviews."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.model import Entity
from domain.people import Crn


class RegistrationReview(Entity):
    """One review of a registration: who reviewed it, when, and when it is next due."""

    reviewed_on: date
    reviewed_by: str = ""
    next_review_date: date | None = None
    notes: str = ""


class Registration(Entity):
    id: UUID
    crn: Crn
    type_code: str
    level: str = ""
    category: str = ""
    registered_on: date
    next_review_date: date | None = None
    notes: str = ""
    deregistered_on: date | None = None
    reviews: tuple[RegistrationReview, ...] = ()

    @property
    def active(self) -> bool:
        return self.deregistered_on is None

    @property
    def last_reviewed_on(self) -> date | None:
        return max((r.reviewed_on for r in self.reviews), default=None)
