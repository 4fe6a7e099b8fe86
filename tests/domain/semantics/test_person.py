"""update_contact_details and update_address: only the given fields, merged field by field."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from domain.errors import ValidationError
from domain.people import Address, Person
from domain.semantics import WHOLE_RECORD
from tests.domain.semantics.conftest import CRN, OTHER_CRN, Case, assert_json_safe
from tests.domain.semantics.memory_store import TODAY


def _details(case: Case, **fields: Any) -> dict[str, Any]:
    version = case.store.records[("person", case.person.id)].version
    return {"crn": CRN, "base_version": version, **fields}


def _person(case: Case) -> Person:
    return Person.model_validate(case.store.data("person", case.person.id))


def _address(case: Case, address_id: uuid.UUID) -> Address:
    return Address.model_validate(case.store.data("address", address_id))


def test_only_the_given_fields_change(case: Case) -> None:
    effects = case.store.apply("update_contact_details", _details(case, mobile="07700 900123"))
    [upsert] = effects.upserts
    assert upsert.changed_fields == {"mobile"}
    person = _person(case)
    assert (person.mobile, person.phone, person.email) == (
        "07700900123",
        "01632960001",
        "testy@example.com",
    )


def test_an_empty_string_clears_a_number(case: Case) -> None:
    case.store.apply("update_contact_details", _details(case, phone="", allow_sms=True))
    person = _person(case)
    assert (person.phone, person.allow_sms) == ("", True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"phone": "call me"}, "phone"), ({"mobile": "123"}, "mobile"), ({"email": "nope"}, "email")],
)
def test_bad_details_are_refused(case: Case, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        case.store.apply("update_contact_details", _details(case, **fields))
    assert caught.value.field == field


def test_fields_changed_centrally_conflict_and_others_apply(case: Case) -> None:
    mine = _details(case, phone="01632 960999", email="new@example.com")
    case.store.apply("update_contact_details", _details(case, phone="01632 960555"))
    effects = case.store.apply("update_contact_details", mine)
    [conflict] = effects.conflicts
    assert (conflict.kind, conflict.field, conflict.yours, conflict.central) == (
        "person",
        "phone",
        "01632960999",
        "01632960555",
    )
    person = _person(case)
    assert (person.phone, person.email) == ("01632960555", "new@example.com")


def test_the_same_value_set_centrally_is_no_conflict(case: Case) -> None:
    mine = _details(case, phone="01632 960555")
    case.store.apply("update_contact_details", _details(case, phone="01632960555"))
    effects = case.store.apply("update_contact_details", mine)
    assert (effects.conflicts, effects.upserts) == ((), ())


def test_the_client_applies_details_optimistically(case: Case) -> None:
    mine = _details(case, phone="01632 960999")
    case.store.apply("update_contact_details", _details(case, phone="01632 960555"))
    effects = case.store.apply("update_contact_details", mine, detect=False)
    assert effects.conflicts == ()
    assert _person(case).phone == "01632960999"


def test_details_of_a_case_with_no_person_record_conflict(case: Case) -> None:
    effects = case.store.apply(
        "update_contact_details", {"crn": OTHER_CRN, "phone": "", "base_version": 1}
    )
    [conflict] = effects.conflicts
    assert conflict.field == WHOLE_RECORD


# update_address


def _address_args(case: Case, address_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
    stored = case.store.get("address", address_id)
    version = stored.version if stored is not None else None
    return {"address_id": str(address_id), "crn": CRN, "base_version": version, **fields}


def test_a_new_address_id_creates_it(case: Case) -> None:
    new_id = uuid.uuid4()
    args = _address_args(
        case, new_id, status="other", street_name="High Street", postcode="sw1a1aa"
    )
    effects = case.store.apply("update_address", args)
    assert effects.upserts[0].created
    address = _address(case, new_id)
    assert (address.status, address.street_name, address.postcode) == (
        "other",
        "High Street",
        "SW1A 1AA",
    )


def test_a_new_main_address_makes_the_old_one_previous(case: Case) -> None:
    new_id = uuid.uuid4()
    args = _address_args(case, new_id, status="main", town="Leeds", start_date="2026-11-10")
    effects = case.store.apply("update_address", args)
    assert [u.id for u in effects.upserts] == [new_id, case.address.id]
    old = _address(case, case.address.id)
    assert (old.status, old.end_date) == ("previous", dt.date(2026, 11, 10))


def test_editing_changes_only_the_given_fields(case: Case) -> None:
    args = _address_args(case, case.address.id, address_number="12", notes="Ring twice.")
    [upsert] = case.store.apply("update_address", args).upserts
    assert upsert.changed_fields == {"address_number", "notes"}
    address = _address(case, case.address.id)
    assert (address.address_number, address.street_name) == ("12", "Fake Street")


def test_address_conflicts_are_per_field(case: Case) -> None:
    mine = _address_args(case, case.address.id, postcode="LS1 4AP", town="Leeds")
    case.store.apply("update_address", _address_args(case, case.address.id, postcode="M1 1AE"))
    effects = case.store.apply("update_address", mine)
    assert [(c.field, c.yours, c.central) for c in effects.conflicts] == [
        ("postcode", "LS1 4AP", "M1 1AE")
    ]
    assert _address(case, case.address.id).town == "Leeds"


def test_editing_a_deleted_address_is_a_conflict(case: Case) -> None:
    args = _address_args(case, case.address.id, town="Leeds", start_date="2026-11-01")
    case.store.delete("address", case.address.id)
    effects = case.store.apply("update_address", args)
    [conflict] = effects.conflicts
    assert (conflict.record_id, conflict.field) == (case.address.id, WHOLE_RECORD)
    assert conflict.yours == {"town": "Leeds", "start_date": "2026-11-01"}
    assert effects.upserts == ()
    assert_json_safe(effects)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"postcode": "NOT A CODE"}, "postcode", "not a UK postcode"),
        ({"start_date": "2026-11-10", "end_date": "2026-11-01"}, "end_date", "cannot be before"),
        ({"status": "temporary"}, "status", "must be one of"),
    ],
)
def test_bad_addresses_are_refused(
    case: Case, fields: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        case.store.apply("update_address", _address_args(case, uuid.uuid4(), **fields))
    assert caught.value.field == field
    assert words in caught.value.message


def test_an_address_of_another_case_is_refused(case: Case) -> None:
    args = {**_address_args(case, case.address.id, town="Leeds"), "crn": OTHER_CRN}
    with pytest.raises(ValidationError, match="another case"):
        case.store.apply("update_address", args)


def test_a_new_main_address_without_a_start_ends_the_old_today(case: Case) -> None:
    case.store.apply("update_address", _address_args(case, uuid.uuid4(), status="main"))
    assert _address(case, case.address.id).end_date == TODAY
