"""Request bodies capped while they stream: the attack is a real chunked POST to a real
uvicorn process on loopback, and the server's peak memory is read from /proc."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from central.limits import DEFAULT_BODY_BYTES, PUSH_BODY_BYTES, TOKEN_BODY_BYTES
from central.migrate import migrate
from sync.protocol import PROTOCOL_VERSION
from tests.central.conftest import SECRET, LiveServer
from tests.support.postgres import free_port

ATTACK_BYTES = 400 * 2**20
CHUNK = b"x" * (256 * 1024)
linux_only = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")


def _peak_rss_mib(pid: int) -> float:
    """The process's high-water resident set (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


@contextlib.contextmanager
def _server_process(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`app_from_env` under uvicorn in its own process (so its memory is its own)."""
    url = f"sqlite:///{tmp_path}/central.db"
    migrate(url)
    port = free_port()
    env = {
        **os.environ,
        "FIELDCASE_CENTRAL_DATABASE_URL": url,
        "FIELDCASE_CENTRAL_JWT_SECRET": SECRET,
        "FIELDCASE_CENTRAL_LOG_LEVEL": "ERROR",
    }
    command = [sys.executable, "-m", "uvicorn", "central.api:app_from_env", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL) as process:
        try:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).is_success:
                        break
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.05)  # wakes early if the server exits
            yield port, process
        finally:
            process.terminate()
            process.wait(timeout=10)


def _chunked_post(port: int, path: str, total: int) -> tuple[int, int]:
    """POST `total` bytes chunked, no Content-Length, stopping as soon as the server
    answers; returns (status, bytes sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(CHUNK)
        else:
            sock.sendall(b"0\r\n\r\n")
        answer = sock.recv(65536).decode("latin-1")
    status = int(answer.split(" ", 2)[1])
    return status, sent


@linux_only
def test_a_400_mib_chunked_post_is_refused_early_with_bounded_memory(tmp_path: Path) -> None:
    with _server_process(tmp_path) as (port, process):
        before = _peak_rss_mib(process.pid)
        status, sent = _chunked_post(port, "/v1/sync/push", ATTACK_BYTES)
        peak = _peak_rss_mib(process.pid)
    print(f"server peak RSS: {before:.0f} MiB before the attack, {peak:.0f} MiB after")
    assert status == 413
    assert sent < ATTACK_BYTES // 4, "the server read far past its limit before answering"
    assert peak - before < 4 * PUSH_BODY_BYTES / 2**20


def test_declared_lengths_over_a_routes_limit_are_refused_unread(
    sqlite_server: LiveServer,
) -> None:
    with sqlite_server.client() as http:
        token = http.post(
            "/oauth/token",
            content=b"x" * (TOKEN_BODY_BYTES + 1),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        pull = http.post(
            "/v1/sync/pull",
            content=b"{" + b" " * DEFAULT_BODY_BYTES + b"}",
            headers={"Content-Type": "application/json"},
        )
    assert (token.status_code, token.json()["code"]) == (413, "payload_too_large")
    assert (pull.status_code, pull.json()["code"]) == (413, "payload_too_large")
    assert token.headers["X-Fieldcase-Protocol"] == str(PROTOCOL_VERSION)


def test_a_chunked_token_request_over_its_limit_is_413_not_401(
    sqlite_server: LiveServer,
) -> None:
    def body() -> Iterator[bytes]:
        for _ in range(64):
            yield b"username=" + b"a" * 4096 + b"&"

    with sqlite_server.client() as http:
        answer = http.post(
            "/oauth/token",
            content=body(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.status_code == 413
    assert answer.json()["code"] == "payload_too_large"


def test_a_small_chunked_body_still_works(sqlite_server: LiveServer) -> None:
    """The counting costs nothing for honest clients: a chunked sign-in reaches the route."""

    def body() -> Iterator[bytes]:
        yield b"grant_type=password&client_id=nobody"

    with sqlite_server.client() as http:
        answer = http.post(
            "/oauth/token",
            content=body(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
