"""merge_fields: the field-by-field rule every editing mutation shares."""

from __future__ import annotations

import uuid

import pytest

from domain.people import Person
from domain.semantics.context import Context
from domain.semantics.merge import merge_fields
from domain.semantics.ports import StoredRecord
from tests.domain.semantics.conftest import Case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY


def _stored(case: Case, phone_changed_at: int) -> StoredRecord:
    data = case.person.model_dump(mode="json")
    versions = {**dict.fromkeys(data, 3), "phone": phone_changed_at}
    return StoredRecord("person", case.person.id, case.person.crn, 9, data, versions)


@pytest.mark.parametrize(
    ("changed_at", "base", "detect", "new", "conflict"),
    [
        (5, 4, True, "01632960999", True),  # changed centrally after the base
        (4, 4, True, "01632960999", False),  # the officer saw that change
        (2, 4, True, "01632960999", False),  # changed long before
        (5, 4, True, "01632960001", False),  # changed centrally, but to what the officer wants
        (5, 4, False, "01632960999", False),  # the client applies optimistically
        (5, None, True, "01632960999", False),  # no base: created by the officer, offline
        (5, 0, True, "01632960999", False),  # version 0: the laptop's own copy, never central
    ],
)
def test_conflict_rule(
    case: Case, changed_at: int, base: int | None, detect: bool, new: str, conflict: bool
) -> None:
    ctx = Context(uuid.uuid4(), OFFICER, case.store, TODAY, NOW, detect)
    merge = merge_fields(ctx, _stored(case, changed_at), Person, {"phone": new}, base)
    assert bool(merge.conflicts) is conflict
    unchanged = new == case.person.phone
    assert merge.applied == ({} if conflict or unchanged else {"phone": new})


def test_a_conflict_carries_both_values(case: Case) -> None:
    ctx = Context(uuid.uuid4(), OFFICER, case.store, TODAY, NOW, True)
    stored = _stored(case, 5)
    merge = merge_fields(ctx, stored, Person, {"phone": "01632960999", "email": "a@b.co"}, 4)
    [conflict] = merge.conflicts
    assert (conflict.kind, conflict.record_id, conflict.field) == (
        "person",
        case.person.id,
        "phone",
    )
    assert (conflict.yours, conflict.central) == ("01632960999", case.person.phone)
    assert merge.applied == {"email": "a@b.co"}
