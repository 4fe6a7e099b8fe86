"""Drafts live in the encrypted cache: one per form and case, replaced, never synced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storage import drafts
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import evict

AT = dt.datetime(2026, 11, 20, 10, 42, tzinfo=dt.UTC)


def test_a_draft_is_kept_replaced_and_discarded(cdb: CacheDb) -> None:
    drafts.save(cdb, "contact", "X100001", "", {"notes": "first"}, at=AT)
    later = AT + dt.timedelta(minutes=3)
    drafts.save(cdb, "contact", "X100001", "", {"notes": "second"}, at=later)
    found = drafts.load(cdb, "contact", "X100001")
    assert found is not None
    assert (found.data, found.saved_at) == ({"notes": "second"}, later)
    assert drafts.load(cdb, "contact", "X100002") is None
    assert drafts.load(cdb, "outcome", "X100001") is None
    drafts.discard(cdb, "contact", "X100001")
    assert drafts.load(cdb, "contact", "X100001") is None


def test_forms_about_one_contact_have_a_draft_each(cdb: CacheDb) -> None:
    drafts.save(cdb, "outcome", "X100001", "c-1", {"outcome_code": "ATTC"}, at=AT)
    drafts.save(cdb, "outcome", "X100001", "c-2", {"outcome_code": "UAAB"}, at=AT)
    first = drafts.load(cdb, "outcome", "X100001", "c-1")
    assert first is not None
    assert first.data == {"outcome_code": "ATTC"}
    assert sorted(d.contact_id for d in drafts.for_case(cdb, "X100001")) == ["c-1", "c-2"]
    assert drafts.discard_case(cdb, "X100001") == 2
    assert drafts.for_case(cdb, "X100001") == []


def test_a_draft_is_not_in_the_outbox(cdb: CacheDb) -> None:
    drafts.save(cdb, "contact", "X100001", "", {"notes": "never synced"}, at=AT)
    assert cdb.one("SELECT count(*) FROM outbox") == 0


def test_draft_text_is_encrypted_on_disk(profile: Profile, cdb: CacheDb) -> None:
    drafts.save(cdb, "contact", "X100001", "", {"notes": "Zanzibar marker text"}, at=AT)
    cdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [p for p in Path(profile.folder).rglob("*") if p.is_file()]
    assert files
    assert all(b"Zanzibar marker" not in p.read_bytes() for p in files)


def test_a_case_leaving_the_laptop_takes_its_drafts(cdb: CacheDb, case) -> None:
    drafts.save(cdb, "contact", case.crn, "", {"notes": "about to be transferred"}, at=AT)
    drafts.save(cdb, "contact", "X999999", "", {"notes": "another case"}, at=AT)
    evict(cdb, [case.crn])
    assert drafts.for_case(cdb, case.crn) == []
    assert len(drafts.for_case(cdb, "X999999")) == 1
