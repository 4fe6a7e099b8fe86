"""clear_alert: an alert contact leaves the inbox once read, and only alerts can be cleared."""

from __future__ import annotations

import uuid

import pytest

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.semantics import apply_mutation
from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY


def clear(case: Case, contact_id: uuid.UUID, *, username: str = OFFICER.username) -> object:
    actor = OFFICER if username == OFFICER.username else type(OFFICER)(username, None, None)
    return apply_mutation(
        "clear_alert",
        1,
        {"crn": CRN, "contact_id": str(contact_id)},
        mutation_id=uuid.uuid4(),
        actor=actor,
        reader=case.store,
        today=TODAY,
        now=NOW,
        detect_conflicts=True,
    )


def test_clearing_an_alert_records_who_read_it_and_when(case: Case) -> None:
    alert = case.appointment(TODAY, alert=True)
    effects = clear(case, alert.id)
    (upsert,) = effects.upserts  # type: ignore[attr-defined]
    cleared = Contact.model_validate(upsert.data)
    assert cleared.alert_cleared_by == OFFICER.username
    assert cleared.alert_cleared_at == NOW
    assert upsert.changed_fields == {"alert_cleared_at", "alert_cleared_by"}


def test_clearing_twice_keeps_the_first_reader(case: Case) -> None:
    alert = case.appointment(TODAY, alert=True, alert_cleared_at=NOW, alert_cleared_by="first")
    assert clear(case, alert.id).upserts == ()  # type: ignore[attr-defined]


def test_a_contact_that_is_not_an_alert_cannot_be_cleared(case: Case) -> None:
    plain = case.appointment(TODAY)
    with pytest.raises(ValidationError):
        clear(case, plain.id)
