"""update_contact_details and update_address: scalar fields that merge field by field.

Only the fields the officer changed travel, each checked and cleaned by the same
validators the forms use, so a phone number typed offline lands in the same shape the
server stores. A new address id creates the address; a new main address makes the old
main address a previous one, as the national system does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from domain.errors import ValidationError
from domain.mutations import UpdateAddress, UpdateContactDetails
from domain.people import Address, Person
from domain.semantics.args import validate_model
from domain.semantics.context import Context, created, updated
from domain.semantics.effects import Effects, Upsert
from domain.semantics.merge import merge_fields, record_gone
from domain.validation import validate_date_range, validate_email, validate_phone, validate_postcode

_NO_RECORD = UUID(int=0)
_ADDRESS_FIELDS = (
    "status",
    "no_fixed_abode",
    "building_name",
    "address_number",
    "street_name",
    "district",
    "town",
    "county",
    "postcode",
    "start_date",
    "end_date",
    "notes",
)


def update_contact_details(args: UpdateContactDetails, ctx: Context) -> Effects:
    people = ctx.reader.case_records(args.crn, "person")
    changes = _contact_changes(args)
    if not people:
        return Effects(conflicts=(record_gone("person", _NO_RECORD, changes),))
    stored = people[0]
    merge = merge_fields(ctx, stored, Person, changes, args.base_version)
    person = validate_model(Person, {**stored.data, **merge.applied})
    change = updated(stored, person)
    return Effects(upserts=(change,) if change is not None else (), conflicts=merge.conflicts)


def _contact_changes(args: UpdateContactDetails) -> dict[str, Any]:
    """The given fields, cleaned; an empty string clears a phone number or email."""
    changes: dict[str, Any] = {}
    for name in ("phone", "mobile"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = validate_phone(value, field=name) if value.strip() else ""
    if args.email is not None:
        changes["email"] = validate_email(args.email) if args.email.strip() else ""
    if args.allow_sms is not None:
        changes["allow_sms"] = args.allow_sms
    return changes


def update_address(args: UpdateAddress, ctx: Context) -> Effects:
    changes = _address_changes(args)
    stored = ctx.reader.get("address", args.address_id)
    if stored is None:
        if args.base_version is not None:  # the officer edited an address since deleted
            return Effects(conflicts=(record_gone("address", args.address_id, changes),))
        address = validate_model(Address, {"id": args.address_id, "crn": args.crn, **changes})
        _check_dates(address)
        return Effects(upserts=(created("address", address, args.crn), *_demote(ctx, address)))
    if stored.crn != args.crn:
        raise ValidationError("This address belongs to another case.", field="address_id")
    merge = merge_fields(ctx, stored, Address, changes, args.base_version)
    address = validate_model(Address, {**stored.data, **merge.applied})
    _check_dates(address)
    change = updated(stored, address)
    if change is None:
        return Effects(conflicts=merge.conflicts)
    demoted = _demote(ctx, address) if "status" in change.changed_fields else []
    return Effects(upserts=(change, *demoted), conflicts=merge.conflicts)


def _address_changes(args: UpdateAddress) -> dict[str, Any]:
    changes = {name: getattr(args, name) for name in _ADDRESS_FIELDS}
    changes = {name: value for name, value in changes.items() if value is not None}
    postcode = changes.get("postcode")
    if postcode:
        changes["postcode"] = validate_postcode(postcode)
    return changes


def _check_dates(address: Address) -> None:
    if address.start_date is not None:
        validate_date_range(address.start_date, address.end_date)


def _demote(ctx: Context, address: Address) -> list[Upsert]:
    """A new main address ends the old main one (status previous, ended when this began)."""
    if address.status != "main":
        return []
    ended = address.start_date or ctx.today
    upserts: list[Upsert] = []
    for stored in ctx.reader.case_records(address.crn, "address"):
        other = Address.model_validate(dict(stored.data))
        if other.id == address.id or other.status != "main":
            continue
        end_date = other.end_date or max(ended, other.start_date or dt.date.min)
        change = updated(
            stored, other.model_copy(update={"status": "previous", "end_date": end_date})
        )
        upserts += [change] if change is not None else []
    return upserts
