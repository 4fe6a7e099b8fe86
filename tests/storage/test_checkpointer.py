"""A pull's last page leaves its WAL checkpoint to a thread of its own instead of paying
for it in its commit; saves keep SQLite's shared checkpoints; and the thread goes away
with the last connection to the file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from storage import checkpointer
from storage.db import CHECKPOINT_PAGES, FALLBACK_PAGES, CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import make_case
from tests.storage.conftest import PASSWORD

# One row per page or so: SQLCipher's pages are 4 KiB.
_ROW = "x" * 3_000


def _write(cdb: CacheDb, rows: int) -> None:
    with cdb.atomic():
        cdb.execute("CREATE TABLE IF NOT EXISTS filler (body TEXT)")
        cdb.conn.executemany("INSERT INTO filler VALUES (?)", [(_ROW,)] * rows)


def _log_frames(cdb: CacheDb) -> tuple[int, int]:
    """(frames in the log, frames of it already copied into the database file)."""
    _busy, frames, copied = cdb.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return frames, copied


def _checkpointer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "cache-checkpointer"]


def test_a_commit_behind_is_checkpointed_by_the_thread(cdb: CacheDb) -> None:
    runs = cdb.checkpointer.runs
    with cdb.checkpoint_behind():
        _write(cdb, 300)

    assert cdb.checkpointer.wait_caught_up(10)
    assert cdb.checkpointer.runs > runs
    busy, frames, copied = cdb.checkpointer.last or (1, 0, -1)
    assert busy == 0
    assert frames > 0
    assert copied == frames


def test_a_commit_behind_past_sqlites_default_does_not_checkpoint_inside_the_commit(
    cdb: CacheDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the thread held back, a commit of 1,500 pages leaves them all in the log:
    the committing thread paid no checkpoint (SQLite's default would at 1,000)."""
    monkeypatch.setattr(checkpointer.WalCheckpointer, "poke", lambda _self: None)
    with cdb.checkpoint_behind():
        assert cdb.one("PRAGMA wal_autocheckpoint") == FALLBACK_PAGES > 1_500
        _write(cdb, 1_500)
    assert cdb.one("PRAGMA wal_autocheckpoint") == CHECKPOINT_PAGES
    with cdb.checkpoint_behind(), cdb.atomic():
        cdb.execute("INSERT INTO filler VALUES ('after')")

    # An inline checkpoint after the big commit would have let the next one start the
    # log over (a few frames); without one, every frame is still there.
    assert _log_frames(cdb)[0] >= 1_500


def test_saves_and_bulk_pages_do_not_poke_and_a_pulls_last_page_does(
    cdb: CacheDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small commits share SQLite's checkpoint every ~1,000 pages (a checkpoint after each
    save cost each save an fsync more); a pull's last page hands its own to the thread."""
    pokes: list[int] = []
    monkeypatch.setattr(checkpointer.WalCheckpointer, "poke", lambda _self: pokes.append(1))
    with cdb.re_downloadable():
        _write(cdb, 10)
    _write(cdb, 10)
    assert pokes == []
    case = make_case()
    apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c1", last_applied_seq=0)
    assert pokes == [1]


def test_the_last_connection_closed_stops_the_thread(profile: Profile) -> None:
    """A wipe follows closing every connection: no handle of the checkpointer is left."""
    key = profile.keys.create(PASSWORD)
    writer = profile.open_writer(key)
    reader = profile.connect(key)
    assert reader.checkpointer is writer.checkpointer  # one per file
    with writer.checkpoint_behind():
        _write(writer, 50)
    assert writer.checkpointer.wait_caught_up(10)
    assert writer.checkpointer.thread is not None

    reader.close()
    assert writer.checkpointer.thread is not None
    writer.close()
    profile.close()

    assert writer.checkpointer.thread is None
    assert _checkpointer_threads() == []
    profile.wipe()
    assert not profile.db_path.exists()


def test_an_idle_checkpointer_ends_its_thread(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").close()
    found = checkpointer.WalCheckpointer(
        lambda: sqlite3.connect(path, check_same_thread=False), idle_seconds=0.05
    )
    found.poke()
    thread = found.thread
    assert found.wait_caught_up(10)
    assert thread is not None

    thread.join(10)
    assert not thread.is_alive()
    assert found.thread is None
    found.poke()  # a commit after that starts a new one
    assert found.wait_caught_up(10)
    found.stop()
