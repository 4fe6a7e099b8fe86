from __future__ import annotations

import sys
import threading

import pytest

from app.changes import ChangeHub, ChangeSet
from app.context import AppContext, Officer
from app.tasks import TaskRunner
from domain.errors import FieldcaseError
from tests.app.fakes import FakeCache


@pytest.fixture
def runner(qtbot):
    cache = FakeCache()
    tasks = TaskRunner(AppContext(lambda: cache, Officer("officer1")), ChangeHub())
    yield tasks
    tasks.shutdown()


def test_query_runs_off_the_gui_thread_and_answers_on_it(qtbot, runner):
    seen = {}

    def use(ctx):
        seen["worker"] = threading.current_thread()
        return ctx.cache().caseload_page(offset=0, limit=1000).total

    def done(value):
        seen["value"] = value
        seen["callback"] = threading.current_thread()

    runner.query(use, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 30
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()


def test_writes_are_serialised_on_one_thread(qtbot, runner):
    threads = []
    for _ in range(5):
        runner.op(lambda ctx: threads.append(threading.current_thread()))
    qtbot.waitUntil(lambda: len(threads) == 5)
    assert len(set(threads)) == 1


def test_each_thread_gets_its_own_connection(qtbot):
    opened = []

    def open_cache():
        cache = FakeCache()
        opened.append(cache)
        return cache

    tasks = TaskRunner(AppContext(open_cache, Officer("officer1")), ChangeHub())
    done = []
    tasks.op(lambda ctx: ctx.cache(), done.append)
    tasks.op(lambda ctx: ctx.cache(), done.append)
    qtbot.waitUntil(lambda: len(done) == 2)
    assert done[0] is done[1]
    tasks.shutdown()
    assert all(c.closed for c in opened)


def test_expected_error_goes_inline_not_to_the_crash_dialog(qtbot, runner):
    def use(ctx):
        raise FieldcaseError("No connection right now.")

    with qtbot.waitSignal(runner.error_raised) as blocker:
        runner.query(use)
    assert blocker.args[0].message == "No connection right now."


def test_caller_on_error_wins_over_default_surface(qtbot, runner):
    errors = []
    runner.error_raised.connect(lambda e: pytest.fail("default surface used"))
    runner.query(lambda ctx: (_ for _ in ()).throw(FieldcaseError("x")), on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)


def test_bug_goes_to_excepthook(qtbot, runner, monkeypatch):
    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: hooked.append(exc[1]))
    runner.query(lambda ctx: 1 / 0)
    qtbot.waitUntil(lambda: len(hooked) == 1)
    assert isinstance(hooked[0], ZeroDivisionError)


def test_op_publishes_its_change_set(qtbot, runner):
    with qtbot.waitSignal(runner.hub.changes_applied) as blocker:
        runner.op(lambda ctx: ChangeSet.of(["X100001"]))
    assert blocker.args[0].touches_case("X100001")


def test_keyed_query_delivers_only_the_newest(qtbot, runner):
    gate = threading.Event()
    results = []

    def slow(ctx):
        gate.wait(5)
        return "old"

    runner.query(slow, results.append, key="search")
    runner.query(lambda ctx: "new", results.append, key="search")
    qtbot.waitUntil(lambda: results == ["new"])
    gate.set()
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        pass
    assert results == ["new"]
