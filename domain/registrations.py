"""Registrations: the risk flags on a case (RoSH, MAPPA, child concerns...)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.model import Entity
from domain.people import Crn


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

    @property
    def active(self) -> bool:
        return self.deregistered_on is None
