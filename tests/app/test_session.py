from __future__ import annotations

import datetime as dt
import threading

import pytest

from app.session import ChangesWaiting, OfflineTooLong, Policy, Session, SessionState
from tests.app.fakes import FakeBackend

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def make_session(qtbot):
    made = []

    def make(backend):
        session = Session(backend, clock=lambda: NOW)
        made.append(session)
        return session

    yield make
    for session in made:
        session.shutdown()


def test_first_run_starts_signed_out(make_session):
    assert make_session(FakeBackend()).state is SessionState.SIGNED_OUT


def test_later_runs_start_locked(make_session):
    assert make_session(FakeBackend(cached=True)).state is SessionState.LOCKED


def test_first_sign_in_reports_progress_then_is_ready(qtbot, make_session):
    backend = FakeBackend(total_pages=3)
    session = make_session(backend)
    progress = []
    session.first_sync_progressed.connect(lambda done, total: progress.append((done, total)))
    states = []
    session.state_changed.connect(states.append)
    with qtbot.waitSignal(session.state_changed, check_params_cb=lambda s: s is SessionState.READY):
        session.sign_in("https://cases.example.invalid", "officer1", "correct horse")
    assert states == [SessionState.SIGNING_IN, SessionState.FIRST_SYNC, SessionState.READY]
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert session.context is not None
    assert session.officer.username == "officer1"


def test_cancelled_first_sync_keeps_what_arrived_and_resumes(qtbot, make_session):
    backend = FakeBackend(total_pages=10, page_gate=threading.Event())
    session = make_session(backend)

    def on_progress(done, total):
        session.cancel_first_sync()
        backend.page_gate.set()

    session.first_sync_progressed.connect(on_progress)
    with qtbot.waitSignal(session.state_changed, check_params_cb=lambda s: s is SessionState.READY):
        session.sign_in("https://x.invalid", "officer1", "correct horse")
        backend.page_gate.set()
    assert 0 < backend.pages_done < 10
    assert not backend.synced
    backend.page_gate = None
    backend.first_sync(lambda d, t: None, threading.Event())
    assert backend.pages_done == 10
    assert backend.synced


def test_wrong_password_at_sign_in_says_so(qtbot, make_session):
    session = make_session(FakeBackend())
    with qtbot.waitSignal(session.sign_in_failed) as blocker:
        session.sign_in("https://x.invalid", "officer1", "wrong")
    assert "password" in blocker.args[0].message
    assert session.state is SessionState.SIGNED_OUT


def test_offline_unlock_with_password(qtbot, make_session):
    backend = FakeBackend(cached=True, synced=True, last_sync=NOW - dt.timedelta(days=2))
    session = make_session(backend)
    with qtbot.waitSignal(session.state_changed, check_params_cb=lambda s: s is SessionState.READY):
        session.unlock("correct horse")


def test_unlock_refused_after_max_days_offline(qtbot, make_session):
    backend = FakeBackend(
        cached=True, last_sync=NOW - dt.timedelta(days=8), policy=Policy(max_offline_days=7)
    )
    session = make_session(backend)
    with qtbot.waitSignal(session.unlock_failed) as blocker:
        session.unlock("correct horse")
    assert isinstance(blocker.args[0], OfflineTooLong)
    assert "7 days" in blocker.args[0].message
    assert session.state is SessionState.LOCKED
    assert backend.locked  # the cache was closed again


def test_wrong_password_at_unlock_keeps_it_locked(qtbot, make_session):
    session = make_session(FakeBackend(cached=True))
    with qtbot.waitSignal(session.unlock_failed):
        session.unlock("nope")
    assert session.state is SessionState.LOCKED


def _ready(qtbot, session):
    with qtbot.waitSignal(session.state_changed, check_params_cb=lambda s: s is SessionState.READY):
        session.unlock("correct horse")


def test_lock_closes_the_cache(qtbot, make_session):
    backend = FakeBackend(cached=True)
    session = make_session(backend)
    _ready(qtbot, session)
    session.context.cache()
    session.lock()
    assert session.state is SessionState.LOCKED
    assert session.context is None
    assert backend.cache.closed


def test_sign_out_warns_when_changes_wait_and_keeps_them(qtbot, make_session):
    backend = FakeBackend(cached=True, pending=3)
    session = make_session(backend)
    _ready(qtbot, session)
    with pytest.raises(ChangesWaiting) as caught:
        session.sign_out()
    assert caught.value.count == 3
    assert "3 changes are waiting to send" in caught.value.message
    assert session.state is SessionState.READY
    session.sign_out(confirmed=True)
    assert session.state is SessionState.SIGNED_OUT
    assert backend.signed_out
    assert backend.pending == 3  # never discarded
