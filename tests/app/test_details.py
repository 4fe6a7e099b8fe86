"""Updating phone, mobile, email and address over the real encrypted cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.usecases import details as uc
from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import NOW, OFFICER, CaseData, make_case

OLIVE = Officer(
    OFFICER.username, "Olive Officer", OFFICER.staff_code or "", OFFICER.team_code or ""
)


@dataclass
class Laptop:
    ctx: AppContext
    cdb: CacheDb
    case: CaseData

    def person(self) -> dict[str, Any]:
        return json.loads(self.cdb.one("SELECT data FROM person WHERE crn = 'X100001'"))

    def addresses(self) -> list[dict[str, Any]]:
        rows = self.cdb.query("SELECT data FROM address WHERE crn = 'X100001' ORDER BY seq")
        return [json.loads(r["data"]) for r in rows]

    def outbox(self) -> list[tuple[str, dict[str, Any]]]:
        rows = self.cdb.query("SELECT name, args FROM outbox ORDER BY seq")
        return [(r["name"], json.loads(r["args"])) for r in rows]


@pytest.fixture
def laptop(tmp_path) -> Iterator[Laptop]:
    profile = Profile(tmp_path / "profile", OFFICER.username, kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(profile.keys.create("pw"))
    case = make_case("X100001", surname="Hughes", first="Amelia", contacts=0)
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c1", last_applied_seq=0)
    ctx = AppContext(
        lambda: StorageCache(cdb, OFFICER, lambda: NOW, owns_connection=False),
        OLIVE,
        clock=lambda: NOW,
    )
    yield Laptop(ctx, cdb, case)
    cdb.close()
    profile.close()


def test_loads_the_cached_details_and_main_address(laptop):
    held = uc.load_details(laptop.ctx, "X100001")
    assert held.details.address.street_name == "Fake Street"
    assert held.details.address.postcode == "ZZ1 1ZZ"
    assert held.address_id == laptop.case.address.id
    assert (held.person_version, held.address_version) == (1, 1)


def test_only_changed_fields_are_sent_and_cleaned(laptop):
    before = uc.load_details(laptop.ctx, "X100001")
    after = replace(before.details, mobile=" 07700 900123 ", email="amelia@example.com")
    changes = uc.update_details(laptop.ctx, before, after)
    assert changes.touches_case("X100001")
    person = laptop.person()
    assert (person["mobile"], person["email"], person["phone"]) == (
        "07700900123",
        "amelia@example.com",
        "",
    )
    [(name, args)] = laptop.outbox()
    assert name == "update_contact_details"
    assert args["phone"] is None  # untouched: never overwrites a central change
    assert args["base_version"] == 1


def test_every_wrong_field_is_reported_at_once_in_plain_english(laptop):
    before = uc.load_details(laptop.ctx, "X100001")
    bad = replace(
        before.details,
        phone="0161 496",
        mobile="07700 90012x",
        email="amelia@",
        address=replace(before.details.address, postcode="ZZ1"),
    )
    with pytest.raises(uc.DetailsInvalid) as caught:
        uc.update_details(laptop.ctx, before, bad)
    errors = caught.value.errors
    assert set(errors) == {"phone", "mobile", "email", "postcode"}
    assert "starting with 0 and 10 or 11 digits" in errors["phone"]
    assert "only hold digits" in errors["mobile"]
    assert errors["email"] == "Enter an email address like name@example.com."
    assert "'ZZ1' is not a UK postcode" in errors["postcode"]
    assert laptop.outbox() == []


def test_correcting_the_address_edits_it_in_place(laptop):
    before = uc.load_details(laptop.ctx, "X100001")
    fixed = replace(before.details.address, address_number="12", postcode="sw1a1aa")
    uc.update_details(laptop.ctx, before, replace(before.details, address=fixed))
    [address] = laptop.addresses()
    assert (address["address_number"], address["postcode"]) == ("12", "SW1A 1AA")
    [(name, args)] = laptop.outbox()
    assert name == "update_address"
    assert args["street_name"] is None  # unchanged fields do not travel
    assert args["base_version"] == 1


def test_moving_house_makes_a_new_main_address_and_the_old_one_previous(laptop):
    before = uc.load_details(laptop.ctx, "X100001")
    new = uc.AddressFields(
        address_number="3", street_name="New Road", town="Leeds", postcode="LS1 4AP"
    )
    moved = replace(before.details, address=new, moved=True)
    uc.update_details(laptop.ctx, before, moved)
    old, current = laptop.addresses()
    assert (old["status"], old["end_date"]) == ("previous", "2026-11-20")
    assert (current["status"], current["street_name"], current["start_date"]) == (
        "main",
        "New Road",
        "2026-11-20",
    )
    assert uc.load_details(laptop.ctx, "X100001").details.address.street_name == "New Road"


def test_a_move_needs_a_street_and_postcode_unless_no_fixed_abode(laptop):
    before = uc.load_details(laptop.ctx, "X100001")
    empty = replace(before.details, address=uc.AddressFields(town="Leeds"), moved=True)
    assert set(uc.check_details(empty)) == {"postcode", "street_name"}
    nfa = replace(empty, address=uc.AddressFields(no_fixed_abode=True))
    assert uc.check_details(nfa) == {}
    uc.update_details(laptop.ctx, before, nfa)
    assert laptop.addresses()[-1]["no_fixed_abode"] is True


def test_nothing_changed_sends_nothing(laptop):
    before = uc.load_details(laptop.ctx, "X100001")
    assert not uc.update_details(laptop.ctx, before, before.details)
    assert laptop.outbox() == []
