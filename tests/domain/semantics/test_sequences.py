"""Random sequences of an officer's work, applied by the laptop (optimistic) and by the server
(detecting conflicts) from the same start: with nobody else editing there is never a conflict,
and both end with the same records."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.contacts import Contact
from domain.errors import FieldcaseError
from domain.semantics import apply_mutation
from tests.domain.semantics.conftest import CRN, Case, make_case
from tests.domain.semantics.memory_store import NOW, OFFICER, TODAY, MemoryStore

OUTCOMES = ["ATTC", "AFTC", "UAAB", "AFTA", "AAME", "ATSS"]
ENFORCEMENT = [None, "EA02", "EA08", "IBR", "NFA"]


def _appointments(store: MemoryStore) -> list[Contact]:
    rows = [Contact.model_validate(r.data) for r in store.records.values() if r.kind == "contact"]
    return sorted((c for c in rows if c.type_code == "COAP"), key=lambda c: str(c.id))


def _step(
    case: Case, store: MemoryStore, op: str, pick: int, code: int
) -> tuple[str, dict[str, Any]]:
    apps = _appointments(store)
    if op in {"outcome", "correct"}:  # outcomes belong on today's appointments
        apps = [a for a in apps if a.date <= TODAY] or apps
    target = apps[pick % len(apps)] if apps else None
    version = store.records[("contact", target.id)].version if target else 0
    if op == "arrange" or target is None:
        day = TODAY + dt.timedelta(days=0 if pick % 2 else pick % 20)
        return "arrange_appointment", {
            "contact_id": str(uuid.UUID(int=pick * 7919 + code + 1)),
            "crn": CRN,
            "type_code": "COAP",
            "date": day.isoformat(),
            "start_time": f"{9 + code % 8:02d}:00",
            "end_time": f"{9 + code % 8:02d}:45",
            "event_id": str(case.event.id),
            "location_code": "N07OFF1",
        }
    if op == "outcome":
        return "record_outcome", {
            "contact_id": str(target.id),
            "outcome_code": OUTCOMES[code % len(OUTCOMES)],
            "enforcement_code": ENFORCEMENT[pick % len(ENFORCEMENT)],
            "base_version": version,
        }
    if op == "correct":
        return "correct_outcome", {
            "contact_id": str(target.id),
            "outcome_code": OUTCOMES[code % len(OUTCOMES)],
            "reason": "Evidence.",
            "base_version": version,
        }
    if op == "note":
        return "append_contact_note", {"contact_id": str(target.id), "text": f"Note {code}."}
    return "reschedule_appointment", {
        "contact_id": str(target.id),
        "new_contact_id": str(uuid.UUID(int=10**6 + pick * 31 + code)),
        "requested_by": "person" if code % 2 else "service",
        "date": (TODAY + dt.timedelta(days=1 + code % 9)).isoformat(),
        "start_time": "16:00",
        "end_time": "16:30",
        "base_version": version,
    }


def _run(store: MemoryStore, name: str, args: dict[str, Any], mutation_id: uuid.UUID, detect: bool):
    try:
        effects = apply_mutation(
            name,
            1,
            args,
            mutation_id=mutation_id,
            actor=OFFICER,
            reader=store,
            today=TODAY,
            now=NOW,
            detect_conflicts=detect,
        )
    except FieldcaseError as refused:
        return type(refused).__name__
    store.write(effects)
    return effects


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["arrange", "outcome", "correct", "note", "reschedule"]),
            st.integers(0, 50),
            st.integers(0, 50),
        ),
        max_size=12,
    )
)
def test_no_conflicts_without_concurrent_edits(steps: list[tuple[str, int, int]]) -> None:
    case = make_case()
    laptop, server = case.store, copy.deepcopy(case.store)
    for number, (op, pick, code) in enumerate(steps):
        name, args = _step(case, laptop, op, pick, code)
        mutation_id = uuid.UUID(int=number + 1)
        mine = _run(laptop, name, args, mutation_id, detect=False)
        theirs = _run(server, name, args, mutation_id, detect=True)
        assert mine == theirs
        assert isinstance(theirs, str) or theirs.conflicts == ()
    assert {k: r.data for k, r in laptop.records.items()} == {
        k: r.data for k, r in server.records.items()
    }


PHONES = st.sampled_from(["01632960001", "01632960111", "07700900222", ""])
DETAILS = st.fixed_dictionaries(
    {},
    optional={
        "phone": PHONES,
        "mobile": PHONES,
        "email": st.sampled_from(["testy@example.com", "a@example.org", ""]),
        "allow_sms": st.booleans(),
    },
)


@settings(max_examples=60, deadline=None)
@given(central=DETAILS, mine=DETAILS)
def test_concurrent_detail_edits_merge_field_by_field(
    central: dict[str, Any], mine: dict[str, Any]
) -> None:
    """Nothing is lost or resolved silently: each field the officer changed is either theirs
    in the end, or a conflict showing both values; central changes they did not touch stay."""
    case = make_case()
    store = case.store
    base = store.records[("person", case.person.id)].version
    before = dict(store.records[("person", case.person.id)].data)
    store.apply("update_contact_details", {"crn": CRN, "base_version": base, **central})
    middle = dict(store.records[("person", case.person.id)].data)
    effects = store.apply("update_contact_details", {"crn": CRN, "base_version": base, **mine})
    final = store.records[("person", case.person.id)].data
    conflicts = {c.field: c for c in effects.conflicts}
    for field, value in mine.items():
        if middle[field] != before[field] and middle[field] != value:
            assert (conflicts[field].yours, conflicts[field].central) == (value, middle[field])
            assert final[field] == middle[field]
        else:
            assert field not in conflicts
            assert final[field] == value
    for field in set(central) - set(mine):
        assert final[field] == middle[field]


ADDRESS = st.fixed_dictionaries(
    {},
    optional={
        "town": st.sampled_from(["Leeds", "York", ""]),
        "postcode": st.sampled_from(["LS1 4AP", "YO1 7HH", "ZZ1 1ZZ"]),
        "notes": st.sampled_from(["Ring twice.", "Dog in garden.", ""]),
        "no_fixed_abode": st.booleans(),
    },
)


@settings(max_examples=60, deadline=None)
@given(central=ADDRESS, mine=ADDRESS)
def test_concurrent_address_edits_merge_field_by_field(
    central: dict[str, Any], mine: dict[str, Any]
) -> None:
    case = make_case()
    store, key = case.store, ("address", case.address.id)
    base = store.records[key].version
    ids = {"address_id": str(case.address.id), "crn": CRN, "base_version": base}
    before = dict(store.records[key].data)
    store.apply("update_address", {**ids, **central})
    middle = dict(store.records[key].data)
    effects = store.apply("update_address", {**ids, **mine})
    final = store.records[key].data
    conflicts = {c.field: c for c in effects.conflicts}
    for field, value in mine.items():
        if middle[field] != before[field] and middle[field] != value:
            assert conflicts[field].central == middle[field]
            assert final[field] == middle[field]
        else:
            assert field not in conflicts
            assert final[field] == value
    assert set(conflicts) <= set(mine)
