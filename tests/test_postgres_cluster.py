"""The throwaway PostgreSQL cluster stops with the test run that started it, even killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support import postgres

ROOT = Path(__file__).resolve().parent.parent
START = """
import sys
from tests.support import postgres
with postgres.cluster() as url:
    print(url, flush=True)
    sys.stdin.read()  # a test run at work, until it is killed
"""


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.postgres
@pytest.mark.skipif(postgres.find_bin() is None, reason="PostgreSQL server binaries not installed")
@pytest.mark.skipif(os.name != "posix", reason="the watchdog is POSIX only")
def test_a_killed_test_run_leaves_no_cluster_running():
    run = subprocess.Popen(
        [sys.executable, "-c", START],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert run.stdout is not None
        url = run.stdout.readline().strip()
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        assert _accepts(port)
        run.send_signal(signal.SIGKILL)  # no finally, no atexit: as a CI timeout does
        run.wait(timeout=30)
        deadline, pause = time.monotonic() + 60, threading.Event()
        while _accepts(port) and time.monotonic() < deadline:
            pause.wait(0.2)  # polling the port: nothing else can tell us it closed
        assert not _accepts(port), "the cluster outlived the test run that started it"
    finally:
        if run.poll() is None:
            run.kill()
