"""A push batch commits together on PostgreSQL too: one transaction (in parts of at most
`MAX_BATCH_TRANSACTION`), the batch's cases locked up front, and a deadlock run once
more, then answered busy."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.exc import OperationalError

from central.db import is_sqlite
from central.sync import group, push
from central.sync.batch import BatchRecords
from central.sync.feed import lock_cases
from central.tables import records
from tests.central.sync.conftest import World, contact_args


def _txids(world: World, ids: list[str]) -> list[int]:
    with world.engine.connect() as conn:
        query = select(records.c.txid).where(records.c.id.in_(ids)).order_by(records.c.version)
        return [int(str(t)) for t in conn.execute(query).scalars()]


def _postgres_only(world: World) -> None:
    if is_sqlite(world.engine):
        pytest.skip("SQLite has always committed a batch together (one writer)")


def test_a_batch_commits_in_one_transaction_in_parts_of_the_cap(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every record a batch writes carries one txid; past the cap, one per part."""
    _postgres_only(world)
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(10)]

    assert [r.status for r in officer.send(*batch).results] == ["applied"] * 10
    assert len(set(_txids(world, [str(e.args["contact_id"]) for e in batch]))) == 1

    monkeypatch.setattr(push, "MAX_BATCH_TRANSACTION", 3)
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(7)]
    response = officer.send(*batch)

    assert response.last_applied_seq == 17
    txids = _txids(world, [str(e.args["contact_id"]) for e in batch])
    assert [txids.count(t) for t in sorted(set(txids))] == [3, 3, 1]


def test_a_rejected_mutation_mid_batch_keeps_those_around_it(world: World) -> None:
    """The queue moves on past a permanent failure, and the mutations before and after
    it in the same transaction are applied and stored with it."""
    officer = world.officer(world.seed.officers[0])
    mine = world.plain_case(officer.principal.username)
    theirs = world.plain_case(world.seed.officers[1])
    batch = [
        officer.envelope("record_contact", contact_args(mine)),
        officer.envelope("record_contact", contact_args(theirs)),
        officer.envelope("record_contact", contact_args(mine)),
    ]

    response = officer.send(*batch)

    assert [(r.status, r.code) for r in response.results] == [
        ("applied", None),
        ("rejected", "out_of_scope"),
        ("applied", None),
    ]
    assert response.last_applied_seq == 3
    ids = {str(r.id) for r in world.records_of(mine, "contact")}
    assert {str(batch[0].args["contact_id"]), str(batch[2].args["contact_id"])} <= ids
    assert officer.send(*batch).results == response.results  # answered from stored results


def _deadlock() -> OperationalError:
    class DeadlockDetected(Exception):
        sqlstate = "40P01"

    return OperationalError("SELECT pg_advisory_xact_lock", {}, DeadlockDetected())


@pytest.mark.parametrize("failures", [1, 2])
def test_a_deadlocked_batch_runs_once_more_then_is_answered_busy(
    world: World, monkeypatch: pytest.MonkeyPatch, failures: int
) -> None:
    """PostgreSQL aborts one of two deadlocked transactions: nothing of it is kept; the
    server runs it again once, and a second deadlock reaches the laptop as busy (the
    router's 503), which resends. Every mutation is applied exactly once."""
    _postgres_only(world)
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    before = len(world.records_of(crn, "contact"))
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(4)]
    real = group.GroupBatch.apply
    aborted: list[int] = []

    def apply(self: group.GroupBatch, env: Any) -> Any:
        result = real(self, env)
        if env.seq == 3 and len(aborted) < failures:
            aborted.append(env.seq)
            raise _deadlock()
        return result

    monkeypatch.setattr(group.GroupBatch, "apply", apply)
    if failures == 1:
        response = officer.send(*batch)
    else:
        with pytest.raises(OperationalError):
            officer.send(*batch)
        assert len(world.records_of(crn, "contact")) == before  # nothing half-applied
        response = officer.send(*batch)  # the laptop's resend

    assert [r.status for r in response.results] == ["applied"] * 4
    assert len(world.records_of(crn, "contact")) == before + 4


def test_a_real_deadlock_is_one_the_server_runs_again(world: World) -> None:
    """Case locks taken in opposite orders by two transactions: PostgreSQL aborts one with
    the error `push` treats as transient (so it is run again, not failed)."""
    _postgres_only(world)
    engine = create_engine(world.url)
    start = threading.Barrier(2)
    errors: list[OperationalError] = []

    def lock(first: str, second: str) -> None:
        try:
            with engine.begin() as conn:
                _lock_one(conn, first)
                start.wait(10)
                _lock_one(conn, second)
        except OperationalError as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=lock, args=("X000001", "X000002")),
        threading.Thread(target=lock, args=("X000002", "X000001")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    engine.dispose()

    assert len(errors) == 1
    assert push._transient(errors[0])


def _lock_one(conn: Connection, crn: str) -> None:
    conn.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
    lock_cases(conn, [crn])


def test_two_batches_of_the_same_cases_in_opposite_orders_do_not_deadlock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's cases are locked together up front, in CRN order: two laptops
    pushing the same two cases in opposite orders queue, neither is aborted."""
    _postgres_only(world)
    owner, visitor = world.seed.officers[0], world.seed.officers[1]
    lao = set(world.seed.exclusions) | set(world.seed.restrictions)
    one, two = [crn for crn in world.caseload(owner) if crn not in lao][:2]
    laptops = [world.officer(owner), world.officer(visitor)]
    for crn in (one, two):
        assert laptops[1].push_one("pin_case", {"crn": crn}).status == "applied"
    start = threading.Barrier(2)
    answers: list[list[str]] = []
    aborted: list[OperationalError] = []
    real = push._transient

    def transient(exc: OperationalError) -> bool:
        aborted.append(exc)
        return real(exc)

    monkeypatch.setattr(push, "_transient", transient)

    def send(index: int, order: tuple[str, str]) -> None:
        laptop = laptops[index]
        for _ in range(5):
            batch = [laptop.envelope("record_contact", contact_args(crn)) for crn in order * 5]
            start.wait(30)
            answers.append([r.status for r in laptop.send(*batch).results])

    threads = [
        threading.Thread(target=send, args=(0, (one, two))),
        threading.Thread(target=send, args=(1, (two, one))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert answers == [["applied"] * 10] * 10
    assert aborted == []  # not even one run again


@pytest.mark.parametrize("found", ["up front", "while deciding"])
def test_changes_naming_a_record_by_id_alone_from_two_laptops_lose_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, found: str
) -> None:
    """A note appended to a contact names only the contact, not its case: the batch
    finds the case from the record (up front, from the records its arguments name; or
    while deciding, from what the rules read), locks it, and reads the record again
    under the lock. Two laptops appending to the same contact at once (the officer and
    a colleague who keeps the case) then queue on the case: every note lands, none
    overwrites another."""
    _postgres_only(world)
    if found == "while deciding":  # as for a record the rules reach from another
        monkeypatch.setattr(BatchRecords, "crns", lambda _self: set())
    owner, visitor = world.seed.officers[0], world.seed.officers[1]
    crn = world.plain_case(owner)
    laptops = [world.officer(owner), world.officer(visitor)]
    assert laptops[1].push_one("pin_case", {"crn": crn}).status == "applied"
    contact = laptops[0].envelope("record_contact", contact_args(crn))
    assert laptops[0].send(contact).results[0].status == "applied"
    contact_id = str(contact.args["contact_id"])
    start = threading.Barrier(2)
    answers: list[list[str]] = []

    def append(index: int) -> None:
        laptop = laptops[index]
        for round_ in range(5):
            batch = [
                laptop.envelope(
                    "append_contact_note",
                    {"contact_id": contact_id, "text": f"laptop {index} note {round_}.{n}"},
                )
                for n in range(4)
            ]
            start.wait(30)
            answers.append([r.status for r in laptop.send(*batch).results])

    threads = [threading.Thread(target=append, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert answers == [["applied"] * 4] * 10
    (stored,) = [r for r in world.records_of(crn, "contact") if r.id == contact_id]
    notes = str(stored.data["notes"])
    missing = [
        f"laptop {i} note {r}.{n}"
        for i in range(2)
        for r in range(5)
        for n in range(4)
        if f"laptop {i} note {r}.{n}" not in notes
    ]
    assert missing == []
