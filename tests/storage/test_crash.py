"""Crash atomicity: a process applying mutations is SIGKILLed at random moments.

After each kill the cache is reopened and must agree with its outbox exactly: every
write the child saw committed is there, both as cache rows and as a queued mutation,
and nothing is half there (no row without its mutation, no gap in the seq numbers, a
consistent search index).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, contact_args, make_case

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses forkserver and SIGKILL")

KEY = bytes(range(32))
CRN = "X320741"


def _child(folder: str, seed: int, pipe: Connection) -> None:
    """Apply mutations forever, reporting each one only after it committed."""
    profile = Profile(Path(folder), "crash", kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(KEY)
    rng = random.Random(seed)
    while True:
        if rng.random() < 0.3:
            phone = f"01632{rng.randrange(10**6):06d}"
            args = {"crn": CRN, "phone": phone, "base_version": 1}
            apply_local_mutation(
                cdb, "update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW
            )
            pipe.send(("phone", phone))
        else:
            args = contact_args(CRN, notes="x" * rng.randrange(2000))
            apply_local_mutation(cdb, "record_contact", args, actor=OFFICER, today=TODAY, now=NOW)
            pipe.send(("contact", args["contact_id"]))


def _check(cdb: CacheDb, acked: list[tuple[str, str]]) -> None:
    queued = cdb.query("SELECT seq, name, args FROM outbox ORDER BY seq")
    assert [r["seq"] for r in queued] == list(range(1, len(queued) + 1))
    assert cdb.one("SELECT last_seq FROM sync_state") == len(queued)
    queued_contacts = {
        json.loads(r["args"])["contact_id"] for r in queued if r["name"] == "record_contact"
    }
    cached = {r["id"] for r in cdb.query("SELECT id FROM contact WHERE pending = 1")}
    assert cached == queued_contacts
    phones = [
        json.loads(r["args"])["phone"] for r in queued if r["name"] == "update_contact_details"
    ]
    person = json.loads(cdb.one("SELECT data FROM person"))
    assert person["phone"] == (phones[-1] if phones else "")
    for kind, value in acked:
        if kind == "contact":
            assert value in cached
    # Acknowledged edits are all there, in order; a write that committed just before
    # the kill (never acknowledged) may sit between them.
    remaining = iter(phones)
    assert all(any(p == v for p in remaining) for k, v in acked if k == "phone")
    cdb.execute("INSERT INTO contact_fts(contact_fts) VALUES ('integrity-check')")
    assert cdb.one("PRAGMA quick_check") == "ok"


def _run(tmp_path: Path, iterations: int) -> None:
    folder = tmp_path / "profile"
    profile = Profile(folder, "crash", kdf=FAST_TEST_PARAMS)
    with profile.open_writer(KEY) as cdb:
        apply_pull_page(cdb, snapshots=[make_case(CRN).snapshot()], cursor="c", last_applied_seq=0)
    profile.close()
    # forkserver: children fork from a clean single-threaded server (never from pytest,
    # whose other threads could hold a lock at fork time), with the modules preloaded.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.storage.test_crash"])
    rng = random.Random(20261122)
    acked: list[tuple[str, str]] = []
    for iteration in range(iterations):
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(str(folder), iteration, send), daemon=True)
        child.start()
        send.close()
        for _ in range(rng.randrange(1, 12)):
            acked.append(receive.recv())
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)  # mid-write: the child never stops writing
        child.join()
        while receive.poll():  # acknowledgements sent before the kill still count
            try:
                acked.append(receive.recv())
            except EOFError:
                break
        receive.close()
        with profile.open_writer(KEY) as cdb:
            _check(cdb, acked)
        profile.close()


def test_sigkill_never_leaves_cache_and_outbox_apart(tmp_path: Path) -> None:
    _run(tmp_path, iterations=30)


@pytest.mark.slow
def test_sigkill_many_times(tmp_path: Path) -> None:
    _run(tmp_path, iterations=300)
