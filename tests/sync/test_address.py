"""Plain HTTP to another machine is refused on every client path, before any packet."""

from __future__ import annotations

import io

import pytest

from app.backend import LiveBackend
from app.settings import Settings
from app.sync_cli import main as sync_cli
from storage.crypto import FAST_TEST_PARAMS
from sync.address import InsecureServerAddress, check_server_url, is_loopback
from sync.client import SyncClient
from tests.support.no_network import connections_refused
from tests.sync.conftest import FAST
from tests.sync.memory_store import MemoryStore

REMOTE_HTTP = "http://192.0.2.10:8765"  # TEST-NET-1: never routed, never contacted here


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://127.8.9.10/",
        "http://[::1]:8765",
        "http://localhost:8765",
        "https://cases.example.org",
        "https://192.0.2.10",
    ],
)
def test_https_and_loopback_addresses_are_allowed(url: str) -> None:
    assert check_server_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        REMOTE_HTTP,
        "http://cases.example.org",
        "http://127.0.0.1.example.org",
        "http://[2001:db8::1]:8765",
        "ftp://cases.example.org",
        "cases.example.org",
        "http://",
    ],
)
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    with pytest.raises(InsecureServerAddress):
        check_server_url(url)


def test_loopback_means_this_machine_only() -> None:
    assert is_loopback("127.0.0.53")
    assert is_loopback("::1")
    assert is_loopback("LOCALHOST")
    assert not is_loopback("128.0.0.1")
    assert not is_loopback("localhost.example.org")


def test_the_sync_client_refuses_before_connecting() -> None:
    with connections_refused() as tried, pytest.raises(InsecureServerAddress, match="https://"):
        SyncClient(MemoryStore(), REMOTE_HTTP, "officer1", FAST)
    assert tried == []


def test_fieldcase_sync_refuses_with_a_plain_message(tmp_path, capsys) -> None:
    argv = ["--profile", str(tmp_path / "p"), "--server", REMOTE_HTTP, "--username", "o1"]
    with connections_refused() as tried:
        code = sync_cli(argv, stdin=io.StringIO("a password\n"))
    assert code == 1
    err = capsys.readouterr().err
    assert "https://" in err
    assert "Traceback" not in err
    assert tried == []
    assert not (tmp_path / "p").exists()  # nothing made for an address that is refused


def test_sign_in_refuses_before_making_a_cache(tmp_path) -> None:
    backend = LiveBackend(tmp_path, Settings(), kdf=FAST_TEST_PARAMS)
    with connections_refused() as tried, pytest.raises(InsecureServerAddress):
        backend.sign_in(REMOTE_HTTP, "officer1", "a password")
    assert tried == []
    assert list(tmp_path.iterdir()) == []


def test_a_saved_plain_http_setting_is_refused_at_unlock(tmp_path) -> None:
    """A settings file edited to a plain-HTTP address: the unlock works offline, but the
    sync client is never made for it."""
    settings = Settings(server_url=REMOTE_HTTP, username="officer1")
    backend = LiveBackend(tmp_path, settings, kdf=FAST_TEST_PARAMS)
    try:
        backend.unlock("officer1", "a password")
        with connections_refused() as tried, pytest.raises(InsecureServerAddress):
            backend.ensure_client()
        assert tried == []
    finally:
        backend.close()
