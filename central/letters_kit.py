"""`GET /v1/letters/kit`: the letter templates, offices and Welsh teams for an officer.

Letters travel with the reference data the laptop already keeps: fetched at each online
sign-in and held in the encrypted cache, so letters are made offline. A region's
administrator changes wording by editing a text file in `<letter_templates_dir>/<provider
code>/` (no programming, no release). Each file is checked when the kit is built; a file
that does not pass (an unknown merge field, a malformed header) is left out with an
error in the service's log naming the file and the field, so no laptop ever receives a
template that would make a half-filled letter. The laptop checks every file again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import Connection, select

from central.auth.deps import CurrentPrincipal
from central.state import AppState, app_state
from central.tables import offices, teams
from domain.letters.kit import LetterKit, OfficeDetails, TemplateText
from domain.letters.templates import LetterTemplateError, parse_template

log = logging.getLogger(__name__)

router = APIRouter(tags=["officer"])


@router.get("/v1/letters/kit", response_model=LetterKit)
def letters_kit(
    principal: CurrentPrincipal, state: Annotated[AppState, Depends(app_state)]
) -> LetterKit:
    """The officer's region's letter templates (the national ones are built into the
    client), their team's offices with address and phone, and the teams in Wales."""
    welsh = {p.strip() for p in state.settings.welsh_providers.split(",") if p.strip()}
    with state.engine.connect() as conn:
        provider = _provider(conn, principal.team_code)
        office_rows = _offices(conn, principal.team_code)
        welsh_teams = conn.execute(
            select(teams.c.code).where(teams.c.provider_code.in_(welsh)).order_by(teams.c.code)
        ).scalars()
        return LetterKit(
            templates=tuple(region_templates(state.settings.letter_templates_dir, provider)),
            offices=tuple(office_rows),
            welsh_teams=tuple(welsh_teams),
            provider_code=provider,
        )


def region_templates(folder: str, provider: str) -> list[TemplateText]:
    """The region's template files that pass the checks (the rest are logged and left out)."""
    if not folder or not provider:
        return []
    region = Path(folder) / provider
    if not region.is_dir():
        return []
    found = []
    for path in sorted(region.glob("*.txt")):
        origin = f"{provider}/{path.name}"
        text = path.read_text("utf-8")
        try:
            parse_template(text, origin)
        except LetterTemplateError as error:
            log.error("letter template left out: %s", error.message)
            continue
        found.append(TemplateText(origin=origin, text=text))
    return found


def _provider(conn: Connection, team_code: str | None) -> str:
    if team_code is None:
        return ""
    found = conn.execute(select(teams.c.provider_code).where(teams.c.code == team_code)).scalar()
    return str(found or "")


def _offices(conn: Connection, team_code: str | None) -> list[OfficeDetails]:
    if team_code is None:
        return []
    rows = conn.execute(
        select(offices.c.code, offices.c.description, offices.c.address, offices.c.phone)
        .where(offices.c.team_code == team_code)
        .order_by(offices.c.code)
    )
    return [
        OfficeDetails(code=r.code, description=r.description, address=r.address, phone=r.phone)
        for r in rows
    ]
