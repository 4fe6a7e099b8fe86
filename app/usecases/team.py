"""The team caseload (online, the last copy kept for offline) and cover for a colleague.

Starting or ending a cover needs the network (the server decides which cases it brings
and audits it); the cases then arrive with the next sync. Letting them go needs none:
`expire_covers` runs on this laptop's clock (the shell runs it every minute), so a cover
that runs out on a laptop that never reconnects still leaves it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.changes import ChangeSet, from_applied
from app.context import AppContext
from app.team_ports import TeamService, TeamStore
from app.team_rows import Compliance, CoverRow, TeamAnswer, TeamOfficerRow, TeamRow
from domain.calendar import LONDON
from domain.errors import FieldcaseError
from storage.cover import CoverItem

# The wire models load with the sync stack, after the caseload's first page (the views
# that name this module are built at start-up): imported where they are used.
if TYPE_CHECKING:
    from sync.protocol import ComplianceCounts, CoverGrant, TeamCase, TeamCaseload

    Grant = CoverGrant  # a cover as the server granted it: views hand it back to keep_cover

NEEDS_CONNECTION = "The team caseload needs a connection; it has not been read on this laptop yet."


class NeedsConnection(FieldcaseError):
    title = "No connection"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A team caseload read, and the answer's JSON to keep for offline (when it is new)."""

    answer: TeamAnswer
    keep: str = ""


def team_store(ctx: AppContext) -> TeamStore:
    if ctx.team_store is None:
        raise NeedsConnection("Team work is not available here.")
    return ctx.team_store(ctx.cache())


def _service(ctx: AppContext, doing: str) -> TeamService:
    if ctx.team is None:
        raise NeedsConnection(f"{doing} is not available here.")
    return ctx.team


def _compliance(counts: ComplianceCounts | None) -> Compliance | None:
    if counts is None:
        return None
    return Compliance(**counts.model_dump())


def _row(case: TeamCase, held: frozenset[str]) -> TeamRow:
    return TeamRow(
        crn=case.crn,
        offender_manager=case.offender_manager or "Unallocated",
        staff_code=case.staff_code or "",
        name=case.name or "",
        tier=case.tier or "",
        risk=case.risk or "",
        next_appointment=case.next_appointment,
        next_appointment_type=case.next_appointment_type or "",
        compliance=_compliance(case.compliance),
        open_alerts=case.open_alerts,
        withheld=case.withheld or "",
        on_this_laptop=case.crn in held,
    )


def _answer(ctx: AppContext, team: TeamCaseload, held: frozenset[str], note: str) -> TeamAnswer:
    me = ctx.officer.staff_code
    officers = tuple(
        TeamOfficerRow(o.staff_code, o.name, o.cases, o.covered_by or "", o.staff_code == me)
        for o in team.officers
    )
    rows = tuple(_row(case, held) for case in team.cases)
    return TeamAnswer(team.team_name, team.as_of, officers, rows, note)


def load_team(ctx: AppContext) -> Fetched:
    """The team from the server, or the copy kept here with a plain note when offline."""
    from sync.errors import SignInRequired, TransientError
    from sync.protocol import TeamCaseload

    store = team_store(ctx)
    held = store.held()
    try:
        team = _service(ctx, "The team caseload").team_caseload()
    except (TransientError, SignInRequired, NeedsConnection) as error:
        copy = store.team_copy()
        if copy is None:
            raise NeedsConnection(NEEDS_CONNECTION) from error
        when = copy.fetched_at.astimezone(LONDON).strftime("%H:%M on %d %b %Y")
        note = f"No connection: the team as it was at {when}."
        return Fetched(_answer(ctx, TeamCaseload.model_validate_json(copy.body), held, note))
    return Fetched(_answer(ctx, team, held, ""), keep=team.model_dump_json())


def keep_team_copy(ctx: AppContext, body: str) -> ChangeSet:
    """Keep the last answer for reading offline (on the writer: one serialised writer)."""
    team_store(ctx).save_team_copy(body, ctx.now())
    return ChangeSet()


def visits_today(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From now to the end of today in London: "their visits today"."""
    local = now.astimezone(LONDON)
    end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    return now, end


def request_cover(
    ctx: AppContext,
    *,
    staff_code: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    visits_only: bool,
) -> CoverGrant:
    """Ask the server for the cover (online; a retry after a lost answer is harmless)."""
    from sync.errors import TransientError
    from sync.protocol import PROTOCOL_VERSION, CoverRequest

    if not reason.strip():
        raise FieldcaseError("Say why you are covering (for example: off sick, in court).")
    request = CoverRequest(
        protocol_version=PROTOCOL_VERSION,
        id=uuid.uuid4(),
        staff_code=staff_code,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        visits_only=visits_only,
    )
    try:
        return _service(ctx, "Cover").start_cover(request)
    except TransientError as error:
        raise NeedsConnection("Starting cover needs a connection: try again online.") from error


def _item(grant: CoverGrant) -> CoverItem:
    return CoverItem(
        id=str(grant.id),
        staff_code=grant.staff_code,
        colleague=grant.colleague,
        starts_at=grant.starts_at,
        ends_at=grant.ends_at,
        reason=grant.reason,
        visits_only=grant.visits_only,
        crns=tuple(grant.crns),
        ended_at=grant.ended_at,
    )


def keep_cover(ctx: AppContext, grant: CoverGrant) -> ChangeSet:
    """Remember the cover here (its cases arrive with the next sync), or let an ended
    one go at once."""
    store = team_store(ctx)
    store.save_cover(_item(grant))
    applied = store.expire_covers(ctx.now()) if grant.ended_at else None
    return from_applied(applied) if applied is not None else ChangeSet()


def fetch_covers(ctx: AppContext) -> list[Grant]:
    """The covers this officer is doing, as the server holds them (started from another
    laptop, or by an administrator): [] without a connection, they come next time."""
    from sync.errors import SignInRequired, TransientError

    if ctx.team is None:
        return []
    try:
        found = ctx.team.covers().covers
    except (TransientError, SignInRequired):
        return []
    return [g for g in found if g.staff_code != ctx.officer.staff_code]  # not covers of me


def keep_covers(ctx: AppContext, grants: list[Grant]) -> ChangeSet:
    """Remember each cover here, so its cases are marked and let go on this clock."""
    store = team_store(ctx)
    for grant in grants:
        store.save_cover(_item(grant))
    return ChangeSet.of(cases=[c for g in grants for c in g.crns]) if grants else ChangeSet()


def end_cover(ctx: AppContext, cover_id: str) -> CoverGrant:
    """The colleague is back: end the cover on the server (online)."""
    from sync.errors import TransientError

    try:
        return _service(ctx, "Cover").end_cover(uuid.UUID(cover_id))
    except TransientError as error:
        raise NeedsConnection(
            "Ending cover needs a connection; it ends by itself when its period runs out."
        ) from error


def expire_covers(ctx: AppContext) -> ChangeSet:
    """Evict the cases of covers that ended by this laptop's clock."""
    if ctx.team_store is None:
        return ChangeSet()  # no team tables here (a build or test without them)
    applied = team_store(ctx).expire_covers(ctx.now())
    return from_applied(applied) if applied is not None else ChangeSet()


def list_covers(ctx: AppContext) -> list[CoverRow]:
    """The covers running now, soonest ending first."""
    now = ctx.now()
    return [c for c in team_store(ctx).covers() if c.running(now)]


def covered_cases(ctx: AppContext) -> frozenset[str]:
    """The cases on this laptop because of a running cover (Today and the diary mark
    them "cover")."""
    return team_store(ctx).covered_crns(ctx.now())
