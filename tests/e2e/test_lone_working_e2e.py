"""Lone working end to end: the real client's cache and use cases against the real central
service over loopback HTTP. The plan is shared by a sync; the officer then has no signal;
no "back safe" by the expected time plus the grace period -> flagged centrally, on the
server's clock; the "back safe" arrives with a later sync -> cleared."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.usecases.today import back_safe, going_to_visit
from central.cli import main as central_main
from central.duty import duty_report
from central.duty_api import OVERDUE_EXIT
from domain.calendar import LONDON
from domain.semantics import Actor
from tests.sync.live import encrypted_cache, live_central, queue_local

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str):
    with live_central(database_url) as running:
        yield running


def _london(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _duty_json(url: str, at: dt.datetime, capsys) -> tuple[int, dict]:
    code = central_main(["duty", "--database-url", url, "--at", at.isoformat(), "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_overdue_back_safe_is_flagged_centrally_then_cleared(live, tmp_path, database_url, capsys):
    officer = live.seed.officers[0]
    staff_code = live.staff_code(officer)
    cache = encrypted_cache(tmp_path / "laptop", officer)
    laptop = live.laptop(officer, cache)
    day = dt.datetime.now(LONDON).date()
    clock = {"now": _london(day, 10, 0)}  # the laptop's clock: set off at 10:00
    actor = Actor(officer, staff_code, None)
    store = StorageCache(cache.db(), actor, lambda: clock["now"], owns_connection=False)
    ctx = AppContext(lambda: store, Officer(officer, "", staff_code), clock=lambda: clock["now"])
    try:
        laptop.sync()
        crn = sorted(cache.pull_state().held_cases)[0]
        going_to_visit(ctx, crn, dt.time(11, 0))
        assert laptop.sync().applied == 1  # the plan reaches the office
        # From here the laptop has no signal: nothing more reaches the server.
        with live.admin() as conn:
            early = duty_report(conn, now=_london(day, 11, 29))
        assert early.overdue == []
        code, report = _duty_json(database_url, _london(day, 11, 31), capsys)
        assert code == OVERDUE_EXIT
        assert report["overdue"] == 1
        mine = next(o for o in report["officers"] if o["staff_code"] == staff_code)
        assert mine["overdue"] is True
        assert mine["checks"] == [
            {"crn": crn, "set_off": "10:00", "expected_back": "11:00", "back_safe_at": None,
             "overdue": True, "overdue_since": _london(day, 11, 30).isoformat()},
        ]  # fmt: skip
        clock["now"] = _london(day, 11, 45)
        back_safe(ctx, crn)  # recorded with no signal: queued on the laptop
        code, _report = _duty_json(database_url, _london(day, 11, 50), capsys)
        assert code == OVERDUE_EXIT  # the office cannot know yet
        assert laptop.sync().applied == 1  # signal again: "back safe" arrives late
        code, report = _duty_json(database_url, _london(day, 11, 50), capsys)
        assert code == 0
        assert report["overdue"] == 0
        mine = next(o for o in report["officers"] if o["staff_code"] == staff_code)
        assert mine["checks"][0]["back_safe_at"] == "11:45"
    finally:
        cache.close()


def test_the_duty_endpoint_shows_the_callers_team(live):
    officer = live.seed.officers[0]
    token = live.server.token(officer)
    answer = live.server.get("/v1/duty/lone-working", token, grace_minutes=15)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["grace_minutes"] == 15
    assert live.staff_code(officer) in {o["staff_code"] for o in body["officers"]}


def _book_home_visit(live, officer: str, folder, day: dt.date) -> None:
    """Another laptop of the officer's books a home visit today and syncs it."""
    cache = encrypted_cache(folder, officer)
    try:
        laptop = live.laptop(officer, cache)
        laptop.sync()
        crn = sorted(cache.pull_state().held_cases)[0]
        event = cache.db().query("SELECT id FROM event WHERE crn = ? AND active = 1", (crn,))[0]
        args = {
            "contact_id": str(uuid.uuid4()), "crn": crn, "type_code": "CHVS",
            "date": day.isoformat(), "start_time": "23:00:00", "end_time": "23:30:00",
            "event_id": event["id"],
        }  # fmt: skip
        queue_local(cache, live, officer, "arrange_appointment", args)
        assert laptop.sync().applied == 1
    finally:
        cache.close()


def _expected(live, officer: str, day: dt.date) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from central.tables import records
    from domain.reference import reference

    attendance = {c.code for c in reference().contact_types.values() if c.attendance}
    staff_code, visible = live.staff_code(officer), live.visible_caseload(officer)
    with live.admin() as conn:
        rows = conn.execute(select(records.c.data).where(records.c.kind == "contact")).scalars()
        return sorted(
            (d["start_time"], d["crn"])
            for d in rows
            if d["date"] == day.isoformat() and d["staff_code"] == staff_code
            and d["type_code"] in attendance and d["crn"] in visible
        )  # fmt: skip


def test_the_day_plan_comes_from_the_service_and_briefs_offline(live, tmp_path):
    """After one sync the laptop has each visit of the officer's day (the seed's and one
    booked on another laptop) with its risk and photo, read from the encrypted cache alone."""
    from app.usecases.today import load_briefing, load_day

    officer = live.seed.officers[0]
    staff_code = live.staff_code(officer)
    day = dt.datetime.now(LONDON).date()
    _book_home_visit(live, officer, tmp_path / "other", day)
    expected = _expected(live, officer, day)
    assert expected
    cache = encrypted_cache(tmp_path / "laptop", officer)
    laptop = live.laptop(officer, cache)
    actor = Actor(officer, staff_code, None)
    store = StorageCache(cache.db(), actor, lambda: dt.datetime.now(dt.UTC), owns_connection=False)
    ctx = AppContext(lambda: store, Officer(officer, "", staff_code))
    try:
        laptop.sync()
        plan = load_day(ctx, day)
        assert [(f"{r.start_time:%H:%M:%S}", r.crn) for r in plan.rows] == expected
        briefing = load_briefing(ctx, day)
        assert len(briefing.pages) == len(expected)
        assert all(p.photo is not None for p in briefing.pages)
        assert all(p.rosh_levels for p in briefing.pages)
    finally:
        cache.close()
