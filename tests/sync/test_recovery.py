"""A server ahead of the laptop, a profile that diverged, and a stuck queue (sync/recovery.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from sync.client import SyncClient
from sync.errors import OfflineError, QueueDiverged, QueueStuck, ServerBusyError
from sync.protocol import PROTOCOL_VERSION, MutationEnvelope, PushRequest
from sync.recovery import STUCK_AFTER
from tests.sync.conftest import FAST, USER
from tests.sync.fake_central import Central
from tests.sync.memory_store import MemoryStore


def queue(store: MemoryStore, crn: str, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    for record_id in ids:
        store.queue("add_record", {"crn": crn, "record_id": str(record_id)})
    return ids


def deliver_and_lose(central: Central, store: MemoryStore, upto: int) -> None:
    """The server applies seqs 1..upto as this laptop; the answer never arrives."""
    mutations = [m for m in store.outbox if m.seq <= upto]
    request = PushRequest(
        protocol_version=PROTOCOL_VERSION, client_id=store.client_id(), mutations=mutations
    )
    assert central.push(USER, request)[0] == 200


def paths_seen(central: Central) -> list[tuple[str, bytes]]:
    seen: list[tuple[str, bytes]] = []

    def hook(path: str, body: bytes) -> None:
        seen.append((path, body))

    central.hook = hook
    return seen


def restored_copy(client: SyncClient, store: MemoryStore) -> MemoryStore:
    """The client now runs a copy of `store`'s profile restored from before the changes
    the server applied, with one change of its own waiting."""
    fresh = MemoryStore(store.client_id())
    fresh.queue("add_record", {"crn": sorted(store.cases)[0], "record_id": str(uuid.uuid4())})
    client.store = fresh
    return fresh


@pytest.mark.parametrize("batch", [1, 2, 5, 50])
def test_a_server_ahead_drains_on_the_first_sync(server, store, central, batch):
    client = SyncClient(store, server, USER, replace(FAST, push_batch=batch))
    client.sign_in("correct horse battery", "laptop")
    client.sync()
    crn = sorted(store.cases)[0]
    queue(store, crn, 12)
    deliver_and_lose(central, store, 9)
    seen = paths_seen(central)
    summary = client.sync()
    client.close()
    assert summary.pending == 0
    assert summary.pushed == 12
    applied = [seq for cid, seq, _ in central.applied if cid == store.client_id()]
    assert applied == list(range(1, 13))  # each once
    # A batch that reaches past the frontier is answered whole by the push itself.
    assert any(path == "/v1/sync/results" for path, _ in seen) == (batch < 9)
    resent = [
        m["seq"]
        for path, body in seen
        if path == "/v1/sync/push"
        for m in PushRequest.model_validate_json(body).model_dump()["mutations"]
    ]
    # Beyond the first batch, nothing the server had applied is sent again.
    assert not [seq for seq in resent if min(batch, 12) < seq <= 9]


def test_an_older_server_without_results_is_sent_the_rest_again(client, store, central):
    client.sync()
    queue(store, sorted(store.cases)[0], 6)
    deliver_and_lose(central, store, 6)
    client.settings = replace(client.settings, push_batch=2)

    def no_results(path: str, body: bytes):
        if path == "/v1/sync/results":
            return 404, {"code": "not_found", "message": "No such endpoint."}, {}
        return None

    central.hook = no_results
    summary = client.sync()
    assert (summary.pending, summary.pushed) == (0, 6)
    assert [s for c, s, _ in central.applied if c == store.client_id()] == list(range(1, 7))


@pytest.mark.allow_warnings
def test_another_change_under_our_number_is_diverged_and_kept(client, store, central):
    client.sync()
    crn = sorted(store.cases)[0]
    queue(store, crn, 4)
    # What the server holds for seqs 3..4 is another laptop's copy of this profile.
    other = [
        MutationEnvelope(**{**m.model_dump(), "id": uuid.uuid4()}) if m.seq > 2 else m
        for m in store.outbox
    ]
    request = PushRequest(
        protocol_version=PROTOCOL_VERSION, client_id=store.client_id(), mutations=other
    )
    central.push(USER, request)
    client.settings = replace(client.settings, push_batch=1)
    office = central.put(crn, uuid.uuid4(), {"notes": "from the office"}).id
    with pytest.raises(QueueDiverged, match="IT support"):
        client.sync()
    assert store.pending_count() == 4  # the stored results are refused whole: kept, unsent
    assert not store.results
    assert office in store.cases[crn]  # the office's change still arrived


@pytest.mark.allow_warnings
def test_a_server_beyond_anything_queued_is_diverged(client, store, central):
    client.sync()
    queue(store, sorted(store.cases)[0], 3)
    deliver_and_lose(central, store, 3)
    fresh = restored_copy(client, store)
    for _ in range(2):  # the same explicit state each time, not counted as stuck
        with pytest.raises(QueueDiverged, match="backup"):
            client.sync()
    assert fresh.pending_count() == 1
    assert fresh.push_failures() is None


@pytest.mark.allow_warnings
def test_the_same_head_failing_is_called_stuck_then_cleared(client, store, central):
    client.sync()
    queue(store, sorted(store.cases)[0], 2)
    central.hook = lambda path, body: (
        (500, {"code": "boom", "message": "x"}, {}) if path == "/v1/sync/push" else None
    )
    for attempt in range(1, STUCK_AFTER):
        with pytest.raises(ServerBusyError):
            client.sync()
        assert store.push_failures() == (1, attempt)
    with pytest.raises(QueueStuck, match="number 1") as stuck:
        client.sync()
    assert (stuck.value.head_seq, stuck.value.failures) == (1, STUCK_AFTER)
    assert "contact IT support" in stuck.value.message
    central.hook = None
    assert client.sync().pending == 0
    assert store.push_failures() is None


def test_offline_syncs_are_not_stuck(client, store, central):
    client.sync()
    queue(store, sorted(store.cases)[0], 1)

    central.hook = lambda path, body: (
        (200, {}, {"X-Test-Truncate": "1"}) if path == "/v1/sync/push" else None
    )
    for _ in range(STUCK_AFTER + 1):
        with pytest.raises(OfflineError):
            client.sync()
    assert store.push_failures() is None


@pytest.mark.allow_warnings
def test_diverged_is_what_is_said_even_when_the_pull_fails_too(client, store, central):
    client.sync()
    queue(store, sorted(store.cases)[0], 2)
    deliver_and_lose(central, store, 2)
    restored_copy(client, store)
    central.hook = lambda path, body: (
        (200, {}, {"X-Test-Truncate": "1"}) if path == "/v1/sync/pull" else None
    )
    with pytest.raises(QueueDiverged):
        client.sync()


@pytest.mark.allow_warnings
@pytest.mark.parametrize("code", ["seq_reused", "duplicate_seq"])
def test_a_seq_the_server_holds_for_another_change_is_diverged_not_stuck(
    client, store, central, code
):
    """The server's replay guard (central/sync/replay.py) refuses the push whole with 409:
    the laptop says so as the diverged state, keeps its work, and never counts it stuck."""
    client.sync()
    queue(store, sorted(store.cases)[0], 2)

    def refuse(path: str, body: bytes):
        if path == "/v1/sync/push":
            return 409, {"code": code, "message": "seq 1 is another change"}, {}
        return None

    central.hook = refuse
    for _ in range(STUCK_AFTER + 1):
        with pytest.raises(QueueDiverged, match="IT support"):
            client.sync()
    assert store.pending_count() == 2
    assert store.push_failures() is None
