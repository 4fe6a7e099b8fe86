"""The sync bridge: frozen status snapshots arrive on the GUI thread as signals."""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid

import pytest

from app.sync_bridge import SyncBridge, SyncStatus
from sync.auth import Tokens
from sync.client import SyncClient
from sync.scheduler import Timing
from tests.sync.conftest import FAST, PASSWORD, USER, seed
from tests.sync.fake_central import Central, serve
from tests.sync.memory_store import MemoryStore

TIMING = Timing(
    period_s=60, debounce_s=0.01, probe_s=0.02, backoff_initial_s=0.01, backoff_max_s=0.02
)


@pytest.fixture
def setup():
    central = Central()
    seed(central)
    store = MemoryStore()
    with serve(central) as url:
        client = SyncClient(store, url, USER, FAST)
        client.sign_in(PASSWORD, "laptop")
        bridge = SyncBridge(client, timing=TIMING)
        yield bridge, store, central
        bridge.stop()
        client.close()


def test_first_sync_reports_idle_with_counts_on_the_gui_thread(qtbot, setup):
    bridge, _store, _ = setup
    threads: list[bool] = []
    bridge.status_changed.connect(
        lambda s: threads.append(threading.current_thread() is threading.main_thread())
    )
    with qtbot.waitSignal(bridge.sync_finished, timeout=5000):
        bridge.start()
    qtbot.waitUntil(lambda: bridge.status.state == "idle")
    status = bridge.status
    assert status.last_success is not None
    assert status.pending == 0
    assert dataclasses.is_dataclass(status)
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.state = "error"  # type: ignore[misc]
    qtbot.waitUntil(lambda: len(threads) >= 2)
    assert all(threads)


def test_local_change_counts_then_sends(qtbot, setup):
    bridge, store, _central = setup
    with qtbot.waitSignal(bridge.sync_finished, timeout=5000):
        bridge.start()
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    seen: list[SyncStatus] = []
    bridge.status_changed.connect(seen.append)
    with qtbot.waitSignal(bridge.sync_finished, timeout=5000):
        bridge.local_change()
    assert seen[0].pending == 1
    qtbot.waitUntil(lambda: bridge.status.pending == 0 and bridge.status.state == "idle")


def test_revoked_device_reports_signed_out(qtbot, setup):
    bridge, store, central = setup
    central.revoked.add(str(store.client_id()))
    with qtbot.waitSignal(bridge.device_wiped, timeout=5000):
        bridge.start()
    qtbot.waitUntil(lambda: bridge.status.state == "signed_out")
    assert bridge.status.last_error
    assert store.wiped


@pytest.mark.allow_warnings
def test_a_stuck_queue_is_reported_with_its_head(qtbot, setup):
    from sync.errors import QueueStuck
    from sync.recovery import STUCK_AFTER

    bridge, store, central = setup
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    for _ in range(STUCK_AFTER - 1):
        store.push_failed(1)  # earlier syncs, before a restart
    central.hook = lambda path, body: (
        (500, {"code": "boom", "message": "x"}, {}) if path == "/v1/sync/push" else None
    )
    errors: list[object] = []
    bridge.sync_failed.connect(errors.append)
    bridge.start()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], QueueStuck)
    qtbot.waitUntil(lambda: bridge.status.stuck_seq == 1)
    assert "stuck at change 1" in (bridge.status.last_error or "")


def test_offline_is_reported_in_plain_words(qtbot):
    store = MemoryStore()
    client = SyncClient(store, "http://127.0.0.1:9", USER, FAST)
    bridge = SyncBridge(client, timing=TIMING)
    client.auth.store.save(Tokens("access", "refresh", time.time() + 3600))
    try:
        with qtbot.waitSignal(bridge.sync_failed, timeout=5000):
            bridge.start()
        qtbot.waitUntil(lambda: bridge.status.state == "offline")
        assert "offline" in (bridge.status.last_error or "")
    finally:
        bridge.stop()


def test_bridge_over_the_encrypted_cache_and_real_central(qtbot, tmp_path):
    from tests.sync.live import encrypted_cache, live_central, queue_local, record_contact_args

    with live_central(f"sqlite:///{tmp_path}/central.db") as live:
        officer = live.seed.officers[0]
        cache = encrypted_cache(tmp_path / "p", officer)
        client = live.laptop(officer, cache)
        bridge = SyncBridge(client, timing=TIMING)
        try:
            with qtbot.waitSignal(bridge.sync_finished, timeout=10000):
                bridge.start()
            crn = sorted(cache.pull_state().held_cases)[0]
            queue_local(cache, live, officer, "record_contact", record_contact_args(crn))
            with qtbot.waitSignal(bridge.sync_finished, timeout=10000):
                bridge.local_change()
            qtbot.waitUntil(lambda: bridge.status.state == "idle" and bridge.status.pending == 0)
            assert bridge.status.last_success is not None
        finally:
            bridge.stop()
            cache.close()
