from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.db import CacheDb, NotADatabase
from storage.profile import Profile
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args


def test_the_files_on_disk_hold_no_readable_case_data(
    profile: Profile, cdb: CacheDb, case: CaseData
) -> None:
    note = "Discussed the Zebulon warehouse job"
    apply_local_mutation(
        cdb,
        "record_contact",
        contact_args(case.crn, notes=note),
        actor=OFFICER,
        today=TODAY,
        now=NOW,
    )
    wal = Path(str(profile.db_path) + "-wal")
    assert wal.stat().st_size > 0  # the change is (also) in the WAL right now
    for path in (profile.db_path, wal):
        content = path.read_bytes()
        assert not content.startswith(b"SQLite format 3")
        for secret in (case.crn, case.person.surname, "Zebulon"):
            assert secret.encode() not in content
            assert secret.encode("utf-16-le") not in content


def test_plain_sqlite_cannot_read_it(profile: Profile, cdb: CacheDb, case: CaseData) -> None:
    # The file as a thief finds it, with no connection of ours open (two SQLite libraries
    # in one process do not see each other's locks on the same file).
    cdb.close()
    plain = sqlite3.connect(profile.db_path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_another_key_cannot_open_it(profile: Profile, cdb: CacheDb, case: CaseData) -> None:
    with pytest.raises(NotADatabase):
        CacheDb(profile.db_path, bytes(32))


def test_the_pragmas_that_keep_data_safe(cdb: CacheDb) -> None:
    assert cdb.one("PRAGMA journal_mode") == "wal"
    assert cdb.one("PRAGMA synchronous") == 2  # FULL
    assert cdb.one("PRAGMA foreign_keys") == 1
    assert cdb.one("PRAGMA secure_delete") == 1


def _write_then_fail(cdb: CacheDb) -> None:
    with cdb.atomic():
        cdb.execute("INSERT INTO setting (key, value) VALUES ('a', '1')")
        with cdb.atomic():
            cdb.execute("INSERT INTO setting (key, value) VALUES ('b', '2')")
        raise RuntimeError("boom")


def test_atomic_rolls_back_everything_on_error(cdb: CacheDb) -> None:
    with pytest.raises(RuntimeError):
        _write_then_fail(cdb)
    assert cdb.one("SELECT count(*) FROM setting") == 0


def test_a_reader_connection_sees_committed_writes(
    profile: Profile, key: bytes, cdb: CacheDb
) -> None:
    with cdb.atomic():
        cdb.execute("INSERT INTO setting (key, value) VALUES ('a', '1')")
    with profile.connect(key) as reader:
        assert reader.one("SELECT value FROM setting WHERE key = 'a'") == "1"


def test_a_full_disk_is_a_plain_error_and_saves_nothing(cdb: CacheDb) -> None:
    from storage.errors import DiskFull

    cdb.execute("PRAGMA max_page_count = 1")  # smaller than the file: every write is "full"
    with pytest.raises(DiskFull), cdb.atomic():
        cdb.execute("INSERT INTO setting (key, value) VALUES ('a', ?)", ("x" * 100_000,))
    assert cdb.one("SELECT count(*) FROM setting") == 0
