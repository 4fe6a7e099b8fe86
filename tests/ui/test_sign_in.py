from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from app.session import SessionState
from tests.app.fakes import FakeBackend


def test_first_sign_in_shows_download_progress_then_the_caseload(qtbot, harness):
    h = harness(FakeBackend(total_pages=4))
    screen = h.window.sign_in
    assert h.window.screens.currentWidget() is screen
    seen = []
    h.session.first_sync_progressed.connect(
        lambda done, total: seen.append(screen.progress.value())
    )
    qtbot.keyClicks(screen.server, "https://cases.example.invalid")
    qtbot.keyClicks(screen.username, "officer1")
    qtbot.keyClicks(screen.password, "correct horse")
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    h.wait_ready()
    assert (screen.progress.value(), screen.progress.maximum()) == (4, 4)
    assert len(seen) == 4
    assert h.window.screens.currentWidget() is h.window.workspace
    assert h.window.caseload.summary.text() == "30 cases"
    assert (h.shell.settings.server_url, h.shell.settings.username) == (
        "https://cases.example.invalid",
        "officer1",
    )


def test_missing_fields_are_pointed_out_inline(qtbot, harness):
    h = harness(FakeBackend())
    screen = h.window.sign_in
    qtbot.keyClicks(screen.server, "https://cases.example.invalid")
    qtbot.mouseClick(screen.submit, Qt.MouseButton.LeftButton)
    assert screen.banner.isVisible()
    assert screen.server.text() == "https://cases.example.invalid"
    assert h.session.state is SessionState.SIGNED_OUT


def test_wrong_password_keeps_what_was_typed_but_the_password(qtbot, harness):
    h = harness(FakeBackend())
    screen = h.window.sign_in
    qtbot.keyClicks(screen.server, "https://cases.example.invalid")
    qtbot.keyClicks(screen.username, "officer1")
    qtbot.keyClicks(screen.password, "wrong")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(screen.banner.isVisible)
    assert screen.banner.title.text() == "Wrong password"
    assert screen.username.text() == "officer1"
    assert screen.password.text() == ""
    assert screen.submit.isEnabled()


def test_cancel_during_first_sync_opens_what_arrived(qtbot, harness):
    backend = FakeBackend(total_pages=50, page_gate=threading.Event())
    h = harness(backend)
    screen = h.window.sign_in
    qtbot.keyClicks(screen.server, "https://x.invalid")
    qtbot.keyClicks(screen.username, "officer1")
    qtbot.keyClicks(screen.password, "correct horse")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: h.session.state is SessionState.FIRST_SYNC)
    backend.page_gate.set()
    qtbot.waitUntil(screen.cancel.isVisible)
    qtbot.mouseClick(screen.cancel, Qt.MouseButton.LeftButton)
    backend.page_gate.set()
    h.wait_ready()
    assert not backend.synced
    assert backend.pages_done < 50


def test_offline_unlock_with_the_password(qtbot, harness):
    h = harness()
    assert h.window.screens.currentWidget() is h.window.unlock
    h.ready()
    assert h.window.screens.currentWidget() is h.window.workspace


def test_wrong_unlock_password_stays_locked_with_a_message(qtbot, harness):
    h = harness()
    h.unlock("nope")
    qtbot.waitUntil(h.window.unlock.banner.isVisible)
    assert h.session.state is SessionState.LOCKED
    assert h.window.unlock.password.isEnabled()


def test_idle_lock_hides_every_case_and_asks_for_the_password(qtbot, harness):
    h = harness().ready()
    h.shell.idle.set_minutes(0.001)
    h.shell.idle.start()
    qtbot.waitUntil(lambda: h.session.state is SessionState.LOCKED, timeout=3000)
    assert h.window.screens.currentWidget() is h.window.unlock
    assert h.window.caseload.model.rows() == []
    assert h.backend.cache.closed
    h.ready()


def test_sign_out_with_changes_waiting_asks_and_keeps_them(qtbot, harness, monkeypatch):
    h = harness(FakeBackend(cached=True, synced=True, pending=2)).ready()
    asked = []
    monkeypatch.setattr(h.window, "confirm_sign_out", lambda w: asked.append(w.count) or False)
    h.shell.sign_out()
    assert asked == [2]
    assert h.session.state is SessionState.READY
    monkeypatch.setattr(h.window, "confirm_sign_out", lambda w: True)
    h.shell.sign_out()
    assert h.session.state is SessionState.SIGNED_OUT
    assert h.window.screens.currentWidget() is h.window.sign_in
    assert h.backend.pending == 2


def test_too_long_offline_the_cache_stays_locked_until_an_online_sign_in(qtbot, harness):
    import datetime as dt

    from app.session import Policy

    backend = FakeBackend(
        cached=True,
        synced=True,
        policy=Policy(idle_lock_minutes=15, max_offline_days=7),
        last_sync=dt.datetime.now(dt.UTC) - dt.timedelta(days=8),
    )
    h = harness(backend)
    h.unlock()
    qtbot.waitUntil(lambda: h.window.screens.currentWidget() is h.window.sign_in)
    assert h.window.sign_in.banner.isVisible()
    assert "more than 7 days" in h.window.sign_in.banner.message.text()
    assert h.session.state is SessionState.LOCKED
    assert h.backend.locked  # the key left memory again
    assert h.window.caseload.model.rows() == []
