"""The sync engine with the real encrypted cache against the real central service."""

from __future__ import annotations

import pytest

from central.auth.devices import revoke_device
from storage.keys import KeyStore
from sync.cache import profile_name
from sync.errors import DeviceWiped
from tests.sync.live import (
    encrypted_cache,
    live_central,
    now,
    queue_local,
    record_contact_args,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str):
    with live_central(database_url) as running:
        yield running


def held(cache) -> set[str]:
    return set(cache.pull_state().held_cases)


def test_first_sync_offline_work_resync_and_checksums(live, tmp_path):
    officer = live.seed.officers[0]
    cache = encrypted_cache(tmp_path / "p", officer)
    laptop = live.laptop(officer, cache)
    try:
        summary = laptop.sync()
        assert held(cache) == live.visible_caseload(officer)
        assert summary.refetched == 0  # our checksums agree with the server's
        crn = sorted(held(cache))[0]
        seqs = [
            queue_local(cache, live, officer, "record_contact", record_contact_args(crn))
            for _ in range(3)
        ]
        assert seqs == sorted(seqs)
        assert cache.pending_count() == 3
        summary = laptop.sync()
        assert (summary.applied, summary.pending, summary.refetched) == (3, 0, 0)
        assert laptop.sync().pushed == 0
    finally:
        cache.close()


def test_conflict_is_kept_as_a_row(live, tmp_path):
    officer = live.seed.officers[0]
    first = encrypted_cache(tmp_path / "a", officer)
    second = encrypted_cache(tmp_path / "b", officer)
    a, b = live.laptop(officer, first), live.laptop(officer, second)
    try:
        a.sync()
        b.sync()
        crn = sorted(held(first))[0]
        person = first.db().query("SELECT version FROM person WHERE crn = ?", (crn,))[0]
        edit = {"crn": crn, "base_version": person["version"]}
        queue_local(
            first, live, officer, "update_contact_details", {**edit, "phone": "07700900001"}
        )
        queue_local(
            second, live, officer, "update_contact_details", {**edit, "phone": "07700900002"}
        )
        assert a.sync().applied == 1
        assert b.sync().conflicts == 1
        assert second.counts().conflicts == 1
    finally:
        first.close()
        second.close()


def test_revocation_destroys_cache_files_and_key(live, tmp_path):
    officer = live.seed.officers[0]
    folder = tmp_path / "p"
    cache = encrypted_cache(folder, officer)
    laptop = live.laptop(officer, cache)
    laptop.sync()
    queue_local(cache, live, officer, "record_contact", record_contact_args(sorted(held(cache))[0]))
    with live.admin() as conn:
        revoke_device(conn, str(cache.client_id()), "admin", now())
    with pytest.raises(DeviceWiped):
        laptop.sync()
    assert not KeyStore(profile_name(folder, officer)).exists()
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith("cache.db")]
    assert leftovers == []
    assert not laptop.auth.signed_in()
    with pytest.raises(DeviceWiped):
        cache.pending_count()  # never reopened as a new, empty cache
    assert not (folder / "cache.db").exists()


def test_a_damaged_case_is_detected_and_fetched_again(live, tmp_path):
    """Local damage (here a lost record) shows as a checksum that differs from the server's
    (the cache and central compute them alike); the next sync fetches that case again,
    and only that case."""
    officer = live.seed.officers[0]
    cache = encrypted_cache(tmp_path / "p", officer)
    laptop = live.laptop(officer, cache)
    try:
        laptop.sync()
        crn = sorted(held(cache))[0]
        db = cache.db()
        lost = db.query("SELECT id FROM contact WHERE crn = ? ORDER BY id LIMIT 1", (crn,))[0]["id"]
        with db.atomic():
            db.execute("DELETE FROM contact WHERE id = ?", (lost,))
        summary = laptop.sync()
        assert summary.refetched == 1
        assert db.query("SELECT id FROM contact WHERE id = ?", (lost,))  # back again
        assert laptop.sync().refetched == 0  # the checksums agree once more
    finally:
        cache.close()
