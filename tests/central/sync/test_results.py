"""`POST /v1/sync/results`: the stored results of seqs a laptop never heard back about."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from central.sync.results import stored_results_since
from sync.protocol import PROTOCOL_VERSION, ResultsRequest, ResultsResponse
from tests.central.sync.conftest import Officer, World, contact_args
from tests.central.sync.http_server import running_server
from tests.central.sync.test_router import Laptop, _problem


@pytest.fixture
def base_url(world: World) -> Iterator[str]:
    with running_server(world.url) as url:
        yield url


def ask(officer: Officer, after: int, up_to: int) -> ResultsResponse:
    request = ResultsRequest(
        protocol_version=PROTOCOL_VERSION,
        client_id=officer.client_id,
        after_seq=after,
        up_to_seq=up_to,
    )
    return stored_results_since(officer.world.engine, str(officer.client_id), request)


def test_results_are_the_stored_ones_with_their_ids_in_seq_order(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)
    crn = world.plain_case(name)
    sent = [officer.envelope("record_contact", contact_args(crn)) for _ in range(5)]
    sent.append(officer.envelope("record_contact", {"crn": crn}))  # malformed: rejected
    pushed = officer.send(*sent)

    answer = ask(officer, 2, 6)

    assert answer.last_applied_seq == 6
    assert [s.result for s in answer.results] == pushed.results[2:]  # replayed verbatim
    assert [s.mutation_id for s in answer.results] == [m.id for m in sent[2:]]
    assert answer.results[-1].result.status == "rejected"


def test_results_stop_at_what_was_applied_and_what_was_asked(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)
    crn = world.plain_case(name)
    officer.send(*[officer.envelope("record_contact", contact_args(crn)) for _ in range(4)])

    assert [s.result.seq for s in ask(officer, 0, 2).results] == [1, 2]
    assert [s.result.seq for s in ask(officer, 1, 99).results] == [2, 3, 4]
    assert ask(officer, 4, 9).results == []
    assert ask(world.officer(world.seed.officers[1]), 0, 4).results == []  # another laptop's


def test_a_change_that_reused_an_id_has_no_id_of_its_own(world: World) -> None:
    name = world.seed.officers[0]
    officer = world.officer(name)
    crn = world.plain_case(name)
    first = officer.envelope("record_contact", contact_args(crn))
    again = first.model_copy(update={"seq": 2})
    officer.send(first, again)

    stored = ask(officer, 0, 2).results

    assert stored[0].mutation_id == first.id
    assert (stored[1].mutation_id, stored[1].result.code) == (None, "duplicate_mutation_id")


def test_the_endpoint_answers_only_for_the_callers_own_device(world: World, base_url: str) -> None:
    name = world.seed.officers[0]
    laptop = Laptop(base_url, world.officer(name))
    crn = world.plain_case(name)
    laptop.push(laptop.mutation(1, "record_contact", contact_args(crn)))

    def results(client_id: str, after: int = 0, up_to: int = 1) -> Any:
        body = {
            "protocol_version": PROTOCOL_VERSION,
            "client_id": client_id,
            "after_seq": after,
            "up_to_seq": up_to,
        }
        return laptop.post("/v1/sync/results", body)

    answer = ResultsResponse.model_validate_json(results(laptop.client_id, 0, 1).content)
    assert [s.result.seq for s in answer.results] == [1]
    other = world.officer(world.seed.officers[1]).principal.device_id
    assert _problem(results(other), 403)["code"] == "wrong_client"
    assert _problem(results(laptop.client_id, 2**63, 2**64), 422)["code"]  # never a 500
    assert results(laptop.client_id, 2**62, 2**62).json()["results"] == []
