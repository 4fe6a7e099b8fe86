"""The person on probation (PoP), keyed by CRN, and what hangs off them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import StringConstraints

from domain.model import Entity
from domain.organisation import Allocation, StaffCode, TeamCode

Crn = Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{6}$")]

AddressStatus = Literal["main", "previous", "other"]


class Alias(Entity):
    """Another name the person is known by ("aliases", not "other names")."""

    first_name: str
    surname: str
    date_of_birth: date | None = None


class Address(Entity):
    """An address; a synced record of its own so that edits merge field by field."""

    id: UUID
    crn: Crn
    status: AddressStatus = "main"
    no_fixed_abode: bool = False
    building_name: str = ""
    address_number: str = ""
    street_name: str = ""
    district: str = ""
    town: str = ""
    county: str = ""
    postcode: str = ""
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""
    # How to get in, for whoever visits: "ring twice; dog in the back garden".
    access_notes: str = ""

    @property
    def one_line(self) -> str:
        if self.no_fixed_abode:
            return "No fixed abode"
        street = " ".join(p for p in (self.address_number, self.street_name) if p)
        parts = (self.building_name, street, self.district, self.town, self.county, self.postcode)
        return ", ".join(p for p in parts if p)


class PersonalContact(Entity):
    """Someone in the person's life: household, next of kin, GP, victim liaison officer.

    `household` marks who lives at the person's address (what a visitor meets at the
    door); `flags` are the facts that matter there, in words ("Child", "Victim")."""

    relationship: str
    first_name: str
    surname: str
    phone: str = ""
    notes: str = ""
    household: bool = False
    flags: tuple[str, ...] = ()


class PersonalCircumstance(Entity):
    type: str
    sub_type: str = ""
    start_date: date | None = None
    end_date: date | None = None
    evidenced: bool = False


class Disability(Entity):
    type: str
    start_date: date | None = None
    adjustments: tuple[str, ...] = ()


class Person(Entity):
    """A person on probation. Identifiers other than the CRN stay off the main screens."""

    id: UUID
    crn: Crn
    pnc: str = ""
    cro: str = ""
    noms: str = ""
    ni_number: str = ""
    first_name: str
    middle_names: str = ""
    surname: str
    preferred_name: str = ""
    previous_surname: str = ""
    date_of_birth: date
    gender: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    allow_sms: bool = False
    interpreter_required: bool = False
    language: str = ""
    tier: str = ""
    aliases: tuple[Alias, ...] = ()
    personal_contacts: tuple[PersonalContact, ...] = ()
    circumstances: tuple[PersonalCircumstance, ...] = ()
    disabilities: tuple[Disability, ...] = ()
    staff_code: StaffCode | None = None
    team_code: TeamCode | None = None
    allocations: tuple[Allocation, ...] = ()
    limited_access_message: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.surname}"

    def age_on(self, day: date) -> int:
        """Whole years of age on `day` (29 February birthdays age on 1 March)."""
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years
