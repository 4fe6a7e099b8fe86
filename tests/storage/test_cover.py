"""Cover on the laptop: its cases leave by the laptop's own clock, search index included."""

from __future__ import annotations

import datetime as dt
import uuid

from storage import cover
from storage.db import CacheDb
from storage.pulled import apply_pull_page, held_cases
from storage.queries.contacts import diary
from storage.queries.search import search
from tests.storage.builders import OFFICER, make_case

START = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 21, 18, 0, tzinfo=dt.UTC)
COLLEAGUE = "N07P999"


def _colleagues_case(cdb: CacheDb, crn: str, surname: str) -> None:
    data = make_case(crn, surname=surname)
    data.person = data.person.model_copy(update={"staff_code": COLLEAGUE})
    data.contacts = [c.model_copy(update={"staff_code": COLLEAGUE}) for c in data.contacts]
    apply_pull_page(cdb, snapshots=[data.snapshot()], cursor="c", last_applied_seq=0)


def _cover(crns: tuple[str, ...], **extra: object) -> cover.CoverItem:
    fields: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "staff_code": COLLEAGUE,
        "colleague": "Sam Colleague",
        "starts_at": START,
        "ends_at": END,
        "reason": "Off sick",
        "visits_only": False,
        "crns": crns,
    }
    return cover.CoverItem(**{**fields, **extra})  # type: ignore[arg-type]


def test_covered_cases_are_evicted_when_the_period_ends_offline(cdb: CacheDb) -> None:
    _colleagues_case(cdb, "A100001", "Coverton")
    _colleagues_case(cdb, "A100002", "Stayput")
    cover.save_cover(cdb, _cover(("A100001", "A100002")))
    during = START + dt.timedelta(hours=2)
    assert cover.covered_crns(cdb, during) == {"A100001", "A100002"}
    assert cover.expire_covers(cdb, during, staff_code=OFFICER.staff_code) is None
    assert set(held_cases(cdb)) == {"A100001", "A100002"}
    assert search(cdb, "Coverton", limit=10)
    gone = cover.expire_covers(cdb, END, staff_code=OFFICER.staff_code)
    assert gone is not None
    assert gone.cases == {"A100001", "A100002"}
    assert held_cases(cdb) == []
    assert search(cdb, "Coverton", limit=10) == []
    assert search(cdb, "employment", limit=10) == []  # contact notes left the index too
    assert cover.covers(cdb) == []


def test_a_case_kept_for_another_reason_stays(cdb: CacheDb) -> None:
    _colleagues_case(cdb, "A100001", "Transferred")
    _colleagues_case(cdb, "A100002", "Pinned")
    _colleagues_case(cdb, "A100003", "Twice")
    cdb.execute(
        "UPDATE person SET data = json_set(data, '$.staff_code', ?) WHERE crn = 'A100001'",
        (OFFICER.staff_code,),
    )
    cdb.execute("UPDATE held_case SET pinned = 1 WHERE crn = 'A100002'")
    cover.save_cover(cdb, _cover(("A100001", "A100002", "A100003")))
    cover.save_cover(cdb, _cover(("A100003",), ends_at=END + dt.timedelta(days=1)))
    cover.expire_covers(cdb, END, staff_code=OFFICER.staff_code)
    assert set(held_cases(cdb)) == {"A100001", "A100002", "A100003"}
    assert cover.covered_crns(cdb, END) == {"A100003"}


def test_a_cover_ended_early_is_let_go_at_once(cdb: CacheDb) -> None:
    _colleagues_case(cdb, "A100001", "Coverton")
    cover.save_cover(cdb, _cover(("A100001",), ended_at=START + dt.timedelta(hours=1)))
    cover.expire_covers(cdb, START + dt.timedelta(hours=2), staff_code=OFFICER.staff_code)
    assert held_cases(cdb) == []


def test_the_diary_shows_the_colleagues_appointments_during_cover(cdb: CacheDb) -> None:
    _colleagues_case(cdb, "A100001", "Coverton")
    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert diary(cdb, first, last, staff_code=OFFICER.staff_code) == []
    shown = diary(cdb, first, last, staff_code=OFFICER.staff_code, covered={"A100001"})
    assert {d.crn for d in shown} == {"A100001"}
