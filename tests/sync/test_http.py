"""Hostile and broken answers are refused with a plain message; the cache and outbox stay."""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import FieldcaseError
from sync.client import SyncClient
from sync.errors import BadAnswerError, OfflineError, ServerBusyError
from sync.http import HttpClient, HttpSettings
from sync.protocol import PROTOCOL_VERSION
from tests.sync.conftest import FAST, PASSWORD, USER
from tests.sync.fake_central import Central, serve
from tests.sync.memory_store import MemoryStore


def queued_store() -> MemoryStore:
    store = MemoryStore()
    store.queue("add_record", {"crn": "X100000", "record_id": str(uuid.uuid4())})
    return store


def on_push(answer: tuple[int, Any, dict[str, str]]):
    return lambda path, body: answer if path == "/v1/sync/push" else None


def assert_intact(store: MemoryStore, cases_before: dict[str, Any]) -> None:
    assert store.pending_count() == 1
    assert store.results == {}
    assert store.cases == cases_before


@pytest.fixture
def queued(central: Central, server: str):
    store = queued_store()
    client = SyncClient(store, server, USER, FAST)
    client.sign_in(PASSWORD, "laptop")
    yield store, client
    client.close()


HOSTILE = {
    "proxy_html": (
        200,
        b"<html><body>Please log in to the hotel wifi</body></html>",
        {"Content-Type": "text/html"},
    ),
    "wrong_types": (
        200,
        {"protocol_version": PROTOCOL_VERSION, "last_applied_seq": "1", "results": []},
        {},
    ),
    "missing_fields": (200, {"protocol_version": PROTOCOL_VERSION}, {}),
    "extra_field": (
        200,
        {
            "protocol_version": PROTOCOL_VERSION,
            "last_applied_seq": 0,
            "results": [],
            "drop_tables": True,
        },
        {},
    ),
    "unknown_seq": (
        200,
        {
            "protocol_version": PROTOCOL_VERSION,
            "last_applied_seq": 9,
            "results": [{"seq": 9, "status": "applied"}],
        },
        {},
    ),
    "future_protocol": (
        200,
        {
            "protocol_version": 99,
            "last_applied_seq": 1,
            "results": [{"seq": 1, "status": "applied"}],
        },
        {},
    ),
    "array": (200, b"[1, 2, 3]", {}),
    "html_error_page": (502, b"<html>Bad gateway</html>", {"Content-Type": "text/html"}),
}


@pytest.mark.allow_warnings
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_push_answer_is_refused(queued, central: Central, name: str):
    store, client = queued
    central.hook = on_push(HOSTILE[name])
    with pytest.raises(FieldcaseError) as caught:
        client.sync()
    assert caught.value.message
    assert "Traceback" not in caught.value.message
    assert_intact(store, {})


@pytest.mark.allow_warnings
def test_redirect_to_another_host_is_refused(queued, central: Central):
    store, client = queued
    central.hook = on_push((307, {}, {"Location": "https://evil.example/v1/sync/push"}))
    with pytest.raises(BadAnswerError, match=r"evil\.example"):
        client.sync()
    assert_intact(store, {})


def test_enormous_answer_is_refused(central: Central):
    with serve(central) as url:
        http = HttpClient(url, HttpSettings(max_body_bytes=1000))
        central.hook = lambda p, b: (
            200,
            {"protocol_version": PROTOCOL_VERSION, "pad": "x" * 5000},
            {},
        )
        with pytest.raises(BadAnswerError, match="too large"):
            http.post_form("/anything", {})


def test_truncated_answer_is_a_dropped_connection(queued, central: Central):
    store, client = queued
    body = {
        "protocol_version": PROTOCOL_VERSION,
        "last_applied_seq": 1,
        "results": [{"seq": 1, "status": "applied"}],
    }
    central.hook = on_push((200, body, {"X-Test-Truncate": "1"}))
    with pytest.raises(OfflineError):
        client.sync()
    assert_intact(store, {})


def test_busy_server_is_retried_then_succeeds(queued, central: Central):
    _store, client = queued
    answers = iter(
        [
            (503, {"code": "busy", "message": "busy"}, {"Retry-After": "0"}),
            (429, {"code": "slow", "message": "slow"}, {}),
        ]
    )
    central.hook = lambda p, b: next(answers, None) if p == "/v1/sync/push" else None
    summary = client.sync()
    assert summary.applied == 1


def test_busy_server_gives_up_with_the_outbox_kept(queued, central: Central):
    store, client = queued
    central.hook = on_push((503, {"code": "busy", "message": "busy"}, {}))
    with pytest.raises(ServerBusyError):
        client.sync()
    assert_intact(store, {})


def test_slow_server_times_out(central: Central):
    release = threading.Event()
    central.hook = lambda p, b: release.wait(2) and None
    with serve(central) as url:
        http = HttpClient(url, HttpSettings(read_timeout=0.2))
        try:
            with pytest.raises(OfflineError):
                http.post_form("/oauth/token", {})
        finally:
            release.set()


def test_no_server_is_offline():
    http = HttpClient("http://127.0.0.1:9", HttpSettings(connect_timeout=0.5))
    with pytest.raises(OfflineError, match="offline"):
        http.post_form("/oauth/token", {})
    assert not http.probe()


def test_every_request_carries_the_protocol_version(client: SyncClient, central: Central):
    client.sync()
    assert central.protocol_headers
    assert set(central.protocol_headers) == {str(PROTOCOL_VERSION)}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
push_like = st.fixed_dictionaries(
    {
        "protocol_version": st.sampled_from([PROTOCOL_VERSION, PROTOCOL_VERSION, 1, 3, "2"]),
        "last_applied_seq": st.integers(-1, 3) | json_values,
        "results": st.lists(
            st.fixed_dictionaries(
                {
                    "seq": st.integers(-1, 3) | json_values,
                    "status": st.sampled_from(["applied", "conflict", "rejected", "lost"]),
                }
            ),
            max_size=3,
        ),
    },
    optional={"action": json_values, "junk": json_values},
)
pull_like = st.fixed_dictionaries(
    {
        "protocol_version": st.just(1),
        "cursor": st.text(max_size=4) | json_values,
        "has_more": st.booleans() | json_values,
        "last_applied_seq": st.integers(0, 2),
        "snapshots": st.lists(json_values, max_size=2),
        "changes": st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["contact", "person", "alien"]),
                    "id": st.uuids().map(str),
                    "crn": st.sampled_from(["X100000", "A1"]),
                    "version": st.integers(0, 3),
                    "deleted": st.booleans(),
                    "data": st.none() | st.just({"a": 1}),
                }
            ),
            max_size=2,
        ),
    },
)


@pytest.mark.allow_warnings
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(push=json_values | push_like, pull=pull_like)
def test_generated_answers_never_crash_or_corrupt(push, pull):
    """Whatever comes back, the result is a sync or a typed error; never damage."""
    central = Central()
    central.scope[USER] = {"X100000"}
    central.passwords[USER] = PASSWORD
    central.put("X100000", uuid.uuid4(), {"n": 1})
    store = queued_store()
    answers = {"/v1/sync/push": (200, push, {}), "/v1/sync/pull": (200, pull, {})}
    with serve(central) as url:
        client = SyncClient(store, url, USER, FAST)
        client.sign_in(PASSWORD, "laptop")
        central.hook = lambda p, b: answers.get(p)
        before = json.dumps(sorted(store.cases))
        with contextlib.suppress(FieldcaseError):
            client.sync()
        client.close()
    assert store.pending_count() + len(store.results) == 1
    if store.results:  # a push answer that validated is a real delivery record
        assert store.results[1].seq == 1
    if store.pages_applied == 0:  # no pull answer validated: the cache is untouched
        assert json.dumps(sorted(store.cases)) == before


def test_gzip_bomb_is_refused(central: Central):
    import gzip

    bomb = gzip.compress(b"[" + b" " * 5_000_000 + b"]")
    central.hook = lambda p, b: (200, bomb, {"Content-Encoding": "gzip"})
    with serve(central) as url:
        http = HttpClient(url, HttpSettings(max_body_bytes=100_000))
        with pytest.raises(BadAnswerError, match="too large"):
            http.post_form("/anything", {})
    assert len(bomb) < 100_000  # small on the wire, huge once unpacked


def test_a_server_that_is_not_there_is_offline_at_once_without_retries(monkeypatch):
    """The field day: "Online – syncing…" stayed 10 s after the server died (a refused
    connection was retried with backoff inside the request). Now one attempt, and the
    scheduler says offline; a connection that dropped mid-answer is still retried."""
    from sync.api import RetryPolicy, SyncApi
    from sync.errors import UnreachableError

    http = HttpClient("http://127.0.0.1:9", HttpSettings())
    assert http.settings.connect_timeout <= 2.0
    calls: list[int] = []

    class Progress:
        def wait(self, seconds: float) -> None:
            pass

        def check(self) -> None:
            calls.append(1)

    api = SyncApi(http, auth=None, progress=Progress(), retry=RetryPolicy(attempts=5))  # type: ignore[arg-type]

    def unreachable() -> None:
        http.post_form("/oauth/token", {})

    with pytest.raises(UnreachableError):
        api._retrying(unreachable)
    assert len(calls) == 1

    def dropped() -> None:
        raise OfflineError("The connection to the case service dropped.")

    calls.clear()
    with pytest.raises(OfflineError):
        api._retrying(dropped)
    assert len(calls) == 5
