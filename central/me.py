"""`GET /v1/me`: who the officer is, their team and offices, and the policy to enforce.

The client enforces idle lock and maximum days offline from this answer, so a
policy change reaches every laptop at its next sign-in or sync.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select

from central.auth.deps import CurrentPrincipal
from central.db import utcnow
from central.state import AppState, app_state
from central.tables import offices, staff, teams
from sync.protocol import PROTOCOL_VERSION

router = APIRouter(tags=["officer"])


class Officer(BaseModel):
    username: str
    staff_code: str | None
    name: str


class TeamInfo(BaseModel):
    code: str
    name: str


class OfficeInfo(BaseModel):
    code: str
    description: str


class Policy(BaseModel):
    idle_lock_minutes: int
    max_offline_days: int
    max_document_bytes: int
    max_documents_at_once: int


class Me(BaseModel):
    officer: Officer
    team: TeamInfo | None
    offices: list[OfficeInfo]
    policy: Policy
    server_time: datetime
    protocol_version: int


@router.get("/v1/me", response_model=Me)
def me(principal: CurrentPrincipal, state: Annotated[AppState, Depends(app_state)]) -> Me:
    """The signed-in officer, their team, the team's offices and the client policy."""
    name, team, office_list = principal.username, None, []
    with state.engine.connect() as conn:
        if principal.staff_code is not None:
            row = conn.execute(
                select(staff.c.forename, staff.c.surname).where(
                    staff.c.code == principal.staff_code
                )
            ).first()
            if row is not None:
                name = f"{row.forename} {row.surname}"
        if principal.team_code is not None:
            team_row = conn.execute(
                select(teams.c.code, teams.c.name).where(teams.c.code == principal.team_code)
            ).first()
            team = TeamInfo(code=team_row.code, name=team_row.name) if team_row else None
            office_list = [
                OfficeInfo(code=r.code, description=r.description)
                for r in conn.execute(
                    select(offices.c.code, offices.c.description)
                    .where(offices.c.team_code == principal.team_code)
                    .order_by(offices.c.code)
                )
            ]
    settings = state.settings
    return Me(
        officer=Officer(username=principal.username, staff_code=principal.staff_code, name=name),
        team=team,
        offices=office_list,
        policy=Policy(
            idle_lock_minutes=settings.idle_lock_minutes,
            max_offline_days=settings.max_offline_days,
            max_document_bytes=settings.max_document_bytes,
            max_documents_at_once=settings.max_documents_at_once,
        ),
        server_time=utcnow(),
        protocol_version=PROTOCOL_VERSION,
    )
