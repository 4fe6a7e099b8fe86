"""Two officers' laptops, central edits and reallocations, crashes, and a hostile network.

A Hypothesis state machine drives clients through the chaos proxy to a central
service, and after every step checks what the officers rely on: each change
applied exactly once and in order, nothing lost after the local commit, no
conflict lost silently, no case kept outside the officer's scope after a
successful sync, and, once the faults stop, every laptop equal to the server.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from domain.errors import FieldcaseError
from sync.api import RetryPolicy
from sync.client import SyncClient, SyncSettings
from sync.http import HttpSettings
from sync.progress import Progress
from tests.chaos.proxy import ChaosProxy, FaultPlan, chaos_proxy
from tests.sync.fake_central import Central, serve
from tests.sync.memory_store import MemoryStore

USERS = ("officer1", "officer2")
CRNS = tuple(f"X{300000 + i}" for i in range(6))
SETTINGS = SyncSettings(
    http=HttpSettings(connect_timeout=1, read_timeout=5),
    retry=RetryPolicy(attempts=3, initial_s=0.001, max_s=0.005),
    push_batch=3,
    pull_limit=4,
)


FAULTS_SEEN: Counter[str] = Counter()


class Crash(Exception):
    """The laptop died here: everything not committed is gone."""


class CrashingProgress(Progress):
    """Crashes the client after `after` progress reports (i.e. between transactions)."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.left = after

    def update(self, phase: str, done: int, total: int | None = None) -> None:
        self.left -= 1
        if self.left < 0:
            raise Crash
        super().update(phase, done, total)


@contextlib.contextmanager
def world(seed: int) -> Iterator[tuple[Central, ChaosProxy]]:
    central = Central()
    for index, crn in enumerate(CRNS):
        central.put(crn, uuid.uuid4(), {"n": index})
    central.scope = {user: set() for user in USERS}
    for index, crn in enumerate(CRNS):
        central.scope[USERS[index % 2]].add(crn)
    for user in USERS:
        central.passwords[user] = "pw"
    with serve(central) as url, chaos_proxy(url, FaultPlan(seed=seed, rate=0.35)) as proxy:
        yield central, proxy


class Laptop:
    def __init__(self, user: str, url: str) -> None:
        self.user = user
        self.url = url
        self.store = MemoryStore()
        self.queued: dict[int, uuid.UUID] = {}  # seq -> mutation id, committed locally
        self.client = self.boot()

    def boot(self) -> SyncClient:
        """(Re)start the app on the same on-disk cache and credential store."""
        return SyncClient(self.store, self.url, self.user, SETTINGS)


class SyncChaos(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._stack = contextlib.ExitStack()
        self.central: Central
        self.proxy: ChaosProxy
        self.laptops: list[Laptop] = []

    @initialize(seed=st.integers(0, 2**16))
    def start(self, seed: int) -> None:
        self.central, self.proxy = self._stack.enter_context(world(seed))
        self.proxy.faults_on = False
        for user in USERS:
            laptop = Laptop(user, self.proxy.url)
            laptop.client.sign_in("pw", "laptop")
            self.laptops.append(laptop)
        self.proxy.faults_on = True

    def teardown(self) -> None:
        if self.laptops:
            FAULTS_SEEN.update(self.proxy.plan.seen)
        for laptop in self.laptops:
            laptop.client.close()
        self._stack.close()

    @rule(who=st.integers(0, 1), crn=st.sampled_from(CRNS), n=st.integers(1, 4))
    def work_offline(self, who: int, crn: str, n: int) -> None:
        laptop = self.laptops[who]
        for _ in range(n):
            envelope = laptop.store.queue(
                "add_record", {"crn": crn, "record_id": str(uuid.uuid4())}
            )
            laptop.queued[envelope.seq] = envelope.id

    @rule(who=st.integers(0, 1))
    def edit_a_field(self, who: int) -> None:
        laptop = self.laptops[who]
        for crn, records in sorted(laptop.store.cases.items()):
            record = next(iter(records.values()))
            args = {
                "crn": crn,
                "record_id": str(record.id),
                "field": "phone",
                "value": laptop.user,
                "base_version": record.version,
            }
            envelope = laptop.store.queue("set_field", args)
            laptop.queued[envelope.seq] = envelope.id
            return

    @rule(crn=st.sampled_from(CRNS))
    def central_edit(self, crn: str) -> None:
        with self.central.lock:
            record_id = next(iter(self.central.records[crn]))
            self.central.put(crn, record_id, {"phone": "central"})

    @rule(crn=st.sampled_from(CRNS))
    def reallocate(self, crn: str) -> None:
        with self.central.lock:
            for user in USERS:
                if crn in self.central.scope[user]:
                    self.central.scope[user].discard(crn)
                    self.central.scope[USERS[1 - USERS.index(user)]].add(crn)
                    return

    @rule(who=st.integers(0, 1))
    def sync(self, who: int) -> None:
        laptop = self.laptops[who]
        with contextlib.suppress(FieldcaseError):
            laptop.client.sync()
            self.check_scope(laptop)

    @rule(who=st.integers(0, 1), after=st.integers(0, 6))
    def crash_during_sync(self, who: int, after: int) -> None:
        laptop = self.laptops[who]
        with contextlib.suppress(FieldcaseError, Crash):
            laptop.client.sync(CrashingProgress(after))
        laptop.client.close()
        laptop.client = laptop.boot()

    @precondition(lambda self: self.laptops)
    @invariant()
    def exactly_once_in_order(self) -> None:
        for laptop in self.laptops:
            cid = laptop.store.client_id()
            applied = [(seq, mid) for c, seq, mid in self.central.applied if c == cid]
            assert [seq for seq, _ in applied] == list(range(1, len(applied) + 1))
            for seq, mid in applied:
                assert laptop.queued[seq] == mid  # the mutation committed locally, once

    @precondition(lambda self: self.laptops)
    @invariant()
    def nothing_lost_nothing_silent(self) -> None:
        for laptop in self.laptops:
            cid = laptop.store.client_id()
            pending = {m.seq for m in laptop.store.next_outbox_batch(10**6)}
            assert pending | set(laptop.store.results) == set(laptop.queued)
            for seq, result in laptop.store.results.items():
                assert self.central.results[(cid, seq)] == result  # conflicts kept as sent

    def check_scope(self, laptop: Laptop) -> None:
        with self.central.lock:
            allowed = set(self.central.scope[laptop.user])
        # After a successful sync only cases in scope are held (reallocation evicts).
        assert set(laptop.store.cases) <= allowed

    def converge(self) -> None:
        self.proxy.faults_on = False
        for laptop in self.laptops:
            laptop.client.sync()
            laptop.client.sync()  # a second pass picks up the other laptop's changes
        for laptop in self.laptops:
            laptop.client.sync()
            assert laptop.store.pending_count() == 0
            scope = self.central.scope[laptop.user]
            assert set(laptop.store.cases) == scope
            for crn in scope:
                server = {i: r.version for i, r in self.central.records[crn].items()}
                local = {i: r.version for i, r in laptop.store.cases[crn].items()}
                assert local == server

    @rule()
    def faults_stop_and_everyone_converges(self) -> None:
        self.converge()
        self.proxy.faults_on = True


@pytest.mark.allow_warnings
def test_sync_under_chaos() -> None:
    machine = SyncChaos.TestCase
    machine.settings = settings(
        max_examples=25,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    FAULTS_SEEN.clear()
    machine().runTest()
    assert set(FAULTS_SEEN) >= {"pass", "lose_response", "reset", "truncate_response"}


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.allow_warnings
def test_sync_under_chaos_long() -> None:
    machine = SyncChaos.TestCase
    machine.settings = settings(
        max_examples=300,
        stateful_step_count=50,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    machine().runTest()
