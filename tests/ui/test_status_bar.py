from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pytest

from ui.status_bar import SyncStatusBar, describe

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Status:
    state: str = "idle"
    pending: int = 0
    last_success: dt.datetime | None = None
    conflicts: int = 0
    rejections: int = 0
    last_error: str | None = None
    stuck_seq: int | None = None


@pytest.mark.parametrize(
    ("status", "connection", "last", "waiting", "attention"),
    [
        (
            Status(last_success=NOW - dt.timedelta(minutes=2)),
            "Online",
            "Last synced 2 minutes ago",
            "Everything sent",
            "Nothing needs your attention",
        ),
        (
            Status(
                "offline",
                pending=3,
                last_success=dt.datetime(2026, 11, 19, 16, 5, tzinfo=dt.UTC),
                conflicts=1,
            ),
            "Offline since Thu 19 Nov 16:05",
            "Last synced 19 hours ago",
            "3 changes waiting to send",
            "1 conflict to resolve",
        ),
        (
            Status("syncing", pending=1, rejections=2),
            "Online – syncing…",
            "Not synced yet",
            "1 change waiting to send",
            "2 changes not accepted",
        ),
        (  # the field day: never "Everything sent" beside something that needs them
            Status(conflicts=1, rejections=1),
            "Online",
            "Not synced yet",
            "Nothing waiting to send",
            "1 conflict to resolve and 1 change not accepted",
        ),
        (
            Status("syncing", last_error="No connection."),
            "Offline – trying to reconnect…",
            "Not synced yet",
            "Everything sent",
            "Nothing needs your attention",
        ),
        (
            Status("error", last_error="The server did not answer."),
            "Sync problem – The server did not answer.",
            "Not synced yet",
            "Everything sent",
            "Nothing needs your attention",
        ),
        (
            Status("error", last_error="The service has 20 changes. Call IT support. Quote 1."),
            "Sync problem – The service has 20 changes.",
            "Not synced yet",
            "Everything sent",
            "Nothing needs your attention",
        ),
        (
            Status("offline", pending=4, last_error="No connection.", stuck_seq=12),
            "Offline – No connection.",
            "Not synced yet",
            "4 changes waiting to send",
            "Nothing needs your attention",
        ),
        (
            Status("error", pending=4, last_error="Your oldest … (long)", stuck_seq=12),
            "Sync problem – your changes are not getting through",
            "Not synced yet",
            "4 changes stuck – see Needs your attention",
            "1 sync problem",
        ),
    ],
)
def test_status_in_plain_words(status, connection, last, waiting, attention, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    words = describe(status, NOW)
    assert (words.connection, words.last_sync, words.waiting, words.attention) == (
        connection,
        last,
        waiting,
        attention,
    )


def test_status_bar_shows_the_snapshot_and_disables_sync_while_syncing(qtbot):
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.show_status(Status("syncing", pending=4))
    assert bar.waiting.text() == "4 changes waiting to send"
    assert not bar.sync_now.isEnabled()
    bar.show_status(Status("idle"))
    assert bar.sync_now.isEnabled()
    with qtbot.waitSignal(bar.sync_requested):
        bar.sync_now.click()
    with qtbot.waitSignal(bar.attention_requested):
        bar.attention.click()


def test_offline_notice_follows_the_sync_status(qtbot, harness):
    from PySide6.QtCore import QObject, Signal

    class FakeSync(QObject):
        status_changed = Signal(object)
        sign_in_required = Signal(object)
        upgrade_required = Signal(object)
        device_wiped = Signal(object)

        def start(self):
            pass

        def stop(self):
            pass

    sync = FakeSync()
    h = harness()
    h.shell._sync_factory = lambda session, hub: sync
    h.ready()
    qtbot.waitUntil(lambda: h.shell.sync is sync)  # attached once the caseload has painted
    sync.status_changed.emit(Status("offline", pending=2, last_success=NOW))
    assert h.window.offline_notice.isVisible()
    assert h.window.offline_notice.text().startswith("Working offline since")
    assert h.window.status.waiting.text() == "2 changes waiting to send"
    sync.status_changed.emit(Status("error", last_error="The case system is busy."))
    assert "Sync problem: The case system is busy." in [
        label.text() for label in h.window.attention.findChildren(type(h.window.attention.summary))
    ]
    sync.status_changed.emit(Status("idle", last_success=NOW))
    assert not h.window.offline_notice.isVisible()


def test_a_large_transfer_shows_its_progress_in_megabytes():
    from sync.progress import ProgressReport

    @dataclass(frozen=True)
    class Syncing(Status):
        progress: ProgressReport | None = None

    sending = Syncing(state="syncing", progress=ProgressReport("upload", 2_100_000, 20_000_000))
    assert describe(sending, NOW).connection == "Online – sending documents, 2.1 of 20.0 MB…"
    fetching = Syncing(state="syncing", progress=ProgressReport("download", 5, 1_000_000))
    assert describe(fetching, NOW).connection == "Online – fetching documents, 0.0 of 1.0 MB…"
    pushing = Syncing(state="syncing", progress=ProgressReport("push", 3, 10))
    assert describe(pushing, NOW).connection == "Online – syncing…"


def test_the_bar_never_says_everything_sent_beside_a_refused_change(qtbot):
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.show_status(Status(rejections=1, last_success=NOW))
    assert bar.waiting.text() == "Nothing waiting to send"
    assert bar.attention.text() == "1 change not accepted"
    bar.show_status(Status(pending=4, last_success=NOW))
    assert bar.waiting.text() == "4 changes waiting to send"
