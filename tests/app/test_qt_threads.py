"""Signals emitted from worker threads must not corrupt memory (PySide6 6.12.0 did).

Everything off the GUI thread (TaskRunner, the sync bridge) reports back by a
queued signal emitted on a worker thread. PySide6-Essentials 6.12.0 crashes the
process within a few thousand such emissions ("deallocating None/True"), so the
project excludes it; this test runs the pattern in a subprocess and fails if the
installed Qt binding crashes again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal

    app = QCoreApplication([])

    class Relay(QObject):
        delivered = Signal(object)

    relay = Relay()
    seen = []
    relay.delivered.connect(seen.append)
    pool = ThreadPoolExecutor(2)
    N = 4000
    for i in range(N):
        pool.submit(relay.delivered.emit, [i, None, True])
    while len(seen) < N:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    print("ok", len(seen))
    """
)


def test_worker_thread_signals_do_not_crash_the_process():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok 4000"
