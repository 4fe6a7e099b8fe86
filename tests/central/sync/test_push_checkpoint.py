"""Push on SQLite: WAL checkpoints happen off the request path, and the WAL stays bounded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from central.checkpoint import Checkpointer
from central.db import checkpointer_of
from tests.central.sync.conftest import Officer, World, contact_args

WAIT_S = 30.0  # generous upper bound for a loaded CI machine; normally milliseconds
BATCH = 100


def _sqlite(world: World) -> tuple[Checkpointer, Path]:
    checkpointer = checkpointer_of(world.engine)
    if checkpointer is None:
        pytest.skip("PostgreSQL has no WAL file to checkpoint")
    return checkpointer, Path(world.url.removeprefix("sqlite:///"))


def _push_batch(officer: Officer, crn: str) -> None:
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(BATCH)]
    response = officer.send(*batch)
    assert [r.status for r in response.results] == ["applied"] * BATCH


def _wal_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_push_does_not_checkpoint_before_it_answers(world: World) -> None:
    """While the checkpointer is held, pushes well past SQLite's 1,000-page automatic
    checkpoint leave the database file untouched: no answer waited for a checkpoint."""
    checkpointer, path = _sqlite(world)
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    assert checkpointer.wait_caught_up(WAIT_S)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with checkpointer.paused():
        while _wal_bytes(path) < 1200 * 4096:
            _push_batch(officer, crn)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert checkpointer.wait_caught_up(WAIT_S)
    assert hashlib.sha256(path.read_bytes()).hexdigest() != before
    assert officer.send().last_applied_seq == officer.next_seq - 1


def test_the_wal_stays_bounded_under_sustained_pushes(world: World) -> None:
    """Batch after batch (the checkpointer catching up in between, as it does while the
    laptop stores each answer), the log starts over instead of growing with every batch."""
    checkpointer, path = _sqlite(world)
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    sizes = []
    for _ in range(15):
        _push_batch(officer, crn)
        assert checkpointer.wait_caught_up(WAIT_S)
        sizes.append(_wal_bytes(path))
    assert max(sizes) <= 2 * sizes[1]  # growing, it would reach about 7x by the end
    assert len(world.records_of(crn, "contact")) >= 15 * BATCH
