"""A case kept from outside the caseload leaves the laptop when its keep lapses by the
laptop's own clock: at unlock, offline (no server anywhere), search index included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import settings as settings_store
from app.backend import LiveBackend
from app.settings import Settings
from storage import kept
from storage.crypto import FAST_TEST_PARAMS
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import make_case

USER = "officer.one"
PASSWORD = "keep-lapse-pw"


def _profile(folder: Path, lapsed_at: dt.datetime) -> None:
    profile = Profile(folder, f"{USER}@{folder.resolve()}", kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(profile.keys.create(PASSWORD))
    mine, visit = make_case("X000001", surname="Mine"), make_case("Y000002", surname="Visited")
    apply_pull_page(
        cdb, snapshots=[mine.snapshot(), visit.snapshot()], cursor="c1", last_applied_seq=0
    )
    with cdb.atomic():
        kept.record(cdb, visit.crn, "court", "", lapsed_at)
    cdb.close()
    profile.close()
    settings_store.save(folder, Settings(username=USER, server_url="http://127.0.0.1:9"))


def test_unlocking_offline_evicts_a_lapsed_keep_and_queues_its_unpin(tmp_path, memory_keyring):
    folder = tmp_path / "profile"
    _profile(folder, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    backend = LiveBackend(folder, settings_store.load(folder), kdf=FAST_TEST_PARAMS)
    try:
        backend.unlock(USER, PASSWORD)
        assert backend.cache is not None
        db = backend.cache.db()
        assert db.one("SELECT count(*) FROM person WHERE crn = 'Y000002'") == 0
        assert db.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'visited'") == 0
        assert db.one("SELECT count(*) FROM person WHERE crn = 'X000001'") == 1
        assert backend.pending_count() == 1  # unpin_case, for the service to forget it too
    finally:
        backend.close()
