"""The engine's promises, against a fake central over loopback HTTP and an in-memory cache."""

from __future__ import annotations

import threading
import uuid

import pytest

from sync.client import SyncClient
from sync.errors import (
    BadAnswerError,
    DeviceWiped,
    ServerRefusedError,
    SyncCancelled,
    UpgradeRequired,
)
from sync.progress import Progress
from sync.protocol import PROTOCOL_VERSION
from tests.sync.fake_central import Central
from tests.sync.memory_store import MemoryStore


def server_view(central: Central, crns: set[str]) -> dict[str, dict[uuid.UUID, int]]:
    return {crn: {i: r.version for i, r in central.records[crn].items()} for crn in crns}


def local_view(store: MemoryStore) -> dict[str, dict[uuid.UUID, int]]:
    return {crn: {i: r.version for i, r in recs.items()} for crn, recs in store.cases.items()}


def test_first_sync_downloads_the_caseload(client: SyncClient, store: MemoryStore, central):
    summary = client.sync()
    assert summary.cases == 3
    assert summary.snapshots == 3
    assert local_view(store) == server_view(central, central.scope["officer1"])


def test_offline_work_is_delivered_once_in_order(client, store: MemoryStore, central):
    client.sync()
    crn = sorted(store.cases)[0]
    ids = [uuid.uuid4() for _ in range(120)]
    for record_id in ids:
        store.queue("add_record", {"crn": crn, "record_id": str(record_id)})
    summary = client.sync()
    assert summary.pushed == 120
    assert summary.pending == 0
    seqs = [seq for cid, seq, _ in central.applied if cid == store.client_id()]
    assert seqs == list(range(1, 121))
    assert set(ids) <= set(store.cases[crn])  # pulled back


def test_a_rejection_never_blocks_the_rest(client, store: MemoryStore, central):
    client.sync()
    crn = sorted(store.cases)[0]
    store.queue("no_such_mutation", {"crn": crn, "record_id": str(uuid.uuid4())})
    good = uuid.uuid4()
    store.queue("add_record", {"crn": crn, "record_id": str(good)})
    summary = client.sync()
    assert (summary.rejected, summary.applied, summary.pending) == (1, 1, 0)
    assert good in central.records[crn]
    assert store.counts().rejections == 1


def test_conflicting_edit_is_kept_as_a_conflict(client, store: MemoryStore, central):
    client.sync()
    crn = sorted(store.cases)[0]
    record_id = next(iter(store.cases[crn]))
    base = store.cases[crn][record_id].version
    central.put(crn, record_id, {"phone": "central"})
    store.queue(
        "set_field",
        {
            "crn": crn,
            "record_id": str(record_id),
            "field": "phone",
            "value": "mine",
            "base_version": base,
        },
    )
    summary = client.sync()
    assert summary.conflicts == 1
    assert store.counts().conflicts == 1
    assert store.cases[crn][record_id].data["phone"] == "central"


def test_lost_answer_after_commit_is_not_applied_twice(client, store: MemoryStore, central):
    client.sync()
    crn = sorted(store.cases)[0]
    store.queue("add_record", {"crn": crn, "record_id": str(uuid.uuid4())})
    lost = {"left": 2}

    def lose(path: str, body: bytes):
        if path == "/v1/sync/push" and lost["left"]:
            lost["left"] -= 1
            central.handle(path, body, next(iter(central.access)))  # committed...
            return 503, {"code": "unavailable", "message": "busy"}, {}  # ...answer lost
        return None

    central.access = dict(list(central.access.items())[-1:])
    central.hook = lose
    summary = client.sync()
    assert summary.applied == 1
    assert [s for c, s, _ in central.applied if c == store.client_id()] == [1]


def test_reallocation_evicts_the_case(client, store: MemoryStore, central):
    client.sync()
    gone = sorted(store.cases)[0]
    central.scope["officer1"].discard(gone)
    summary = client.sync()
    assert summary.evicted == 1
    assert gone not in store.cases


def test_drifted_case_is_refetched(client, store: MemoryStore, central):
    client.sync()
    crn = sorted(store.cases)[0]
    store.cases[crn].pop(next(iter(store.cases[crn])))  # local damage
    summary = client.sync()
    assert summary.refetched == 1
    assert local_view(store) == server_view(central, central.scope["officer1"])


def test_interrupted_first_sync_resumes_from_the_saved_page(client, store: MemoryStore, central):
    for i in range(40):
        central.scope["officer1"].add(f"Y{200000 + i}")
        central.put(f"Y{200000 + i}", uuid.uuid4(), {"n": i})
    client.settings = type(client.settings)(
        http=client.settings.http, retry=client.settings.retry, pull_limit=10
    )
    sent: list[str] = []
    cursors: list[str | None] = []
    real_pull = central.pull

    def pull(user, request):
        cursors.append(request.cursor)
        if len(cursors) == 3 and interrupt["on"]:
            return 400, {"code": "bad", "message": "interrupted"}, {}
        answer = real_pull(user, request)
        sent.extend(s["crn"] for s in answer[1]["snapshots"])
        return answer

    interrupt = {"on": True}
    central.pull = pull
    with pytest.raises(ServerRefusedError):
        client.sync()
    saved = store.cursor
    assert store.pages_applied == 2
    interrupt["on"] = False
    cursors.clear()
    client.sync()
    assert cursors[0] == saved  # resumed where the last committed page ended
    assert len(sent) - len(set(sent)) <= 10  # at most one page downloaded twice
    assert local_view(store) == server_view(central, central.scope["officer1"])


def test_reset_redownloads_and_keeps_the_outbox(client, store: MemoryStore, central):
    client.sync()
    crn = sorted(store.cases)[0]
    store.queue("add_record", {"crn": crn, "record_id": str(uuid.uuid4())})
    once = {"done": False}

    def reset(path: str, body: bytes):
        if path == "/v1/sync/push" and not once["done"]:
            once["done"] = True
            return (
                409,
                {
                    "code": "reset",
                    "message": "start over",
                    "action": {"kind": "reset", "message": "start over"},
                },
                {},
            )
        return None

    central.hook = reset
    summary = client.sync()
    assert store.resets == 1
    assert summary.applied == 1
    assert local_view(store) == server_view(central, central.scope["officer1"])


def test_upgrade_required_keeps_the_outbox(client, store: MemoryStore, central):
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    central.hook = lambda p, b: (
        426,
        {
            "code": "upgrade",
            "message": "old",
            "action": {"kind": "upgrade_required", "message": "Please update Fieldcase."},
        },
        {},
    )
    with pytest.raises(UpgradeRequired, match="update Fieldcase"):
        client.sync()
    assert store.pending_count() == 1


def test_revoked_device_wipes_cache_and_tokens(client, store: MemoryStore, central):
    client.sync()
    central.revoked.add(str(store.client_id()))
    with pytest.raises(DeviceWiped):
        client.sync()
    assert store.wiped
    assert store.cases == {}
    assert not client.auth.signed_in()


def test_no_progress_is_refused_not_looped(client, store: MemoryStore, central):
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    central.hook = lambda p, b: (
        (200, {"protocol_version": PROTOCOL_VERSION, "last_applied_seq": 0, "results": []}, {})
        if p.endswith("push")
        else None
    )
    with pytest.raises(BadAnswerError):
        client.sync()
    assert store.pending_count() == 1


def test_cancel_stops_between_steps(client, store: MemoryStore):
    progress = Progress()
    progress.cancel()
    with pytest.raises(SyncCancelled):
        client.sync(progress)
    assert store.cases == {}


def test_revoked_device_signing_in_again_is_wiped(client, store: MemoryStore, central):
    client.sync()
    central.revoked.add(str(store.client_id()))
    with pytest.raises(DeviceWiped):
        client.sign_in("correct horse battery", "laptop")
    assert store.wiped


def test_long_notes_go_in_requests_central_accepts(
    client, store: MemoryStore, central, monkeypatch
):
    """A batch whose notes would make the request body too big for central is split
    (in seq order, each request within the budget), so it can never be refused at every
    sync; one mutation always goes, whatever its size."""
    from sync import engine

    monkeypatch.setattr(engine, "PUSH_BODY_BUDGET", 20_000)
    client.sync()
    crn = sorted(store.cases)[0]
    for _ in range(12):
        store.queue(
            "add_record", {"crn": crn, "record_id": str(uuid.uuid4()), "notes": "é" * 4_000}
        )
    store.queue("add_record", {"crn": crn, "record_id": str(uuid.uuid4()), "notes": "x" * 30_000})
    sent: list[tuple[int, int]] = []
    push = central.push

    def recording(user, request):
        sent.append((len(request.mutations), len(request.model_dump_json().encode())))
        return push(user, request)

    monkeypatch.setattr(central, "push", recording)
    summary = client.sync()
    assert (summary.pushed, summary.pending) == (13, 0)
    assert sum(count for count, _ in sent) == 13
    assert len(sent) > 2  # 12 notes of ~8 KB each cannot go in one 20 KB request
    assert all(size <= 20_000 for count, size in sent if count > 1)
    assert sent[-1][0] == 1  # the oversized one alone
    seqs = [seq for cid, seq, _ in central.applied if cid == store.client_id()]
    assert seqs == list(range(1, 14))


def _queue_records(store: MemoryStore, count: int) -> None:
    crn = sorted(store.cases)[0]
    for _ in range(count):
        store.queue("add_record", {"crn": crn, "record_id": str(uuid.uuid4())})


def _applied_seqs(central: Central, store: MemoryStore) -> list[int]:
    return [seq for cid, seq, _ in central.applied if cid == store.client_id()]


def test_next_batch_travels_while_the_answer_is_committed(
    client, store: MemoryStore, central, monkeypatch
):
    """Pipelined push: batch N+1 reaches the server while N's results are being
    committed, and only after N was answered (the server applies in seq order)."""
    client.sync()
    _queue_records(store, 120)  # batches of 50: 1-50, 51-100, 101-120
    events: list[tuple[str, int]] = []
    second_arrived = threading.Event()
    push = central.push

    def recording(user, request):
        first = request.mutations[0].seq
        events.append(("received", first))
        if first == 51:
            second_arrived.set()
        answer = push(user, request)
        events.append(("answered", first))
        return answer

    overlapped: list[bool] = []
    record = store.record_push_results

    def slow_commit(response):
        if response.results and response.results[0].seq == 1:
            overlapped.append(second_arrived.wait(timeout=10))
        record(response)

    monkeypatch.setattr(central, "push", recording)
    monkeypatch.setattr(store, "record_push_results", slow_commit)
    summary = client.sync()
    assert overlapped == [True]
    assert events == [
        ("received", 1),
        ("answered", 1),
        ("received", 51),
        ("answered", 51),
        ("received", 101),
        ("answered", 101),
    ]
    assert (summary.pushed, summary.pending) == (120, 0)
    assert _applied_seqs(central, store) == list(range(1, 121))


def test_failure_of_the_next_batch_keeps_it_pending(client, store: MemoryStore, central):
    """Batch N+1's request fails after the server applied it and after N's answer came:
    N is recorded, N+1 is still pending, and the next sync delivers it exactly once
    (the server answers it from its stored results), in order."""
    client.sync()
    _queue_records(store, 120)
    bearer = next(iter(central.access))
    central.access = {bearer: central.access[bearer]}
    pushes = {"count": 0}

    def fail_second(path: str, body: bytes):
        if path != "/v1/sync/push":
            return None
        pushes["count"] += 1
        if pushes["count"] == 2:
            central.handle(path, body, bearer)  # applied on the server...
            return 400, {"code": "bad_request", "message": "lost"}, {}  # ...answer lost
        return None

    central.hook = fail_second
    with pytest.raises(ServerRefusedError):
        client.sync()
    assert sorted(store.results) == list(range(1, 51))
    assert [m.seq for m in store.next_outbox_batch(1000)] == list(range(51, 121))
    assert _applied_seqs(central, store) == list(range(1, 101))
    central.hook = None
    summary = client.sync()
    assert (summary.pushed, summary.applied, summary.pending) == (70, 70, 0)
    assert sorted(store.results) == list(range(1, 121))
    assert _applied_seqs(central, store) == list(range(1, 121))  # each seq applied once


def test_a_partly_answered_batch_is_committed_before_more_is_sent(
    client, store: MemoryStore, central, monkeypatch
):
    """An answer leaving part of its batch unanswered stops the pipeline: the rest is
    read again from the outbox after the commit, so nothing is sent out of order."""
    client.sync()
    _queue_records(store, 120)
    push = central.push
    firsts: list[int] = []

    def partial(user, request):
        firsts.append(request.mutations[0].seq)
        if len(firsts) == 1:  # the server takes only the first 30 of the batch
            request = request.model_copy(update={"mutations": request.mutations[:30]})
        return push(user, request)

    monkeypatch.setattr(central, "push", partial)
    summary = client.sync()
    assert firsts == [1, 31, 81]
    assert (summary.pushed, summary.pending) == (120, 0)
    assert _applied_seqs(central, store) == list(range(1, 121))
