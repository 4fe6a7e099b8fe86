from __future__ import annotations

import pytest

from storage import outbox
from storage.db import CacheDb
from storage.profile import Profile
from storage.salvage import open_sealed
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args

SALVAGED_NOTE = "Talked about the Quillfeather allotment"


def _queue(cdb: CacheDb, case: CaseData, count: int) -> None:
    for _ in range(count):
        args = contact_args(case.crn, notes=SALVAGED_NOTE)
        apply_local_mutation(cdb, "record_contact", args, actor=OFFICER, today=TODAY, now=NOW)


@pytest.mark.allow_warnings
def test_a_garbage_file_is_rebuilt_with_a_plain_notice(profile: Profile, key: bytes) -> None:
    profile.folder.mkdir(parents=True)
    profile.db_path.write_bytes(b"\x00garbage" * 1000)
    cdb = profile.open_writer(key)
    assert profile.notice is not None
    assert "downloaded again" in profile.notice.message
    assert cdb.one("SELECT count(*) FROM outbox") == 0
    cdb.close()


@pytest.mark.allow_warnings
def test_unsent_work_is_salvaged_from_a_damaged_cache(
    profile: Profile, key: bytes, cdb: CacheDb, case: CaseData
) -> None:
    _queue(cdb, case, 3)
    client_id = cdb.one("SELECT client_id FROM sync_state")
    cdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cdb.close()
    profile.close()
    # Damage pages that hold case data but leave the outbox readable.
    data = bytearray(profile.db_path.read_bytes())
    page = 4096
    for number in range(2, 6):
        data[number * page : number * page + 64] = b"\xff" * 64
    profile.db_path.write_bytes(bytes(data))
    again = Profile(profile.folder, "officer.one")
    rebuilt = again.open_writer(key)
    assert again.notice is not None
    kept = outbox.pending(rebuilt)
    assert [r.seq for r in kept] == [1, 2, 3]
    assert rebuilt.one("SELECT client_id FROM sync_state") == client_id
    assert rebuilt.one("SELECT last_seq FROM sync_state") == 3
    assert again.notice.saved_changes == 3
    [sealed] = list(profile.folder.glob("salvaged-*.bin"))
    assert len(open_sealed(sealed, key).outbox) == 3
    # The salvaged work is personal data: sealed, never a readable side file.
    for secret in (case.crn, SALVAGED_NOTE):
        assert secret.encode() not in sealed.read_bytes()
    assert SALVAGED_NOTE in kept[0].args["notes"]
    rebuilt.close()
    again.close()


@pytest.mark.allow_warnings
def test_a_truncated_cache_is_detected(
    profile: Profile, key: bytes, cdb: CacheDb, case: CaseData
) -> None:
    cdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cdb.close()
    profile.close()
    size = profile.db_path.stat().st_size
    with profile.db_path.open("r+b") as handle:
        handle.truncate(size // 3)
    again = Profile(profile.folder, "officer.one")
    again.open_writer(key).close()
    assert again.notice is not None
    again.close()


def test_a_full_disk_is_not_mistaken_for_damage(
    profile: Profile, key: bytes, cdb: CacheDb, case: CaseData, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.profile as profile_module
    from storage.db import SQLError

    cdb.close()
    profile.close()

    def disk_full(_db: object) -> int:
        raise SQLError("database or disk is full")

    monkeypatch.setattr(profile_module, "migrate", disk_full)
    again = Profile(profile.folder, "officer.one")
    with pytest.raises(SQLError):
        again.open_writer(key)
    assert again.notice is None
    assert not again.lock.held
    monkeypatch.undo()
    reopened = again.open_writer(key)
    assert reopened.one("SELECT count(*) FROM held_case") == 1  # nothing thrown away
    reopened.close()
    again.close()
