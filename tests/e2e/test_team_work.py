"""Team work end to end: real client caches and use cases against the real service.

Officer A covers B's visits, records them offline, the cover runs out on A's laptop
before it reconnects (the cases leave it, the work does not), and B sees the work after
both sync; alerts follow a case to its new offender manager; the team caseload is kept
for reading offline.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import update

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.team_live import team_store
from app.usecases import alerts, team
from central.admin import allocate
from central.tables import covers
from domain.actor import Actor
from domain.calendar import LONDON
from domain.mutations import ArrangeAppointment, RecordContact, RecordOutcome
from storage.queries.search import search
from sync.errors import TransientError
from sync.team_api import TeamApi
from tests.sync.live import Live, encrypted_cache, live_central, now

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str) -> Iterator[Live]:
    with live_central(database_url) as running:
        yield running


class Clock:
    def __init__(self) -> None:
        self.at = now()

    def __call__(self) -> dt.datetime:
        return self.at


@contextmanager
def officer(live: Live, username: str, folder: Any, clock: Clock) -> Iterator[Any]:
    """An officer's laptop: the encrypted cache, its sync client and an app context."""
    cache = encrypted_cache(folder, username)
    laptop = live.laptop(username, cache)
    staff = live.staff_code(username)
    actor = Actor(username, staff, None)
    ctx = AppContext(
        lambda: StorageCache(cache.db(), actor, clock, owns_connection=False),
        Officer(username, username, staff, ""),
        clock=clock,
        team=TeamApi(laptop.http, laptop.auth),
        team_store=team_store(staff),
    )
    try:
        yield laptop, cache, ctx
    finally:
        ctx.close()
        cache.close()


def _plain_case(live: Live, username: str) -> str:
    barred = {*live.seed.exclusions, *live.seed.restrictions}
    return next(c for c in sorted(live.seed.caseloads[username]) if c not in barred)


def _event_id(cache: Any, crn: str) -> str:
    row = cache.db().query("SELECT data FROM event WHERE crn = ? ORDER BY number", (crn,))[0]
    return str(json.loads(row["data"])["id"])


def _visit_slot(moment: dt.datetime) -> tuple[dt.date, dt.time, dt.time]:
    """A home visit earlier today (London), so its outcome can be recorded now."""
    local = moment.astimezone(LONDON).replace(second=0, microsecond=0, tzinfo=None)
    midnight = local.replace(hour=0, minute=0)
    start = max(midnight, local - dt.timedelta(hours=1))
    end = min(start + dt.timedelta(minutes=30), local)
    if end <= start:
        pytest.skip("the first minute of a London day has no earlier slot")
    return local.date(), start.time(), end.time()


def _contacts(cache: Any, crn: str) -> dict[str, dict[str, Any]]:
    rows = cache.db().query("SELECT data FROM contact WHERE crn = ?", (crn,))
    return {d["id"]: d for d in (json.loads(r["data"]) for r in rows)}


def test_a_covers_bs_visits_offline_and_b_sees_the_work(live: Live, tmp_path: Any) -> None:
    a_name, b_name = live.seed.officers[0], live.seed.officers[1]
    clock = Clock()
    with (
        officer(live, a_name, tmp_path / "a", clock) as (a, a_cache, a_ctx),
        officer(live, b_name, tmp_path / "b", clock) as (b, b_cache, b_ctx),
    ):
        b.sync()
        crn = _plain_case(live, b_name)
        today, start, end = _visit_slot(clock())
        visit = ArrangeAppointment(
            contact_id=uuid.uuid4(),
            crn=crn,
            type_code="CHVS",
            date=today,
            start_time=start,
            end_time=end,
            event_id=uuid.UUID(_event_id(b_cache, crn)),
        )
        b_ctx.cache().apply("arrange_appointment", visit)
        b.sync()
        a.sync()
        assert crn not in set(a_cache.pull_state().held_cases)

        grant = team.request_cover(
            a_ctx,
            staff_code=live.staff_code(b_name),
            starts_at=clock(),
            ends_at=clock() + dt.timedelta(days=2),
            reason="Off sick",
            visits_only=True,
        )
        assert crn in grant.crns
        assert set(grant.crns) < set(live.seed.caseloads[b_name])  # visits only
        team.keep_cover(a_ctx, grant)
        a.sync()  # the covered cases come onto A's laptop
        assert set(grant.crns) <= set(a_cache.pull_state().held_cases)
        assert team.covered_cases(a_ctx) == frozenset(grant.crns)
        diary = a_ctx.cache().diary(today, today)
        [shown] = [d for d in diary if d.contact_id == str(visit.contact_id)]
        assert shown.is_cover

        # Offline from here: A records the visit and a note of it.
        base = a_ctx.cache().record("contact", visit.contact_id)
        assert base is not None
        outcome = RecordOutcome(
            contact_id=visit.contact_id, outcome_code="ATTC", base_version=base.version
        )
        a_ctx.cache().apply("record_outcome", outcome)
        call = RecordContact(
            contact_id=uuid.uuid4(), crn=crn, type_code="CTOB", date=clock().date(),
            notes="Covering: rang to confirm the visit",
        )  # fmt: skip
        a_ctx.cache().apply("record_contact", call)

        # The cover runs out while A's laptop is still offline: by its own clock, the
        # cases leave it (search index included); the work stays queued.
        with live.admin() as conn:
            conn.execute(update(covers).values(ends_at=now() - dt.timedelta(minutes=1)))
        clock.at = clock() + dt.timedelta(days=3)
        team.expire_covers(a_ctx)
        assert not set(grant.crns) & set(a_cache.pull_state().held_cases)
        assert search(a_cache.db(), "Covering", limit=10) == []
        assert a_cache.pending_count() == 2
        assert team.covered_cases(a_ctx) == frozenset()

        summary = a.sync()  # back online: the work is accepted, the cases stay gone
        assert (summary.applied, summary.rejected) == (2, 0)
        assert crn not in set(a_cache.pull_state().held_cases)

        b.sync()  # B, the offender manager, sees what A recorded, as A's work
        contacts = _contacts(b_cache, crn)
        assert contacts[str(visit.contact_id)]["outcome_code"] == "ATTC"
        assert contacts[str(call.contact_id)]["staff_code"] == live.staff_code(a_name)


def test_alerts_follow_the_case_to_its_new_offender_manager(live: Live, tmp_path: Any) -> None:
    a_name, b_name = live.seed.officers[0], live.seed.officers[1]
    clock = Clock()
    with (
        officer(live, a_name, tmp_path / "a", clock) as (a, _a_cache, a_ctx),
        officer(live, b_name, tmp_path / "b", clock) as (b, _b_cache, b_ctx),
    ):
        a.sync()
        b.sync()
        crn = _plain_case(live, a_name)
        before = alerts.alert_count(a_ctx)
        flagged = RecordContact(
            contact_id=uuid.uuid4(), crn=crn, type_code="C204", date=clock().date(),
            notes="Police: arrested last night", alert=True,
        )  # fmt: skip
        a_ctx.cache().apply("record_contact", flagged)
        assert alerts.alert_count(a_ctx) == before + 1
        a.sync()
        with live.admin() as conn:  # the case is transferred to B
            allocate(conn, crn, live.staff_code(b_name), now=now(), by="admin")
        b.sync()
        a.sync()
        ids = {row.contact_id for row in alerts.load_alerts(b_ctx)}
        assert str(flagged.contact_id) in ids
        assert str(flagged.contact_id) not in {r.contact_id for r in alerts.load_alerts(a_ctx)}

        alerts.clear_alert(b_ctx, crn=crn, contact_id=str(flagged.contact_id))
        assert str(flagged.contact_id) not in {r.contact_id for r in alerts.load_alerts(b_ctx)}
        assert b.sync().applied == 1
        with officer(live, b_name, tmp_path / "b2", clock) as (other, other_cache, _ctx):
            other.sync()  # B's other laptop: cleared there too
            data = _contacts(other_cache, crn)[str(flagged.contact_id)]
            assert data["alert_cleared_by"] == b_name


class Offline:
    def team_caseload(self) -> Any:
        raise TransientError("no network")


def test_the_team_caseload_is_kept_for_reading_offline(live: Live, tmp_path: Any) -> None:
    me = live.seed.officers[2]
    clock = Clock()
    with officer(live, me, tmp_path / "c", clock) as (laptop, _cache, ctx):
        laptop.sync()
        fetched = team.load_team(ctx)
        assert fetched.keep
        assert {r.crn for r in fetched.answer.rows} >= set(live.seed.caseloads[me])
        withheld = [r for r in fetched.answer.rows if r.withheld]
        assert all(not r.name for r in withheld)
        team.keep_team_copy(ctx, fetched.keep)
        ctx.team = Offline()  # type: ignore[assignment]
        again = team.load_team(ctx)
        assert again.keep == ""
        assert again.answer.offline_note.startswith("No connection")
        assert again.answer.rows == fetched.answer.rows


def test_a_cover_started_elsewhere_is_learnt_and_marked(live: Live, tmp_path: Any) -> None:
    a_name, b_name = live.seed.officers[0], live.seed.officers[1]
    clock = Clock()
    with (
        officer(live, a_name, tmp_path / "a", clock) as (_a, _cache, a_ctx),
        officer(live, a_name, tmp_path / "a2", clock) as (other, other_cache, other_ctx),
        officer(live, b_name, tmp_path / "b", clock) as (_b, _b_cache, b_ctx),
    ):
        grant = team.request_cover(
            a_ctx,
            staff_code=live.staff_code(b_name),
            starts_at=clock(),
            ends_at=clock() + dt.timedelta(days=1),
            reason="Court all day",
            visits_only=False,
        )
        other.sync()  # A's other laptop: the cases arrive, but why?
        assert set(grant.crns) <= set(other_cache.pull_state().held_cases)
        assert team.covered_cases(other_ctx) == frozenset()
        team.keep_covers(other_ctx, team.fetch_covers(other_ctx))
        assert team.covered_cases(other_ctx) == frozenset(grant.crns)
        assert team.fetch_covers(b_ctx) == []  # B is covered, not covering
