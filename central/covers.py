"""`/v1/covers`: start, list and end cover for a colleague (online; audited).

Starting a cover fixes the cases it brings (`cover_cases`) and writes an audit entry
with the reason on each case's trail; the covering laptop's next pull then downloads
them (scope includes them: `central.sync.cover`). Either the covering officer or the
colleague covered (back early) may end it; the next pull evicts the cases, and the
covering laptop also evicts them on its own clock when the period runs out.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from sqlalchemy import Connection, and_, or_, select

from central.audit import record_audit, record_audits
from central.auth.deps import CurrentPrincipal, Principal
from central.db import as_utc, transaction, utcnow
from central.errors import ApiError
from central.lao import visible_to
from central.state import AppState, app_state
from central.sync.router import check_protocol
from central.tables import cases, cover_cases, covers, records, staff
from domain.calendar import LONDON
from domain.reference import reference
from sync.protocol import CoverGrant, CoverList, CoverRequest

router = APIRouter(prefix="/v1/covers", tags=["team"])
State = Annotated[AppState, Depends(app_state)]
MAX_COVER = dt.timedelta(days=28)


def _colleague(conn: Connection, principal: Principal, staff_code: str) -> str:
    """The colleague's name; they must be in the officer's team and not the officer."""
    row = conn.execute(
        select(staff.c.forename, staff.c.surname, staff.c.team_code).where(
            staff.c.code == staff_code
        )
    ).first()
    if row is None or row.team_code != principal.team_code:
        raise ApiError(422, "not_a_colleague", "You can only cover a colleague in your team.")
    if staff_code == principal.staff_code:
        raise ApiError(422, "not_a_colleague", "You cannot cover your own cases.")
    return f"{row.forename} {row.surname}"


def _check_period(body: CoverRequest, now: dt.datetime) -> None:
    if body.ends_at <= now:
        raise ApiError(422, "invalid_period", "That period has already ended.")
    if body.ends_at <= body.starts_at:
        raise ApiError(422, "invalid_period", "The cover must end after it starts.")
    if body.ends_at - body.starts_at > MAX_COVER:
        raise ApiError(422, "invalid_period", "Cover at most four weeks at a time.")


def _has_visit(data: dict[str, Any], first: dt.date, last: dt.date) -> bool:
    ctype = reference().contact_types.get(str(data.get("type_code")))
    if ctype is None or not ctype.attendance or data.get("outcome_code") is not None:
        return False
    return first.isoformat() <= str(data.get("date")) <= last.isoformat()


def _cover_crns(conn: Connection, principal: Principal, body: CoverRequest) -> list[str]:
    """The colleague's cases the officer may see; with `visits_only`, those with an
    appointment (no outcome yet) in the period, by its London dates."""
    query = select(cases.c.crn).where(
        cases.c.staff_code == body.staff_code, visible_to(principal.username)
    )
    crns = sorted(conn.execute(query).scalars())
    if not body.visits_only or not crns:
        return crns
    first = body.starts_at.astimezone(LONDON).date()
    last = body.ends_at.astimezone(LONDON).date()
    contacts = conn.execute(
        select(records.c.crn, records.c.data).where(
            records.c.crn.in_(crns), records.c.kind == "contact", records.c.deleted.is_(False)
        )
    )
    with_visits = set()
    for crn, data in contacts:
        if data and _has_visit(data, first, last):
            with_visits.add(crn)
    return sorted(with_visits)


def start_cover(
    conn: Connection, principal: Principal, body: CoverRequest, now: dt.datetime
) -> CoverGrant:
    """Record the cover and its cases, audit it on each case; a replayed id answers the
    cover already made (the laptop may retry after a lost answer)."""
    existing = grant(conn, str(body.id))
    if existing is not None:
        if conn.execute(select(covers.c.username).where(covers.c.id == str(body.id))).scalar() != (
            principal.username
        ):
            raise ApiError(409, "cover_exists", "That cover id is taken.")
        return existing
    _colleague(conn, principal, body.staff_code)
    _check_period(body, now)
    starts = max(body.starts_at, now)
    crns = _cover_crns(conn, principal, body)
    conn.execute(
        covers.insert().values(
            id=str(body.id),
            username=principal.username,
            staff_code=body.staff_code,
            starts_at=starts,
            ends_at=body.ends_at,
            reason=body.reason.strip(),
            visits_only=body.visits_only,
            created_at=now,
        )
    )
    if crns:
        conn.execute(cover_cases.insert(), [{"cover_id": str(body.id), "crn": c} for c in crns])
    detail = {"cover_id": str(body.id), "covering": body.staff_code, "reason": body.reason}
    record_audits(conn, principal, "cover_started", [(c, None, detail) for c in crns])
    record_audit(conn, principal, "cover_started", None, detail={**detail, "cases": len(crns)})
    found = grant(conn, str(body.id))
    assert found is not None
    return found


def grant(conn: Connection, cover_id: str) -> CoverGrant | None:
    rows = _grants(conn, covers.c.id == cover_id)
    return rows[0] if rows else None


def _grants(conn: Connection, condition: Any) -> list[CoverGrant]:
    query = (
        select(covers, staff.c.forename, staff.c.surname)
        .join(staff, staff.c.code == covers.c.staff_code)
        .where(condition)
        .order_by(covers.c.starts_at, covers.c.id)
    )
    found = list(conn.execute(query))
    ids = [row.id for row in found]
    members: dict[str, list[str]] = {}
    for cover_id, crn in conn.execute(
        select(cover_cases.c.cover_id, cover_cases.c.crn)
        .where(cover_cases.c.cover_id.in_(ids))
        .order_by(cover_cases.c.crn)
    ):
        members.setdefault(cover_id, []).append(crn)
    return [
        CoverGrant(
            id=UUID(row.id),
            staff_code=row.staff_code,
            colleague=f"{row.forename} {row.surname}",
            starts_at=_utc(row.starts_at),
            ends_at=_utc(row.ends_at),
            reason=row.reason,
            visits_only=bool(row.visits_only),
            crns=members.get(row.id, []),
            ended_at=as_utc(row.ended_at),
        )
        for row in found
    ]


def _utc(value: dt.datetime) -> dt.datetime:
    converted = as_utc(value)
    assert converted is not None
    return converted


def current_covers(conn: Connection, principal: Principal, now: dt.datetime) -> list[CoverGrant]:
    """Covers by or of the officer that have not ended: what the cover screen lists."""
    mine = covers.c.username == principal.username
    of_me = covers.c.staff_code == principal.staff_code if principal.staff_code else mine
    running = and_(covers.c.ended_at.is_(None), covers.c.ends_at > now)
    return _grants(conn, and_(or_(mine, of_me), running))


def end_cover(
    conn: Connection, principal: Principal, cover_id: str, now: dt.datetime
) -> CoverGrant:
    """End a cover now: by the covering officer, or by the colleague back early."""
    row = conn.execute(select(covers).where(covers.c.id == cover_id)).first()
    allowed = row is not None and (
        row.username == principal.username or row.staff_code == principal.staff_code
    )
    if row is None or not allowed:
        raise ApiError(404, "not_found", "There is no such cover of yours.")
    if row.ended_at is None:
        conn.execute(
            covers.update()
            .where(covers.c.id == cover_id)
            .values(ended_at=now, ended_by=principal.username)
        )
        record_audit(conn, principal, "cover_ended", None, detail={"cover_id": cover_id})
    found = grant(conn, cover_id)
    assert found is not None
    return found


@router.post("", response_model=CoverGrant)
def post_cover(body: CoverRequest, principal: CurrentPrincipal, state: State) -> CoverGrant:
    """Cover a colleague's cases (or their visits) for a period, with a reason."""
    check_protocol(body.protocol_version)
    with transaction(state.engine) as conn:
        return start_cover(conn, principal, body, utcnow())


@router.get("", response_model=CoverList)
def get_covers(principal: CurrentPrincipal, state: State) -> CoverList:
    """The covers by or of the signed-in officer still running."""
    with state.engine.connect() as conn:
        return CoverList(covers=current_covers(conn, principal, utcnow()))


@router.post("/{cover_id}/end", response_model=CoverGrant)
def post_end(cover_id: UUID, principal: CurrentPrincipal, state: State) -> CoverGrant:
    """End a cover now (the colleague is back)."""
    with transaction(state.engine) as conn:
        return end_cover(conn, principal, str(cover_id), utcnow())
