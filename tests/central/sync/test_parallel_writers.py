"""Exactly-once push and no-skip pull with several API processes writing in parallel.

PostgreSQL only (SQLite has one writer at a time): `fieldcase-central serve --workers N`
over one database, laptops pushing batches of new contacts at once (resending what a
busy server did not answer), and every officer's laptop pulling rounds all the while.
Every mutation must be applied exactly once, and every reader must be served each new
contact of its cases exactly once: none skipped by a late commit, none twice.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from central.db import transaction
from central.tables import applied_mutations, records
from tests.central.sync.conftest import World
from tests.central.sync.http_server import register_laptop
from tests.central.sync.laptops import Laptop, Reader, push_contacts, read_while, serving

pytestmark = pytest.mark.postgres


def _laptops(world: World, per_officer: int) -> list[Laptop]:
    made: list[Laptop] = []
    with transaction(world.engine) as conn:
        for name in world.seed.officers:
            for n in range(per_officer):
                device = f"00000000-0000-4000-8000-{len(made):012d}"
                register_laptop(conn, device, name)
                crns = world.caseload(name)
                made.append(Laptop(name, device, crns[n % 2 :] + crns[: n % 2]))
    return made


def _check(world: World, workers: int, pushers: int, batches: int, size: int) -> None:
    if world.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    laptops = _laptops(world, pushers + 1)
    readers = [Reader(laptop) for laptop in laptops[:: pushers + 1]]
    writers = [laptop for laptop in laptops if laptop not in [r.laptop for r in readers]]
    with serving(world.url, workers) as base:
        read_while(base, readers, threading.Event())  # first syncs: whole cases
        running = threading.Event()
        running.set()
        pushed_box = []

        def push() -> None:
            try:
                pushed_box.append(push_contacts(base, writers, batches, size))
            finally:
                running.clear()

        pusher = threading.Thread(target=push)
        pusher.start()
        rounds = read_while(base, readers, running)
        pusher.join()
    (pushed,) = pushed_box

    total = len(writers) * batches * size
    assert pushed.statuses == {"applied": total}
    new_ids = {i for ids in pushed.contacts.values() for i in ids}
    with world.engine.connect() as conn:
        stored = conn.execute(
            select(func.count()).select_from(records).where(records.c.id.in_(sorted(new_ids)))
        ).scalar_one()
        results = conn.execute(select(func.count()).select_from(applied_mutations)).scalar_one()
    assert (len(new_ids), stored, results) == (total, total, total)  # each applied once
    assert min(rounds) > 1  # the readers pulled while the writers wrote
    for reader in readers:
        mine = set(world.caseload(reader.laptop.username))
        expected = {i for crn in mine for i in pushed.contacts.get(crn, set())}
        assert expected - reader.ids == set(), "a committed contact was never served"
        assert max(reader.served.values()) == 1, "a change was served twice"


def test_several_api_processes_write_in_parallel_exactly_once_no_skip(world: World) -> None:
    _check(world, workers=2, pushers=2, batches=4, size=25)


@pytest.mark.slow
def test_six_api_processes_ten_thousand_mutations_exactly_once_no_skip(world: World) -> None:
    _check(world, workers=6, pushers=4, batches=42, size=20)
