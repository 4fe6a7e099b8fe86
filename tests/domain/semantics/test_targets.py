"""mutation_crns: the cases a mutation touches, for scope checks before the rules run."""

from __future__ import annotations

import uuid

import pytest

from domain.semantics import UnknownMutation, mutation_crns
from tests.domain.semantics.conftest import CRN, OTHER_CRN, Case
from tests.domain.semantics.memory_store import TODAY


def test_a_mutation_naming_its_case(case: Case) -> None:
    assert mutation_crns("pin_case", 1, {"crn": OTHER_CRN}, case.store) == {OTHER_CRN}


def test_a_mutation_naming_a_record_resolves_its_case(case: Case) -> None:
    appointment = case.appointment(TODAY)
    args = {"contact_id": str(appointment.id), "outcome_code": "ATTC", "base_version": 1}
    assert mutation_crns("record_outcome", 1, args, case.store) == {CRN}


def test_an_address_moved_between_cases_names_both(case: Case) -> None:
    args = {"address_id": str(case.address.id), "crn": OTHER_CRN, "town": "Leeds"}
    assert mutation_crns("update_address", 1, args, case.store) == {CRN, OTHER_CRN}


def test_a_missing_record_names_no_case(case: Case) -> None:
    args = {"contact_id": str(uuid.uuid4()), "text": "Hello."}
    assert mutation_crns("append_contact_note", 1, args, case.store) == frozenset()


def test_unknown_mutations_fail_as_in_apply(case: Case) -> None:
    with pytest.raises(UnknownMutation):
        mutation_crns("drop_table", 1, {}, case.store)
