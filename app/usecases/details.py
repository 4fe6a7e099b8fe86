"""Update a person's phone, mobile, email and main address, offline.

Every field is checked with the same domain validators the server runs, and all
the problems come back at once, each under its own field, so the form can show
them next to what was typed (and keep the typing). Only the fields that changed
travel, so an edit of the phone number never overwrites a central change to the
email.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from uuid import UUID

from app.changes import ChangeSet
from app.context import AppContext
from domain.errors import FieldcaseError, ValidationError
from domain.mutations import UpdateAddress, UpdateContactDetails
from domain.people import Address, Person
from domain.semantics import StoredRecord
from domain.validation import validate_email, validate_phone, validate_postcode


@dataclass(frozen=True, slots=True)
class AddressFields:
    """The parts of an address the form edits, as typed."""

    building_name: str = ""
    address_number: str = ""
    street_name: str = ""
    district: str = ""
    town: str = ""
    county: str = ""
    postcode: str = ""
    no_fixed_abode: bool = False


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """What the details form edits: contact numbers, email and the main address."""

    phone: str = ""
    mobile: str = ""
    email: str = ""
    address: AddressFields = AddressFields()
    moved: bool = False  # a new address (the old one becomes previous), not a correction


@dataclass(frozen=True, slots=True)
class PersonalDetails:
    """The cached details and the versions an edit is based on."""

    crn: str
    details: ContactDetails
    person_version: int
    address_id: UUID | None = None
    address_version: int | None = None


class DetailsInvalid(ValidationError):
    """One or more fields are wrong; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


class PersonNotHere(FieldcaseError):
    title = "Case not on this laptop"


def load_details(ctx: AppContext, crn: str) -> PersonalDetails:
    cache = ctx.cache()
    people = cache.case_records(crn, "person")
    if not people:
        raise PersonNotHere(f"Case {crn} is no longer on this laptop.")
    person = Person.model_validate(dict(people[0].data))
    main = _main_address(cache.case_records(crn, "address"))
    address = AddressFields()
    if main is not None:
        held = Address.model_validate(dict(main.data))
        address = AddressFields(**{f.name: getattr(held, f.name) for f in fields(AddressFields)})
    details = ContactDetails(person.phone, person.mobile, person.email, address)
    return PersonalDetails(
        crn,
        details,
        people[0].version,
        main.id if main else None,
        main.version if main else None,
    )


def _main_address(addresses: list[StoredRecord]) -> StoredRecord | None:
    main = [a for a in addresses if a.data.get("status") == "main" and not a.data.get("end_date")]
    return main[-1] if main else None


_CHECKS: dict[str, Callable[..., str]] = {
    "phone": validate_phone,
    "mobile": validate_phone,
    "email": validate_email,
}


def check_details(details: ContactDetails) -> dict[str, str]:
    """Every field's problem in plain English (empty when all is well); blanks are allowed."""
    errors: dict[str, str] = {}
    for name, check in _CHECKS.items():
        value = getattr(details, name)
        if value.strip():
            try:
                check(value, field=name)
            except ValidationError as error:
                errors[name] = error.message
    address = details.address
    if address.postcode.strip():
        try:
            validate_postcode(address.postcode)
        except ValidationError as error:
            errors["postcode"] = error.message
    elif details.moved and not address.no_fixed_abode:
        errors["postcode"] = "Enter the new address's postcode, or tick 'No fixed abode'."
    if details.moved and not address.no_fixed_abode and not _has_street(address):
        errors["street_name"] = "Enter the street (or the building name) of the new address."
    return errors


def _has_street(address: AddressFields) -> bool:
    return bool(address.street_name.strip() or address.building_name.strip())


def update_details(ctx: AppContext, before: PersonalDetails, after: ContactDetails) -> ChangeSet:
    """Queue what changed: contact details and/or the address, each its own mutation."""
    errors = check_details(after)
    if errors:
        raise DetailsInvalid(errors)
    cache = ctx.cache()
    changes = ChangeSet()
    contact = {
        name: getattr(after, name).strip()
        for name in _CHECKS
        if getattr(after, name).strip() != getattr(before.details, name).strip()
    }
    if contact:
        args = UpdateContactDetails(crn=before.crn, base_version=before.person_version, **contact)
        changes = changes.merge(cache.apply("update_contact_details", args))
    address = _address_args(ctx, before, after)
    if address is not None:
        changes = changes.merge(cache.apply("update_address", address))
    return changes


def _address_args(
    ctx: AppContext, before: PersonalDetails, after: ContactDetails
) -> UpdateAddress | None:
    new = _cleaned(after.address)
    if after.moved or before.address_id is None:
        if new == AddressFields():
            return None
        return UpdateAddress(
            address_id=uuid.uuid4(),
            crn=before.crn,
            status="main",
            start_date=ctx.today(),
            **_as_args(new),
        )
    old = _cleaned(before.details.address)
    changed = {k: v for k, v in _as_args(new).items() if _as_args(old)[k] != v}
    if not changed:
        return None
    version = before.address_version or None  # 0: created here, never seen centrally
    return UpdateAddress(
        address_id=before.address_id, crn=before.crn, base_version=version, **changed
    )


def _cleaned(address: AddressFields) -> AddressFields:
    trimmed = {f.name: getattr(address, f.name) for f in fields(AddressFields)}
    trimmed = {k: v.strip() if isinstance(v, str) else v for k, v in trimmed.items()}
    if trimmed["postcode"]:
        trimmed["postcode"] = validate_postcode(str(trimmed["postcode"]))
    return replace(address, **trimmed)


def _as_args(address: AddressFields) -> dict[str, str | bool]:
    return {f.name: getattr(address, f.name) for f in fields(AddressFields)}
