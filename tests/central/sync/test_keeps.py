"""Keeping a case from outside the caseload: a reason, audited; lapsing by policy; approval
per region. Each attack is an officer keeping a case with no reason, for ever, or unapproved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from central.audit import case_audit
from central.db import transaction
from central.keeps import decide, set_policy
from central.tables import pins, teams
from tests.central.sync.conftest import Officer, World


def _someone_elses_case(world: World, me: str) -> str:
    other = next(o for o in world.seed.officers if o != me)
    return world.plain_case(other)


def _keep(
    officer: Officer, crn: str, reason: str = "court", text: str = ""
) -> tuple[str, str | None]:
    env = officer.envelope("pin_case", {"crn": crn, "reason": reason, "reason_text": text})
    result = officer.send(env.model_copy(update={"version": 2})).results[-1]
    return result.status, result.code


def test_a_keep_records_its_reason_on_the_case_trail(world: World) -> None:
    me = world.seed.officers[0]
    officer, crn = world.officer(me), _someone_elses_case(world, me)
    assert _keep(officer, crn, "other", "Home visit with the duty team") == ("applied", None)
    officer.sync()
    assert crn in officer.held
    with world.engine.connect() as conn:
        kept = next(e for e in case_audit(conn, crn) if e.action == "pin_case")
        row = conn.execute(select(pins).where(pins.c.crn == crn)).one()
    assert kept.detail["reason"] == "other"
    assert kept.detail["reason_text"] == "Home visit with the duty team"
    assert (row.reason, row.status) == ("other", "kept")
    assert row.expires_at is not None


def test_other_without_words_is_refused(world: World) -> None:
    me = world.seed.officers[0]
    officer, crn = world.officer(me), _someone_elses_case(world, me)
    assert _keep(officer, crn, "other", "  ") == ("rejected", "validation_error")


def test_a_lapsed_keep_leaves_scope_and_the_laptop_at_its_next_pull(world: World) -> None:
    me = world.seed.officers[0]
    officer, crn = world.officer(me), _someone_elses_case(world, me)
    _keep(officer, crn, "cover")
    officer.sync()
    assert crn in officer.held
    with transaction(world.engine) as conn:  # the policy's days have passed
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        conn.execute(update(pins).where(pins.c.crn == crn).values(expires_at=past))
    pages = officer.sync()
    assert crn in {c for page in pages for c in page.evicted}
    assert crn not in officer.held


def test_a_region_that_needs_approval_holds_the_keep_until_approved(world: World) -> None:
    me = world.seed.officers[0]
    officer, crn = world.officer(me), _someone_elses_case(world, me)
    with transaction(world.engine) as conn:
        region = conn.execute(
            select(teams.c.provider_code).where(teams.c.code == officer.principal.team_code)
        ).scalar_one()
        set_policy(conn, region, needs_approval=True, keep_days=3)
    assert _keep(officer, crn, "duty") == ("applied", "pending_approval")
    officer.sync()
    assert crn not in officer.held
    with transaction(world.engine) as conn:
        decide(conn, me, crn, approve=True, by="ana")
    officer.sync()
    assert crn in officer.held
    with world.engine.connect() as conn:
        row = conn.execute(select(pins).where(pins.c.crn == crn)).one()
        actions = [e.action for e in case_audit(conn, crn)]
    assert row.expires_at - row.pinned_at == dt.timedelta(days=3)
    assert "keep_approved" in actions
