"""SQLite's WAL checkpoints on a thread of their own, off the request path.

In WAL mode a commit appends the pages it changed to the `-wal` file; a checkpoint
copies them back into the database file and syncs it, so the log can start over. By
default SQLite runs one inside whichever COMMIT takes the log past 1,000 pages: one
push batch in two or three paid tens of milliseconds for it before answering. Here an
engine's connections leave that to one `Checkpointer` thread per engine:

- when a connection that committed goes back to the pool, the thread wakes and runs a
  PASSIVE checkpoint on a connection of its own. PASSIVE takes no write lock and waits
  for nobody, so a writer is never blocked or failed by it; it copies every page no
  open reader still needs. A writer that then begins finds the log fully copied and
  starts it over from the beginning, so the log stays about one batch long;
- back-to-back writers can keep missing that moment (each begins before the previous
  checkpoint ends) and the log would grow: past `TRUNCATE_FRAMES` the thread runs a
  TRUNCATE checkpoint, which waits up to `TRUNCATE_WAIT_S` for the writer and the
  readers, copies everything and empties the file, or gives up and tries again later;
- the connections keep SQLite's own automatic checkpoint at `FALLBACK_PAGES`, far above
  what the thread lets the log reach: a safety net if the thread cannot keep up, or for
  a connection that commits but never returns to its pool.

The thread starts at the first commit and ends after `IDLE_SECONDS` without one (an
idle engine holds no thread or file handle); `stop()` (called on `engine.dispose()` and
at exit) ends it and waits for it. PostgreSQL has no such log and gets no checkpointer.
"""

from __future__ import annotations

import atexit
import logging
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

log = logging.getLogger(__name__)

FALLBACK_PAGES = 10_000  # about 40 MB of 4 KiB pages; SQLite's default is 1,000
TRUNCATE_FRAMES = 4_000
TRUNCATE_WAIT_S = 0.25
IDLE_SECONDS = 30.0

_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_live: weakref.WeakSet[Checkpointer] = weakref.WeakSet()
_exiting = threading.Event()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What `PRAGMA wal_checkpoint` answered: busy flag, frames in the log, frames copied."""

    mode: str
    busy: bool
    log_frames: int
    copied_frames: int


class Checkpointer:
    """Runs WAL checkpoints of the database at `path` on its own thread when poked."""

    def __init__(
        self,
        path: str,
        *,
        truncate_frames: int = TRUNCATE_FRAMES,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.path = path
        self.truncate_frames = truncate_frames
        self.idle_seconds = idle_seconds
        self.last: Outcome | None = None
        self.runs = 0
        self.truncations = 0
        self._state = threading.Condition()
        self._asked = 0  # pokes so far
        self._served = 0  # pokes a finished checkpoint started after
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._gate = threading.Lock()  # held for each checkpoint; `paused()` holds it
        _live.add(self)

    def poke(self) -> None:
        """Something was committed: checkpoint soon (pokes during a checkpoint coalesce)."""
        with self._state:
            self._asked += 1
            if self._thread is None and not self._stopping and not _exiting.is_set():
                self._thread = threading.Thread(
                    target=self._loop, name="sqlite-checkpointer", daemon=True
                )
                self._thread.start()
            self._state.notify_all()

    def stop(self) -> None:
        """End the thread and wait for it (a checkpoint under way finishes first)."""
        with self._state:
            self._stopping = True
            thread = self._thread
            self._state.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        with self._state:
            self._stopping = False  # an engine used again after dispose() starts a new one

    @property
    def thread(self) -> threading.Thread | None:
        """The checkpointing thread, while one runs."""
        with self._state:
            return self._thread

    def wait_caught_up(self, timeout: float) -> bool:
        """Wait until a checkpoint has started after every poke so far, and ended."""
        with self._state:
            target = self._asked
            return self._state.wait_for(lambda: self._served >= target, timeout)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No checkpoint runs inside this block (e.g. while the files are copied).

        `stop()` (and so `engine.dispose()`) waits for a checkpoint held here: not inside.
        """
        with self._gate:
            yield

    def _loop(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                with self._state:
                    woken = self._state.wait_for(
                        lambda: self._stopping or self._asked > self._served, self.idle_seconds
                    )
                    if self._stopping or not woken:
                        self._thread = None
                        return
                    target = self._asked
                conn = self._checkpoint(conn)
                with self._state:
                    self._served = target
                    self._state.notify_all()
        except sqlite3.Error as exc:
            # Nothing is lost: SQLite's own automatic checkpoint still bounds the log.
            log.warning("WAL checkpointer stopped: %s: %s", type(exc).__name__, exc)
            with self._state:
                self._thread = None
                self._served = self._asked
                self._state.notify_all()
        finally:
            if conn is not None:
                conn.close()

    def _connect(self) -> sqlite3.Connection:
        # mode=rw: never create a database that was removed meanwhile.
        uri = f"file:{quote(self.path)}?mode=rw"
        conn = sqlite3.connect(
            uri, uri=True, timeout=TRUNCATE_WAIT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA synchronous=NORMAL")  # as the engine's connections
        return conn

    def _checkpoint(self, conn: sqlite3.Connection | None) -> sqlite3.Connection | None:
        """One checkpoint (and a truncation if the log is long); returns the connection to
        use next time. A database held exclusively for a moment is left for next time."""
        with self._gate:
            try:
                conn = conn or self._connect()
                outcome = _run(conn, "PASSIVE")
                if outcome.log_frames >= self.truncate_frames:
                    frames = outcome.log_frames
                    outcome = _run(conn, "TRUNCATE")
                    self.truncations += not outcome.busy
                    log.info("WAL of %d frames: truncate busy=%s", frames, outcome.busy)
            except sqlite3.OperationalError as exc:
                # e.g. the last other connection closing checkpoints and removes the WAL
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _BUSY:
                    raise
                log.info("WAL checkpoint skipped: %s", exc)
                outcome = Outcome("PASSIVE", True, -1, -1)
            self.last = outcome
            self.runs += 1
            return conn


def _run(conn: sqlite3.Connection, mode: str) -> Outcome:
    busy, log_frames, copied = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    return Outcome(mode, bool(busy), int(log_frames), int(copied))


@atexit.register
def _stop_all() -> None:
    _exiting.set()
    for checkpointer in list(_live):
        checkpointer.stop()
