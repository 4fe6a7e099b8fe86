"""`serve --exit-with-parent`: the service ends when the app that started it does.

The demo starts the service as a child of the desktop app. Quit stops it; a crash or a
killed app cannot, so the child watches its standard input, a pipe only the parent
holds: when the parent is gone, for any reason, the pipe reads end-of-file and the
service exits. Works the same on Windows and Linux (no process polling).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)


def exit_with_parent() -> threading.Thread:
    """Watch stdin on a daemon thread; exit the process at end-of-file."""

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        log.info("the app that started this service is gone: stopping")
        logging.shutdown()
        os._exit(0)

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread
