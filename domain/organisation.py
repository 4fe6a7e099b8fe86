"""Who does the work: provider (region) -> PDU -> team -> staff, and allocations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import StringConstraints

from domain.model import Entity

TeamCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{6}$")]
StaffCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{7}$")]


class Provider(Entity):
    """A probation region, e.g. `N07` London."""

    code: str
    name: str


class Pdu(Entity):
    """A probation delivery unit inside a provider."""

    code: str
    name: str
    provider_code: str


class Team(Entity):
    code: TeamCode
    name: str
    pdu_code: str
    provider_code: str


class OfficeLocation(Entity):
    """Where appointments happen; `code` is what contacts reference."""

    code: str
    description: str
    team_code: TeamCode | None = None
    address: str = ""


class Staff(Entity):
    code: StaffCode
    forename: str
    surname: str
    team_code: TeamCode
    username: str | None = None

    @property
    def display_name(self) -> str:
        return f"{self.forename} {self.surname}"


class Allocation(Entity):
    """One period of a person being managed by one offender manager."""

    staff_code: StaffCode
    team_code: TeamCode
    start_date: date
    end_date: date | None = None
    reason: str = ""

    @property
    def active(self) -> bool:
        return self.end_date is None
