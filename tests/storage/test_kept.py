"""A case kept from outside the caseload lapses on the laptop's own clock, offline too."""

from __future__ import annotations

import datetime as dt

from storage import kept, outbox
from storage.db import CacheDb
from storage.pulled import apply_pull_page
from tests.storage.builders import NOW, OFFICER, CaseData, make_case


def _keep(cdb: CacheDb, crn: str, until: dt.datetime) -> None:
    with cdb.atomic():
        kept.record(cdb, crn, "court", "", until)


def test_a_lapsed_keep_is_evicted_with_its_search_entries_and_unpinned(
    cdb: CacheDb, case: CaseData
) -> None:
    visit = make_case("Y123456", surname="Keptperson")
    apply_pull_page(cdb, snapshots=[visit.snapshot()], cursor="c2", last_applied_seq=0)
    _keep(cdb, visit.crn, NOW + dt.timedelta(days=kept.KEEP_DAYS))
    assert kept.lapse(cdb, actor=OFFICER, now=NOW + dt.timedelta(days=1)) == []
    assert cdb.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'keptperson'") == 1

    later = NOW + dt.timedelta(days=kept.KEEP_DAYS, minutes=1)  # offline all along
    assert kept.lapse(cdb, actor=OFFICER, now=later) == [visit.crn]

    assert cdb.one("SELECT count(*) FROM person WHERE crn = ?", (visit.crn,)) == 0
    assert cdb.one("SELECT count(*) FROM held_case WHERE crn = ?", (visit.crn,)) == 0
    assert cdb.one("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'keptperson'") == 0
    queued = [(m.name, m.args["crn"]) for m in outbox.pending(cdb)]
    assert queued == [("unpin_case", visit.crn)]  # the service forgets the keep too
    assert cdb.one("SELECT count(*) FROM person WHERE crn = ?", (case.crn,)) == 1  # others stay
    assert kept.lapse(cdb, actor=OFFICER, now=later) == []
