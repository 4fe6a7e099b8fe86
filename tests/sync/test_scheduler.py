"""When syncs happen: at start, after changes (debounced), on demand, when the network returns."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from domain.errors import FieldcaseError
from sync.engine import SyncSummary
from sync.errors import OfflineError, ServerBusyError, SignInRequired
from sync.progress import Progress
from sync.scheduler import Scheduler, Timing

SUMMARY = SyncSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0)


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []
        self.cond = threading.Condition()

    def _add(self, event: str) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def sync_started(self, progress: Progress) -> None:
        self._add("started")

    def sync_finished(self, summary: SyncSummary) -> None:
        self._add("finished")

    def sync_failed(self, error: FieldcaseError, offline: bool) -> None:
        self._add("offline" if offline else type(error).__name__)

    def wait_for(self, predicate: Callable[[list[str]], bool], timeout: float = 5.0) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: predicate(self.events), timeout), self.events


FAST = Timing(
    period_s=60, debounce_s=0.05, probe_s=0.02, backoff_initial_s=0.01, backoff_max_s=0.02
)


def make(
    outcomes: list[Exception | None],
    probe: Callable[[], bool] = lambda: True,
    timing: Timing = FAST,
):
    recorder = Recorder()
    calls: list[float] = []

    def run(progress: Progress) -> SyncSummary:
        calls.append(time.monotonic())
        outcome = outcomes.pop(0) if outcomes else None
        if outcome is not None:
            raise outcome
        return SUMMARY

    return Scheduler(run, probe, recorder, timing), recorder, calls


@pytest.fixture
def stop_after():
    started: list[Scheduler] = []
    yield started.append
    for s in started:
        s.stop()


def test_syncs_at_start(stop_after):
    scheduler, recorder, _ = make([])
    stop_after(scheduler)
    scheduler.start()
    recorder.wait_for(lambda e: e == ["started", "finished"])


def test_changes_are_debounced_into_one_sync(stop_after):
    scheduler, recorder, calls = make([])
    stop_after(scheduler)
    scheduler.start()
    recorder.wait_for(lambda e: e.count("finished") == 1)
    for _ in range(5):
        scheduler.local_change()
    recorder.wait_for(lambda e: e.count("finished") == 2)
    assert len(calls) == 2
    assert calls[1] - calls[0] >= FAST.debounce_s


def test_network_coming_back_triggers_a_sync(stop_after):
    reachable = threading.Event()
    probes: list[bool] = []
    probed_twice = threading.Event()

    def probe() -> bool:
        probes.append(reachable.is_set())
        if len(probes) >= 2:
            probed_twice.set()
        return reachable.is_set()

    scheduler, recorder, _ = make([OfflineError("no network")], probe)
    stop_after(scheduler)
    scheduler.start()
    recorder.wait_for(lambda e: "offline" in e)
    assert probed_twice.wait(5)
    scheduler.local_change()  # while offline, changes wait for the network
    reachable.set()
    recorder.wait_for(lambda e: e[-1] == "finished")
    assert probes[-1] is True


def test_busy_server_backs_off_then_recovers(stop_after):
    scheduler, recorder, _ = make([ServerBusyError("busy"), ServerBusyError("busy")])
    stop_after(scheduler)
    scheduler.start()
    recorder.wait_for(lambda e: e.count("finished") == 1)
    assert recorder.events.count("ServerBusyError") == 2


def test_sign_in_required_pauses_until_the_officer_acts(stop_after):
    scheduler, recorder, calls = make([SignInRequired("sign in")])
    stop_after(scheduler)
    scheduler.start()
    recorder.wait_for(lambda e: "SignInRequired" in e)
    scheduler.local_change()
    scheduler.resume()
    recorder.wait_for(lambda e: e[-1] == "finished")
    assert len(calls) == 2


def test_backoff_is_capped_and_honours_retry_after():
    scheduler, _, _ = make([], timing=Timing(backoff_initial_s=1, backoff_max_s=8))
    assert all(0 <= scheduler.backoff_s(n, None) <= 8 for n in range(1, 30))
    assert scheduler.backoff_s(1, 20.0) == 20.0


def test_stop_cancels_a_running_sync():
    recorder = Recorder()
    entered = threading.Event()

    def run(progress: Progress) -> SyncSummary:
        entered.set()
        progress.wait(30)
        return SUMMARY

    scheduler = Scheduler(run, lambda: True, recorder, FAST)
    scheduler.start()
    assert entered.wait(5)
    scheduler.stop()
    recorder.wait_for(lambda e: "SyncCancelled" in e)


def test_sync_now_while_offline_tries_and_reports(stop_after):
    scheduler, recorder, calls = make(
        [OfflineError("no network"), OfflineError("still none")], probe=lambda: False
    )
    stop_after(scheduler)
    scheduler.start()
    recorder.wait_for(lambda e: e.count("offline") == 1)
    scheduler.sync_now()
    recorder.wait_for(lambda e: e.count("offline") == 2)
    assert len(calls) == 2
