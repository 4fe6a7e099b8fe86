"""The field day's records in the cache: the photo and the RoSH summary arrive with the
case, are encrypted with the rest of the file, count in the case's checksum, and leave
with the case."""

from __future__ import annotations

import base64
import datetime as dt

from storage.checksum import case_checksums
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.support.field_day import field_case, snapshot_with


def _photos(cdb: CacheDb, crn: str) -> int:
    return int(cdb.one("SELECT count(*) FROM photo WHERE crn = ?", (crn,)))


def test_a_photo_arrives_with_its_case_and_is_evicted_with_it(cdb: CacheDb) -> None:
    kept, kept_extra = field_case("K100001", "Kim", "Kept", start=dt.time(9))
    gone, gone_extra = field_case("G100002", "Gil", "Gone", start=dt.time(10))
    snapshots = [snapshot_with(kept, kept_extra), snapshot_with(gone, gone_extra)]
    apply_pull_page(cdb, snapshots=snapshots, cursor="c1", last_applied_seq=0)
    assert (_photos(cdb, "K100001"), _photos(cdb, "G100002")) == (1, 1)
    assert case_checksums(cdb)["G100002"] == snapshots[1].checksum  # photo and RoSH count
    apply_pull_page(cdb, evicted=["G100002"], cursor="c2", last_applied_seq=0)
    assert _photos(cdb, "G100002") == 0
    assert cdb.one("SELECT count(*) FROM rosh WHERE crn = 'G100002'") == 0
    assert _photos(cdb, "K100001") == 1


def test_the_photo_is_encrypted_on_disk(profile: Profile, cdb: CacheDb) -> None:
    case, extra = field_case("K100001", "Kim", "Kept", start=dt.time(9))
    apply_pull_page(cdb, snapshots=[snapshot_with(case, extra)], cursor="c1", last_applied_seq=0)
    cdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    photo = next(e for kind, e in extra if kind == "photo")
    raw = base64.b64decode(photo.content_base64)
    disk = profile.db_path.read_bytes()
    assert photo.content_base64[:40].encode() not in disk
    assert raw[:64] not in disk
