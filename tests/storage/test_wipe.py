from __future__ import annotations

from pathlib import Path

from storage.db import CacheDb
from storage.profile import Profile
from storage.wipe import cache_files
from tests.storage.builders import CaseData


def test_wipe_removes_files_and_key_and_can_be_repeated(
    profile: Profile, cdb: CacheDb, case: CaseData
) -> None:
    assert Path(str(profile.db_path) + "-wal").exists()
    cdb.close()
    profile.wipe()
    assert not any(p.exists() for p in cache_files(profile.db_path))
    assert not profile.keys.exists()
    profile.wipe()  # again, e.g. after an interruption: no error


def test_an_interrupted_wipe_finishes_next_time(
    profile: Profile, cdb: CacheDb, case: CaseData
) -> None:
    cdb.close()
    profile.keys.delete()  # the wipe stopped after deleting the key
    assert profile.db_path.exists()
    profile.wipe()
    assert not profile.db_path.exists()
