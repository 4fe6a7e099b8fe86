"""Two officers' laptops against the real central service, through the chaos proxy.

A Hypothesis state machine mixes offline work, field edits that may conflict,
central edits, reallocations, syncs, and crashes between the client's
transactions, while the proxy drops, delays, duplicates, truncates, resets and
loses answers. After every step: each laptop's changes are applied exactly once
and in order (the server's own table says so), nothing committed locally is
lost, every conflict or rejection the server stored is on the laptop, and a
laptop that finished a sync holds nothing outside the officer's scope. Once the
faults stop, every laptop converges to the server's view.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from central.admin import allocate
from central.sync.scope import scope_crns
from central.tables import applied_mutations
from domain.errors import FieldcaseError
from sync.api import RetryPolicy
from sync.client import SyncClient, SyncSettings
from sync.http import HttpSettings
from tests.chaos.proxy import ChaosProxy, FaultPlan, chaos_proxy
from tests.chaos.test_sync_chaos import Crash, CrashingProgress
from tests.support.stateful import explore
from tests.sync.live import PASSWORD, Live, live_central, now, record_contact_args
from tests.sync.memory_store import MemoryStore

pytestmark = pytest.mark.e2e

SETTINGS = SyncSettings(
    http=HttpSettings(connect_timeout=2, read_timeout=10),
    retry=RetryPolicy(attempts=3, initial_s=0.001, max_s=0.005),
    push_batch=3,
    pull_limit=40,
)
FAULTS: Counter[str] = Counter()


@dataclass(frozen=True)
class OfficerRef:
    username: str
    staff_code: str | None


class World:
    live: Live
    proxy: ChaosProxy


def view(store: MemoryStore) -> dict[str, dict[uuid.UUID, int]]:
    return {crn: {i: r.version for i, r in rs.items()} for crn, rs in store.cases.items()}


class Laptop:
    def __init__(self, username: str) -> None:
        self.username = username
        self.store = MemoryStore()
        self.queued: dict[int, uuid.UUID] = {}
        self.client = self.boot()

    def boot(self) -> SyncClient:
        return SyncClient(self.store, World.proxy.url, self.username, SETTINGS)

    def queue(self, name: str, args: dict[str, Any]) -> None:
        envelope = self.store.queue(name, args)
        self.queued[envelope.seq] = envelope.id


class SyncAgainstCentral(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.laptops: list[Laptop] = []
        self.officers = World.live.seed.officers[:2]

    @initialize(seed=st.integers(0, 2**16))
    def start(self, seed: int) -> None:
        World.proxy.plan = FaultPlan(seed=seed, rate=0.4)
        World.proxy.faults_on = False
        for username in self.officers:
            laptop = Laptop(username)
            laptop.client.sign_in(PASSWORD, "laptop")
            laptop.client.sync()
            self.laptops.append(laptop)
        World.proxy.faults_on = True

    def teardown(self) -> None:
        FAULTS.update(World.proxy.plan.seen)
        World.proxy.faults_on = False
        for laptop in self.laptops:
            laptop.client.close()

    # Choices among server-dependent lists are drawn as plain integers (index % len), so
    # Hypothesis's draws never depend on state shared between examples.
    @rule(who=st.integers(0, 1), picks=st.lists(st.integers(0, 999), min_size=1, max_size=3))
    def work_offline(self, who: int, picks: list[int]) -> None:
        laptop = self.laptops[who]
        held = sorted(laptop.store.cases)
        for pick in picks if held else []:
            laptop.queue("record_contact", record_contact_args(held[pick % len(held)]))

    @rule(who=st.integers(0, 1), phone=st.integers(900000, 900999))
    def edit_phone(self, who: int, phone: int) -> None:
        laptop = self.laptops[who]
        for crn in sorted(laptop.store.cases):
            people = [r for r in laptop.store.cases[crn].values() if r.kind == "person"]
            if people:
                args = {"crn": crn, "base_version": people[0].version, "phone": f"07700{phone}"}
                laptop.queue("update_contact_details", args)
                return

    @rule(who=st.integers(0, 1), phone=st.integers(900000, 900999))
    def central_edit(self, who: int, phone: int) -> None:
        office = Laptop(self.officers[who])
        office.client = SyncClient(office.store, World.live.server.url, office.username, SETTINGS)
        office.client.sign_in(PASSWORD, "office desktop")
        office.client.sync()
        crn = sorted(office.store.cases)[0]
        person = next(r for r in office.store.cases[crn].values() if r.kind == "person")
        office.queue(
            "update_contact_details",
            {"crn": crn, "base_version": person.version, "phone": f"07700{phone}"},
        )
        office.client.sync()
        office.client.close()

    @rule(source=st.integers(0, 1), pick=st.integers(0, 999))
    def reallocate(self, source: int, pick: int) -> None:
        seed = World.live.seed
        limited = set(seed.exclusions) | set(seed.restrictions)
        giver, taker = self.officers[source], self.officers[1 - source]
        with World.live.admin() as conn:
            owned = sorted(scope_crns(conn, OfficerRef(giver, seed.staff_codes[giver])) - limited)
            if owned:
                crn = owned[pick % len(owned)]
                allocate(conn, crn, seed.staff_codes[taker], now=now(), by="admin")

    @rule(who=st.integers(0, 1))
    def sync(self, who: int) -> None:
        laptop = self.laptops[who]
        with contextlib.suppress(FieldcaseError):
            laptop.client.sync()
            assert set(laptop.store.cases) <= self.scope(laptop.username)

    @rule(who=st.integers(0, 1), after=st.integers(0, 5))
    def crash_during_sync(self, who: int, after: int) -> None:
        laptop = self.laptops[who]
        with contextlib.suppress(FieldcaseError, Crash):
            laptop.client.sync(CrashingProgress(after))
        laptop.client.close()
        laptop.client = laptop.boot()

    @rule()
    def faults_stop_and_laptops_converge(self) -> None:
        World.proxy.faults_on = False
        for _ in range(2):
            for laptop in self.laptops:
                laptop.client.sync()
        for laptop in self.laptops:
            assert laptop.store.pending_count() == 0
            fresh = MemoryStore()
            reference = SyncClient(fresh, World.live.server.url, laptop.username, SETTINGS)
            reference.sign_in(PASSWORD, "reference")
            reference.sync()
            reference.close()
            assert view(laptop.store) == view(fresh)
        World.proxy.faults_on = True

    def scope(self, username: str) -> set[str]:
        code = World.live.seed.staff_codes[username]
        with World.live.engine.connect() as conn:
            return scope_crns(conn, OfficerRef(username, code))

    @invariant()
    def exactly_once_in_order_nothing_lost(self) -> None:
        for laptop in self.laptops:
            with World.live.engine.connect() as conn:
                rows = conn.execute(
                    sqlalchemy.select(
                        applied_mutations.c.seq,
                        applied_mutations.c.mutation_id,
                        applied_mutations.c.status,
                    )
                    .where(applied_mutations.c.client_id == str(laptop.store.client_id()))
                    .order_by(applied_mutations.c.seq)
                ).all()
            assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
            for row in rows:
                assert str(laptop.queued[row.seq]) == str(row.mutation_id)
            pending = {m.seq for m in laptop.store.next_outbox_batch(10**6)}
            assert pending | set(laptop.store.results) == set(laptop.queued)
            stored = {r.seq: r.status for r in rows}
            for seq, result in laptop.store.results.items():
                assert stored[seq] == result.status  # conflicts and rejections kept as stored


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('stateful')}/central.db"
    else:
        admin_url: str = request.getfixturevalue("postgres_admin_url")
        name = f"stateful_{uuid.uuid4().hex[:10]}"
        engine = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    with live_central(url) as live, chaos_proxy(live.server.url, FaultPlan()) as proxy:
        World.live, World.proxy = live, proxy
        yield request.param


def _run(examples: int, steps: int, *, derandomize: bool) -> None:
    FAULTS.clear()
    explore(SyncAgainstCentral, examples, steps, derandomize=derandomize)
    # Faults did happen, among them an answer lost after the server committed (the
    # fault exactly-once exists for; it is also forced in test_sync_e2e.py). The fates
    # are drawn from a seeded plan, so the kinds seen are fixed for a given world.
    assert FAULTS["lose_response"] >= 1, FAULTS
    assert len(set(FAULTS) - {"pass"}) >= 3, FAULTS


@pytest.mark.allow_warnings
def test_laptops_and_central_under_chaos(world: str) -> None:
    # PostgreSQL answers more slowly here; SQLite carries more of the exploration.
    _run(examples=8 if world == "sqlite" else 4, steps=15, derandomize=True)


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.allow_warnings
def test_laptops_and_central_under_chaos_long(world) -> None:
    _run(examples=150, steps=40, derandomize=False)
