"""The WAL checkpoint after a pull's last page, on a thread of its own, not in its commit.

In WAL mode a commit appends the pages it changed to the `-wal` file; a checkpoint
copies them into the database file and syncs it, so the log can start over. SQLite
runs one inside whichever COMMIT takes the log past `wal_autocheckpoint` pages (1,000):
a pull of 1,000 changes writes ~600, so every other pull paid 8-12 ms for it in its
last commit (20-25% of the pull). A pull's last page now commits inside
`CacheDb.checkpoint_behind()`, which raises that threshold for its transaction and then
pokes the file's `WalCheckpointer`, whose thread runs a PASSIVE checkpoint on a
connection of its own:

- PASSIVE takes no lock and waits for nobody: a writer is never blocked or failed by it,
  and it copies every page no open reader still needs. The next writer then finds the
  log copied and starts it over (the file cut back to `journal_size_limit`).
- Nothing about durability changes: a commit is durable when its WAL frames are synced
  (`synchronous = FULL`), before and after this; a checkpoint only moves pages.
- Small commits (saves) keep SQLite's automatic checkpoint, one per ~1,000 pages of
  them: checkpointing after each save on the thread cost each save ~0.15 ms more (one
  more fsync of the database file a save, competing with the next save's), measured.
- A pull's bulk pages (`re_downloadable`) keep their few large checkpoints.

One checkpointer per cache file, shared by every connection to it (`acquire`/`release`):
the last connection's `close()` stops its thread and closes its connection, so a wipe
after closing every connection finds no handle open. The thread also ends after
`IDLE_SECONDS` without a poke, and at interpreter exit.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

IDLE_SECONDS = 30.0

Connect = Callable[[], Any]


class WalCheckpointer:
    """Runs PASSIVE checkpoints of one cache file on its own thread when poked."""

    def __init__(self, connect: Connect, *, idle_seconds: float = IDLE_SECONDS) -> None:
        self._connect = connect
        self.idle_seconds = idle_seconds
        self.runs = 0
        self.last: tuple[int, int, int] | None = None  # busy, log frames, frames copied
        self._state = threading.Condition()
        self._asked = 0  # pokes so far
        self._served = 0  # pokes a finished checkpoint started after
        self._stopping = False
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        """A large commit happened: checkpoint soon (pokes meanwhile coalesce)."""
        with self._state:
            self._asked += 1
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(
                    target=self._loop, name="cache-checkpointer", daemon=True
                )
                self._thread.start()
            self._state.notify_all()

    def stop(self) -> None:
        """End the thread (a checkpoint under way finishes first) and wait for it."""
        with self._state:
            self._stopping = True
            thread = self._thread
            self._state.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        with self._state:
            self._stopping = False

    @property
    def thread(self) -> threading.Thread | None:
        with self._state:
            return self._thread

    def wait_caught_up(self, timeout: float) -> bool:
        """Wait until a checkpoint has started after every poke so far, and ended."""
        with self._state:
            target = self._asked
            return self._state.wait_for(lambda: self._served >= target, timeout)

    def _loop(self) -> None:
        conn = None
        try:
            while True:
                with self._state:
                    woken = self._state.wait_for(
                        lambda: self._stopping or self._asked > self._served, self.idle_seconds
                    )
                    if self._stopping or not woken:
                        self._thread = None  # a poke from now on starts a new thread
                        return
                    target = self._asked
                if conn is None:
                    conn = self._connect()
                self.last = tuple(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
                self.runs += 1
                with self._state:
                    self._served = target
                    self._state.notify_all()
        except Exception as exc:  # nothing is lost: SQLite's own checkpoint remains
            log.warning("cache checkpointer stopped: %s", type(exc).__name__)
            with self._state:
                self._thread = None
                self._served = self._asked
                self._state.notify_all()
        finally:
            if conn is not None:
                conn.close()


_lock = threading.Lock()
_shared: dict[Path, tuple[WalCheckpointer, int]] = {}


def acquire(path: Path, connect: Connect) -> WalCheckpointer:
    """The checkpointer of the cache at `path`, for one more connection to it."""
    key = path.resolve()
    with _lock:
        found, users = _shared.get(key, (None, 0))
        if found is None:
            found = WalCheckpointer(connect)
        _shared[key] = (found, users + 1)
        return found


def release(path: Path) -> None:
    """One connection to `path` closed; the last one stops its checkpointer."""
    key = path.resolve()
    with _lock:
        found, users = _shared.get(key, (None, 0))
        if found is None:
            return
        if users > 1:
            _shared[key] = (found, users - 1)
            return
        del _shared[key]
    found.stop()


@atexit.register
def _stop_all() -> None:
    with _lock:
        every = [found for found, _users in _shared.values()]
    for found in every:
        found.stop()
