"""`GET /v1/duty/lone-working` and `fieldcase-central duty`: the team's field day, overdue
check-ins flagged on the server's clock (central/duty.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from central.auth.deps import CurrentPrincipal
from central.db import make_engine, utcnow
from central.duty import DutyReport, duty_report
from central.errors import ApiError
from central.state import AppState, app_state

router = APIRouter(tags=["duty"])


class DutyVisitOut(BaseModel):
    crn: str
    start: str | None
    end: str | None
    type: str
    outcome: str | None


class DutyCheckOut(BaseModel):
    crn: str
    set_off: str
    expected_back: str
    back_safe_at: str | None
    overdue: bool
    overdue_since: str | None


class OfficerDayOut(BaseModel):
    staff_code: str
    name: str
    overdue: bool
    visits: list[DutyVisitOut]
    checks: list[DutyCheckOut]


class DutyOut(BaseModel):
    """Times are Europe/London wall-clock times (HH:MM); `checked_at` is the server's clock."""

    day: str
    checked_at: str
    grace_minutes: int
    overdue: int
    officers: list[OfficerDayOut]


OVERDUE_EXIT = 3  # `duty` exits with this when a check-in is overdue: a scheduler can page


@router.get("/v1/duty/lone-working", response_model=DutyOut)
def lone_working(
    principal: CurrentPrincipal,
    state: Annotated[AppState, Depends(app_state)],
    grace_minutes: Annotated[int, Query(ge=0, le=240)] = 30,
) -> DutyOut:
    """The caller's team: each officer's visits today and their lone-working check-ins,
    overdue ones flagged (judged now, on this server's clock)."""
    if principal.team_code is None:
        raise ApiError(403, "no_team", "Only a member of a team can see the team's field day.")
    with state.engine.connect() as conn:
        report = duty_report(
            conn,
            now=utcnow(),
            team_code=principal.team_code,
            grace=dt.timedelta(minutes=grace_minutes),
        )
    return DutyOut.model_validate(report.as_json())


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("duty", help="each officer's visits today; overdue 'back safe' flagged")
    p.add_argument("--database-url", required=True, help="SQLAlchemy URL of the database")
    p.add_argument("--team", help="only this team (6-character code)")
    p.add_argument("--grace-minutes", type=int, default=30, help="(%(default)s)")
    p.add_argument("--at", help="judge at this ISO time instead of now (reconstructing a day)")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(handler=duty_command)


def duty_command(args: argparse.Namespace) -> int:
    now = dt.datetime.fromisoformat(args.at) if args.at else utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    engine = make_engine(args.database_url)
    try:
        with engine.connect() as conn:
            report = duty_report(
                conn, now=now, team_code=args.team, grace=dt.timedelta(minutes=args.grace_minutes)
            )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_json()), flush=True)
    else:
        print_report(report)
    return OVERDUE_EXIT if report.overdue else 0


def print_report(report: DutyReport) -> None:
    print(f"Field day {report.day:%a %d %b %Y}, checked {report.checked_at:%H:%M} (server time)")
    for o in report.officers:
        if not o.visits and not o.checks:
            continue
        print(f"\n{o.name} ({o.staff_code})" + ("  ** OVERDUE **" if o.overdue else ""))
        for v in o.visits:
            print(f"  {_clock(v.start)}-{_clock(v.end)}  {v.crn}  {v.type_text}")
        for c in o.checks:
            state = f"back safe {_clock(c.back_safe_at)}" if c.back_safe_at else "out"
            if c.overdue:
                state = f"OVERDUE (back by {_clock(c.expected_back)} + {report.grace_minutes} min)"
            print(f"  lone working {c.crn}: set off {_clock(c.set_off)}, {state}")
    overdue = report.overdue
    print(f"\n{len(overdue)} overdue check-in(s)" if overdue else "\nNo overdue check-ins.")


def _clock(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value is not None else "--:--"
