"""Each officer's private calendar feed: their appointments as one iCalendar URL.

Outlook (and other calendars) subscribe to a URL and cannot send a bearer token, so the
feed's URL carries a random token: `POST /v1/calendar/feed` issues one (revoking the
last), `DELETE /v1/calendar/feed` revokes it, and `GET /v1/calendar/feed/{token}.ics`
answers with the officer's appointments from 14 days back to 120 days ahead, written by
the same code as the laptop's "Add to my calendar" (`domain.ics`): same UIDs, so entries
follow changes made anywhere. Only a hash of the token is stored; an unknown or revoked
token gets the same 404 as a wrong URL. The feed is private by design: CRN, type and
place, never a name or notes, and only the officer's scope (Limited Access applies).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlalchemy import Connection, select, update

from central.audit import record_audit
from central.auth.deps import CurrentPrincipal
from central.db import utcnow
from central.errors import ApiError
from central.state import AppState, app_state
from central.sync.scope import scope_crns
from central.tables import calendar_feeds, offices, records, users
from domain.contacts import Contact
from domain.ics import Privacy, calendar

router = APIRouter(tags=["calendar"])

DAYS_BACK = 14
DAYS_AHEAD = 120  # ~1 ms of icalendar per entry: see docs/letters.md
_NOT_FOUND = "No calendar feed at this address (it may have been revoked)."


class FeedLink(BaseModel):
    """Where the officer's calendar subscribes; shown once, like a password."""

    path: str
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@router.post("/v1/calendar/feed", response_model=FeedLink)
def issue_feed(
    principal: CurrentPrincipal, state: Annotated[AppState, Depends(app_state)]
) -> FeedLink:
    """A new feed address for the signed-in officer; any earlier one stops working."""
    token = secrets.token_urlsafe(32)
    with state.engine.begin() as conn:
        _revoke(conn, principal.username)
        conn.execute(
            calendar_feeds.insert().values(
                token_hash=_hash(token), username=principal.username, created_at=utcnow()
            )
        )
        record_audit(conn, principal, "calendar_feed_issued", None)
    return FeedLink(path=f"/v1/calendar/feed/{token}.ics", token=token)


@router.delete("/v1/calendar/feed", status_code=204)
def revoke_feed(
    principal: CurrentPrincipal, state: Annotated[AppState, Depends(app_state)]
) -> Response:
    with state.engine.begin() as conn:
        _revoke(conn, principal.username)
        record_audit(conn, principal, "calendar_feed_revoked", None)
    return Response(status_code=204)


def _revoke(conn: Connection, username: str) -> None:
    conn.execute(
        update(calendar_feeds)
        .where(calendar_feeds.c.username == username, calendar_feeds.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@router.get("/v1/calendar/feed/{token}.ics", response_class=Response)
def read_feed(token: str, state: Annotated[AppState, Depends(app_state)]) -> Response:
    """The officer's appointments as iCalendar (no bearer token: the URL is the secret)."""
    with state.engine.begin() as conn:
        officer = _officer(conn, token)
        contacts = _contacts(conn, officer)
        places = {
            r.code: r.description
            for r in conn.execute(select(offices.c.code, offices.c.description))
        }
        record_audit(conn, officer, "calendar_feed_read", None, detail={"contacts": len(contacts)})
    today = utcnow().date()
    first, last = today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD)
    body = calendar(
        contacts,
        lambda e: e.current.staff_code == officer.staff_code and first <= e.current.date <= last,
        privacy=Privacy(places=places),
        stamp=utcnow(),
        name="Probation appointments",
    )
    return Response(body, media_type="text/calendar; charset=utf-8")


@dataclass(frozen=True, slots=True)
class _FeedOwner:
    """The officer a feed belongs to: audited as the reader, scoped like their laptop."""

    username: str
    device_id: str | None
    staff_code: str | None


def _officer(conn: Connection, token: str) -> _FeedOwner:
    row = conn.execute(
        select(users.c.username, users.c.staff_code)
        .join(calendar_feeds, calendar_feeds.c.username == users.c.username)
        .where(
            calendar_feeds.c.token_hash == _hash(token),
            calendar_feeds.c.revoked_at.is_(None),
            users.c.active.is_(True),
        )
    ).first()
    if row is None or row.staff_code is None:
        raise ApiError(404, "not_found", _NOT_FOUND)
    conn.execute(
        update(calendar_feeds)
        .where(calendar_feeds.c.token_hash == _hash(token))
        .values(last_read_at=utcnow())
    )
    return _FeedOwner(row.username, None, row.staff_code)


def _contacts(conn: Connection, officer: _FeedOwner) -> list[Contact]:
    """Every contact of the cases in the officer's scope (reschedule chains need them all)."""
    crns = sorted(scope_crns(conn, officer))
    rows = conn.execute(
        select(records.c.data).where(
            records.c.kind == "contact", records.c.crn.in_(crns), records.c.deleted.is_(False)
        )
    ).scalars()
    return [Contact.model_validate(data) for data in rows if data]
