"""A reused seq is refused, never answered "applied" while its new content is dropped."""

from __future__ import annotations

import pytest

from central.sync.replay import SeqReused
from tests.central.sync.conftest import World, contact_args
from tests.central.sync.http_server import running_server
from tests.central.sync.test_router import Laptop


def _contacts(world: World, crn: str) -> int:
    return len(world.records_of(crn, "contact"))


def test_a_replayed_seq_with_another_mutation_is_a_protocol_violation(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    first = officer.envelope("record_contact", contact_args(crn), seq=1)
    assert officer.send(first).results[0].status == "applied"
    before = _contacts(world, crn)
    other = officer.envelope("record_contact", contact_args(crn, notes="another"), seq=1)

    with pytest.raises(SeqReused) as refused:
        officer.send(other)

    assert refused.value.code == "seq_reused"
    assert _contacts(world, crn) == before
    assert officer.send(first).results[0].status == "applied"  # an honest resend still answers


def test_a_replay_in_a_batch_with_new_work_applies_none_of_it(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    officer.send(officer.envelope("record_contact", contact_args(crn), seq=1))
    before = _contacts(world, crn)
    reused = officer.envelope("record_contact", contact_args(crn), seq=1)
    fresh = officer.envelope("record_contact", contact_args(crn), seq=2)

    with pytest.raises(SeqReused):
        officer.send(reused, fresh)

    assert _contacts(world, crn) == before


def test_two_changes_under_one_seq_in_a_batch_are_refused(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    before = _contacts(world, crn)
    one = officer.envelope("record_contact", contact_args(crn), seq=1)
    twin = officer.envelope("record_contact", contact_args(crn), seq=1)

    with pytest.raises(SeqReused) as refused:
        officer.send(one, twin)

    assert refused.value.code == "duplicate_seq"
    assert _contacts(world, crn) == before
    assert officer.send(one, one).last_applied_seq == 1  # the same change twice is harmless


def test_a_stored_clashing_id_is_still_answered_on_resend(world: World) -> None:
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    first = officer.envelope("record_contact", contact_args(crn))
    clash = officer.envelope("record_contact", contact_args(crn)).model_copy(
        update={"id": first.id}
    )
    answered = officer.send(first, clash)
    assert officer.send(first, clash).results == answered.results


def test_over_http_the_violation_is_a_409_problem_with_its_code(world: World) -> None:
    name = world.seed.officers[0]
    crn = world.plain_case(name)
    with running_server(world.url) as base:
        laptop = Laptop(base, world.officer(name))
        assert laptop.push(laptop.mutation(1, "record_contact", contact_args(crn))).is_success
        answer = laptop.push(laptop.mutation(1, "record_contact", contact_args(crn)))
    assert answer.status_code == 409
    assert answer.json()["code"] == "seq_reused"
    assert "not saved" in answer.json()["message"]
