"""Push: exactly-once per (client, seq), gaps refused, rejections stored, conflicts kept."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from central.audit import case_audit
from central.sync.push import push
from central.tables import applied_mutations, pins, records
from domain.mutations import SUPPORTED
from sync.protocol import PROTOCOL_VERSION, PushRequest
from tests.central.sync.conftest import World, contact_args


def _count(world: World, crn: str, kind: str = "contact") -> int:
    return len(world.records_of(crn, kind))


def test_applied_once_whatever_is_replayed_or_duplicated(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    before = _count(world, crn)
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(3)]

    first = officer.send(*batch)
    replay = officer.send(*batch)  # the answer was lost: the laptop sends it all again
    duplicated = officer.send(batch[1], batch[1], batch[0])  # duplicated and out of order

    assert first.last_applied_seq == replay.last_applied_seq == 3
    assert [r.status for r in first.results] == ["applied"] * 3
    assert replay.results == first.results
    assert [r.seq for r in duplicated.results] == [1, 2]
    assert _count(world, crn) == before + 3


def test_out_of_order_batch_is_applied_in_seq_order(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(3)]

    response = officer.send(batch[2], batch[0], batch[1])

    assert [r.seq for r in response.results] == [1, 2, 3]
    assert response.last_applied_seq == 3


def test_gap_refuses_it_and_everything_after(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    one, _lost, three, four = (
        officer.envelope("record_contact", contact_args(crn)) for _ in range(4)
    )
    before = _count(world, crn)

    response = officer.send(one, three, four)

    assert response.last_applied_seq == 1
    assert [r.seq for r in response.results] == [1]
    assert _count(world, crn) == before + 1


def test_gap_from_the_start_applies_nothing(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)

    response = officer.send(officer.envelope("record_contact", contact_args(crn), seq=5))

    assert (response.last_applied_seq, response.results) == (0, [])


def test_rejection_is_stored_and_does_not_block_the_queue(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    before = _count(world, crn)
    batch = [
        officer.envelope("record_contact", contact_args(crn)),
        officer.envelope("record_contact", contact_args(crn, notes="x" * 12_001)),
        officer.envelope("no_such_change", {"crn": crn}),
        officer.envelope("record_contact", contact_args(crn, type_code="NOPE")),
        officer.envelope("record_contact", contact_args(crn)),
    ]

    response = officer.send(*batch)
    replay = officer.send(*batch)

    statuses = [(r.status, r.code) for r in response.results]
    assert statuses[0] == ("applied", None)
    assert statuses[1] == ("rejected", "validation_error")
    assert statuses[2] == ("rejected", "unknown_mutation")
    assert statuses[3][0] == "rejected"
    assert statuses[4] == ("applied", None)
    assert "12,000" in (response.results[1].message or "")
    assert response.last_applied_seq == 5
    assert replay.results == response.results
    assert _count(world, crn) == before + 2


def test_out_of_scope_case_is_rejected_without_saying_why(world: World) -> None:
    me, other = world.seed.officers[0], world.seed.officers[1]
    officer = world.officer(me)
    theirs = world.plain_case(other)
    before = _count(world, theirs)

    outside = officer.push_one("record_contact", contact_args(theirs))
    missing = officer.push_one("record_contact", contact_args("Z999999"))

    assert (outside.status, outside.code) == ("rejected", "out_of_scope")
    assert outside.message == missing.message  # a stranger's case reads like no case at all
    assert _count(world, theirs) == before


def test_note_on_a_contact_of_another_case_reads_as_missing(world: World) -> None:
    """Mutations naming a record, not a case, are scoped through the reader: another
    case's record is answered exactly like one that does not exist, and is not touched."""
    me, other = world.seed.officers[0], world.seed.officers[1]
    theirs = world.plain_case(other)
    contact = world.records_of(theirs, "contact")[0]
    officer = world.officer(me)

    result = officer.push_one(
        "append_contact_note", {"contact_id": contact.id, "text": "synthetic note"}
    )
    unknown = officer.push_one(
        "append_contact_note", {"contact_id": str(uuid.uuid4()), "text": "synthetic note"}
    )

    assert result.status != "applied"
    strip = {"seq": 0, "conflicts": []}
    assert result.model_copy(update=strip) == unknown.model_copy(update=strip)
    assert [c.central for c in result.conflicts] == [None]
    after = world.records_of(theirs, "contact")
    assert next(r for r in after if r.id == contact.id).version == contact.version


def test_concurrent_edit_of_one_field_is_a_conflict(world: World) -> None:
    owner_name, visitor_name = world.seed.officers[0], world.seed.officers[1]
    crn = world.plain_case(owner_name)
    base = world.records_of(crn, "person")[0].version
    owner, visitor = world.officer(owner_name), world.officer(visitor_name)
    assert visitor.push_one("pin_case", {"crn": crn}).status == "applied"

    first = owner.push_one(
        "update_contact_details",
        {"crn": crn, "mobile": "07700 900001", "email": "a@example.com", "base_version": base},
    )
    late = visitor.envelope(
        "update_contact_details",
        {"crn": crn, "mobile": "07700 900002", "phone": "01134960000", "base_version": base},
    )
    second = visitor.send(late).results[-1]

    assert first.status == "applied"
    assert (second.status, second.code) == ("conflict", "field_conflict")
    assert [c.field for c in second.conflicts] == ["mobile"]
    conflict = second.conflicts[0]
    assert conflict.yours != conflict.central
    person = world.records_of(crn, "person")[0]
    assert person.data["mobile"] == conflict.central  # nothing resolved silently
    assert person.data["phone"] == "01134960000"  # the untouched field applied
    assert person.field_versions["phone"] == person.version
    replay = visitor.send(late)  # resent: answered from the stored result
    assert replay.results == [second]  # the stored result keeps the conflict details


def test_pins_change_scope_and_everything_is_audited(world: World) -> None:
    me, other = world.seed.officers[0], world.seed.officers[1]
    crn = world.plain_case(other)
    officer = world.officer(me)

    results = [
        officer.push_one("pin_case", {"crn": crn}),
        officer.push_one("case_viewed", {"crn": crn, "viewed_at": "2026-11-20T09:30:00Z"}),
        officer.push_one("record_contact", contact_args(crn)),
        officer.push_one("unpin_case", {"crn": crn}),
    ]

    assert [r.status for r in results] == ["applied"] * 4
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(pins)).scalar() == 0
        trail = case_audit(conn, crn)
    actions = [(e.action, e.username, e.device_id) for e in trail if e.username == me]
    device = officer.principal.device_id
    assert actions == [
        ("pin_case", me, device),
        ("case_viewed", me, device),
        ("record_contact", me, device),
        ("unpin_case", me, device),
    ]
    viewed = next(e for e in trail if e.action == "case_viewed")
    assert viewed.claimed_at is not None
    assert viewed.claimed_at.isoformat().startswith("2026-11-20T09:30")  # viewed offline then
    assert viewed.at > viewed.claimed_at  # the entry's own time is the server's receipt


def test_too_old_mutation_version_asks_for_an_upgrade_and_keeps_the_outbox(
    world: World,
) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    good = officer.envelope("record_contact", contact_args(crn))
    newer = officer.envelope("record_contact", contact_args(crn)).model_copy(update={"version": 9})

    response = officer.send(good, newer)

    assert response.last_applied_seq == 1  # held, not rejected: nothing is lost
    assert response.action is None
    with world.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(applied_mutations)).scalar()
    assert stored == 1


def test_reused_mutation_id_is_rejected_not_applied_twice(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    first = officer.envelope("record_contact", contact_args(crn))
    clash = officer.envelope("record_contact", contact_args(crn)).model_copy(
        update={"id": first.id}
    )
    before = _count(world, crn)

    response = officer.send(first, clash)

    assert [(r.status, r.code) for r in response.results] == [
        ("applied", None),
        ("rejected", "duplicate_mutation_id"),
    ]
    assert _count(world, crn) == before + 1


def test_each_record_gets_its_own_feed_version(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    with world.engine.connect() as conn:
        top = conn.execute(select(func.max(records.c.version))).scalar_one()
    series = contact_args(crn, start_time="10:00", end_time="11:00", type_code="COAP")
    series["date"] = "2030-01-07"
    series["repeat"] = {"frequency": "weekly", "count": 3}
    series["location_code"] = world.office_code()
    series["event_id"] = world.records_of(crn, "event")[0].id

    result = officer.push_one("arrange_appointment", series)

    assert result.status == "applied", result.message
    with world.engine.connect() as conn:
        versions = sorted(
            conn.execute(select(records.c.version).where(records.c.version > top)).scalars()
        )
    assert versions == list(range(top + 1, top + 1 + len(versions)))
    assert len(versions) >= 3


def test_push_request_for_another_client_is_direct_call_safe(world: World) -> None:
    """A new client id is registered on first contact with last_applied_seq 0."""
    officer = world.officer(world.seed.officers[0])
    request = PushRequest(
        protocol_version=PROTOCOL_VERSION,
        client_id=uuid.UUID(officer.principal.device_id),
        mutations=[],
    )
    assert push(world.engine, officer.principal, request).last_applied_seq == 0


def test_a_mutation_version_no_longer_spoken_asks_for_an_upgrade(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    first = officer.envelope("case_viewed", {"crn": crn, "viewed_at": "2026-11-20T09:00:00Z"})
    old = officer.envelope("record_contact", contact_args(crn))
    monkeypatch.setitem(SUPPORTED, "record_contact", (2,))  # this server moved on to v2
    before = _count(world, crn)

    response = officer.send(first, old)

    assert response.action is not None
    assert response.action.kind == "upgrade_required"
    assert (response.last_applied_seq, [r.seq for r in response.results]) == (1, [1])
    assert _count(world, crn) == before  # kept in the laptop's outbox, not rejected
