"""The promise of shared semantics: with nothing changed centrally, the laptop's optimistic
apply and the server's re-run give identical effects, for every mutation."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from domain.mutations import MUTATIONS
from domain.semantics import apply_mutation
from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY

MONDAY = dt.date(2026, 11, 16)


def _version(case: Case, kind: str, record_id: uuid.UUID) -> int:
    return case.store.records[(kind, record_id)].version  # type: ignore[index]


def _outcome_args(case: Case) -> dict[str, Any]:
    appointment = case.appointment(MONDAY)
    return {
        "contact_id": str(appointment.id),
        "outcome_code": "UAAB",
        "enforcement_code": "EA08",
        "notes": "Did not attend.",
        "base_version": _version(case, "contact", appointment.id),
    }


def _correct_args(case: Case) -> dict[str, Any]:
    appointment = case.appointment(MONDAY, outcome_code="AFTA", attended=False)
    return {
        "contact_id": str(appointment.id),
        "outcome_code": "AAME",
        "reason": "Doctor's note.",
        "base_version": _version(case, "contact", appointment.id),
    }


def _reschedule_args(case: Case) -> dict[str, Any]:
    appointment = case.appointment(TODAY + dt.timedelta(days=2))
    return {
        "contact_id": str(appointment.id),
        "new_contact_id": str(uuid.uuid4()),
        "requested_by": "service",
        "date": "2026-11-27",
        "start_time": "09:00",
        "end_time": "09:45",
        "base_version": _version(case, "contact", appointment.id),
    }


EXAMPLES: dict[str, Callable[[Case], dict[str, Any]]] = {
    "record_contact": lambda case: {
        "contact_id": str(uuid.uuid4()),
        "crn": CRN,
        "type_code": "CHVS",
        "date": MONDAY.isoformat(),
        "start_time": "14:00",
        "end_time": "14:30",
        "event_id": str(case.event.id),
        "outcome_code": "AFTC",
        "enforcement_code": "EA02",
    },
    "arrange_appointment": lambda case: {
        "contact_id": str(uuid.uuid4()),
        "crn": CRN,
        "type_code": "COAP",
        "date": "2026-11-21",
        "start_time": "10:00",
        "end_time": "11:00",
        "event_id": str(case.event.id),
        "location_code": "N07OFF1",
        "repeat": {"frequency": "weekly", "count": 6},
    },
    "record_outcome": _outcome_args,
    "correct_outcome": _correct_args,
    "reschedule_appointment": _reschedule_args,
    "append_contact_note": lambda case: {
        "contact_id": str(case.appointment(MONDAY).id),
        "text": "Phoned to check in.",
        "sensitive": True,
    },
    "update_contact_details": lambda case: {
        "crn": CRN,
        "mobile": "07700 900123",
        "email": "",
        "base_version": _version(case, "person", case.person.id),
    },
    "update_address": lambda case: {
        "address_id": str(uuid.uuid4()),
        "crn": CRN,
        "status": "main",
        "street_name": "Station Road",
        "postcode": "ls1 4ap",
    },
    "pin_case": lambda case: {"crn": CRN},
    "unpin_case": lambda case: {"crn": CRN},
    "case_viewed": lambda case: {"crn": CRN, "viewed_at": "2026-11-14T09:30:00+00:00"},
    "attach_documents": lambda case: {
        "crn": CRN,
        "contact_id": str(case.appointment(MONDAY).id),
        "documents": [
            {
                "document_id": str(uuid.uuid4()),
                "name": "gp-letter.pdf",
                "media_type": "application/pdf",
                "size": 1234,
                "sha256": "a" * 64,
            }
        ],
    },
    "document_viewed": lambda case: {
        "crn": CRN,
        "document_id": str(uuid.uuid4()),
        "viewed_at": "2026-11-14T09:30:00+00:00",
    },
    "briefing_saved": lambda case: {
        "crn": CRN,
        "saved_at": "2026-11-14T08:15:00+00:00",
        "medium": "pdf",
    },
    "clear_alert": lambda case: {
        "crn": CRN,
        "contact_id": str(case.appointment(MONDAY, alert=True).id),
    },
    "letter_produced": lambda case: {
        "crn": CRN,
        "contact_id": str(case.appointment(MONDAY).id),
        "output": "pdf",
        "produced_at": "2026-11-14T09:30:00+00:00",
    },
}


def test_every_mutation_has_an_example() -> None:
    assert set(EXAMPLES) == set(MUTATIONS)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_client_and_server_agree(case: Case, name: str) -> None:
    args = EXAMPLES[name](case)
    mutation_id = uuid.uuid4()
    client, server = (
        apply_mutation(
            name,
            1,
            args,
            mutation_id=mutation_id,
            actor=OFFICER,
            reader=case.store,
            today=TODAY,
            now=NOW,
            detect_conflicts=detect,
        )
        for detect in (False, True)
    )
    assert client == server
    assert server.conflicts == ()
    assert server.upserts or server.pins or server.unpins or server.audit


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_applying_twice_changes_nothing_more(case: Case, name: str) -> None:
    """A create is a no-op the second time; an edit's second run leaves equal data (appends
    aside, which the exactly-once push keeps from running twice)."""
    args = EXAMPLES[name](case)
    mutation_id = uuid.uuid4()
    case.store.apply(name, args, mutation_id=mutation_id)
    snapshot = {key: dict(r.data) for key, r in case.store.records.items()}
    if name in {"append_contact_note", "correct_outcome"}:
        return  # appends by design; correcting to the same outcome is refused
    args = {**args, "notes": ""} if name == "record_outcome" else args  # its notes append
    again = case.store.apply(name, args, mutation_id=mutation_id, detect=False)
    assert {key: dict(r.data) for key, r in case.store.records.items()} == snapshot
    assert all(not u.created for u in again.upserts)
