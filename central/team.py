"""`GET /v1/team/caseload`: every case of the officer's team, online only.

Each case with its offender manager, next appointment, highest risk of serious harm,
open alerts and compliance picture (`central.team_facts`), and the team's officers with
who is covering whom. Limited Access applies exactly as everywhere else: a case that
excludes the officer, or is restricted to others, is listed by CRN and offender
manager only, with the case's message in place of everything else (nDelius lists such
cases the same way), and none of its records is read. The listing is audited once per
request (the officer looked at the team list), not per case: no case was opened.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from sqlalchemy import Connection, and_, exists, func, select

from central import team_memo
from central.audit import record_audit
from central.auth.deps import CurrentPrincipal, Principal
from central.db import transaction, utcnow
from central.errors import ApiError
from central.lao import visible_to
from central.state import AppState, app_state
from central.sync.pull import reading
from central.tables import cases, covers, lao_exclusions, lao_messages, staff, teams, users
from central.team_facts import CaseFacts, counts, read_facts, risk_text, worst_picture
from domain.access import LimitedAccess
from domain.calendar import LONDON
from sync.protocol import TeamCase, TeamCaseload, TeamOfficer

router = APIRouter(prefix="/v1/team", tags=["team"])
State = Annotated[AppState, Depends(app_state)]
_DEFAULT = LimitedAccess(crn="X000000")


def _team_cases(conn: Connection, principal: Principal, team_code: str) -> list[Any]:
    excluded = exists(
        select(lao_exclusions.c.crn).where(
            lao_exclusions.c.crn == cases.c.crn, lao_exclusions.c.username == principal.username
        )
    )
    query = (
        select(
            cases.c.crn,
            cases.c.staff_code,
            visible_to(principal.username).label("visible"),
            excluded.label("excluded"),
            lao_messages.c.exclusion_message,
            lao_messages.c.restriction_message,
            team_memo.case_version().label("version"),
        )
        .outerjoin(lao_messages, lao_messages.c.crn == cases.c.crn)
        .where(cases.c.team_code == team_code)
        .order_by(cases.c.crn)
    )
    return list(conn.execute(query))


def _withheld(row: Any) -> str:
    if row.excluded:
        return str(row.exclusion_message or _DEFAULT.exclusion_message)
    return str(row.restriction_message or _DEFAULT.restriction_message)


def _officers(conn: Connection, team_code: str, now: dt.datetime) -> list[Any]:
    coverer = staff.alias("coverer")
    covering = (
        select(func.min(coverer.c.forename + " " + coverer.c.surname))
        .select_from(covers.join(users, users.c.username == covers.c.username))
        .join(coverer, coverer.c.code == users.c.staff_code)
        .where(
            and_(
                covers.c.staff_code == staff.c.code,
                covers.c.starts_at <= now,
                func.coalesce(covers.c.ended_at, covers.c.ends_at) > now,
            )
        )
        .scalar_subquery()
    )
    query = (
        select(staff.c.code, staff.c.forename, staff.c.surname, users.c.username, covering)
        .outerjoin(users, users.c.staff_code == staff.c.code)
        .where(staff.c.team_code == team_code)
        .order_by(staff.c.surname, staff.c.forename)
    )
    return list(conn.execute(query))


def _line(crn: str, facts: CaseFacts | None, today: dt.date) -> TeamCase:
    """What the list shows of a case the officer may see (its manager added per request)."""
    facts = facts or CaseFacts()
    person = facts.person
    picture = worst_picture(facts, today)
    upcoming = facts.next_appointment
    return TeamCase(
        crn=crn,
        staff_code=None,
        offender_manager=None,
        name=f"{person.get('first_name', '')} {person.get('surname', '')}".strip() or None,
        tier=person.get("tier") or None,
        risk=risk_text(facts.registrations),
        next_appointment=(
            dt.datetime.combine(upcoming[0], upcoming[1] or dt.time()) if upcoming else None
        ),
        next_appointment_type=upcoming[2] if upcoming else None,
        compliance=counts(picture) if picture is not None else None,
        open_alerts=facts.alerts,
    )


def _case(row: Any, manager: str | None, line: TeamCase | None) -> TeamCase:
    """The row as this officer may see it: Limited Access decided here, every time."""
    if not row.visible or line is None:
        return TeamCase(
            crn=row.crn,
            staff_code=row.staff_code,
            offender_manager=manager,
            withheld=_withheld(row),
        )
    return line.model_copy(update={"staff_code": row.staff_code, "offender_manager": manager})


def team_caseload(conn: Connection, principal: Principal, now: dt.datetime) -> TeamCaseload:
    """The team's cases as `principal` may see them."""
    team_code = principal.team_code
    team = (
        conn.execute(select(teams.c.name).where(teams.c.code == team_code)).scalar()
        if team_code
        else None
    )
    if team_code is None or team is None:
        raise ApiError(404, "no_team", "You are not in a team, so there is no team caseload.")
    today = now.astimezone(LONDON).date()
    rows = _team_cases(conn, principal, team_code)
    officer_rows = _officers(conn, team_code, now)
    names = {o.code: f"{o.forename} {o.surname}" for o in officer_rows}

    def work_out(crns: list[str]) -> dict[str, TeamCase]:
        facts = read_facts(conn, crns, today)
        return {crn: _line(crn, facts.get(crn), today) for crn in crns}

    versions = {r.crn: int(r.version or 0) for r in rows if r.visible}
    shown = team_memo.lines(conn, versions, today, work_out)
    held: dict[str, int] = {}
    for row in rows:
        held[row.staff_code] = held.get(row.staff_code, 0) + 1
    officers = [
        TeamOfficer(
            staff_code=o.code,
            name=names[o.code],
            username=o.username,
            cases=held.get(o.code, 0),
            covered_by=o[4],
        )
        for o in officer_rows
    ]
    return TeamCaseload(
        team_code=team_code,
        team_name=str(team),
        as_of=now,
        officers=officers,
        cases=[_case(r, names.get(r.staff_code), shown.get(r.crn)) for r in rows],
    )


@router.get("/caseload", response_model=TeamCaseload)
def get_team_caseload(principal: CurrentPrincipal, state: State) -> Response:
    """Every case of the officer's team (Limited Access cases withheld, with their message)."""
    now = utcnow()
    with reading(state.engine) as conn:  # one consistent view; no write lock held
        answer = team_caseload(conn, principal, now)
    with transaction(state.engine) as conn:
        detail = {"team": answer.team_code, "cases": len(answer.cases)}
        record_audit(conn, principal, "team_caseload_viewed", None, detail=detail)
    # Serialised once from models built here (`response_model` documents the shape).
    return Response(answer.model_dump_json(), media_type="application/json")
