"""The field day's verbs: the day's plan, the visit briefing, and lone-working check-ins.

All from the cache, all offline. The plan and the briefing are reads (the task runner's
pool); saving a briefing is audited like a case view and "going to this visit" / "back
safe" are contacts, each one queued write like any other change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Literal

from app.changes import ChangeSet
from app.context import AppContext
from app.today_rows import Briefing, DayPlan
from domain.calendar import LONDON
from domain.errors import ValidationError
from domain.mutations import BriefingSaved, RecordContact
from domain.rules.lone_working import BACK_SAFE, GOING


def load_day(ctx: AppContext, day: dt.date) -> DayPlan:
    """The officer's appointments on `day` in time order, each with its risk at the door."""
    return ctx.cache().day_plan(day, pages=False)


def load_briefing(ctx: AppContext, day: dt.date, contact_ids: Collection[str] = ()) -> Briefing:
    """A briefing page for each visit of `day` (or just `contact_ids`), photo included."""
    plan = ctx.cache().day_plan(day, pages=True)
    wanted = set(contact_ids)
    pages = tuple(p for p in plan.pages if not wanted or p.visit.contact_id in wanted)
    officer = ctx.officer.name or ctx.officer.username
    return Briefing(day, officer, ctx.now(), pages)


def briefing_saved(
    ctx: AppContext, crns: Collection[str], medium: Literal["pdf", "print"]
) -> ChangeSet:
    """Audit a printed or saved briefing, once per case on it (a write)."""
    cache, changes = ctx.cache(), ChangeSet.of([], [])
    for crn in sorted(set(crns)):
        args = BriefingSaved(crn=crn, saved_at=ctx.now(), medium=medium)
        changes = changes.merge(cache.apply("briefing_saved", args))
    return changes


def _london_now(ctx: AppContext) -> dt.datetime:
    return ctx.now().astimezone(LONDON).replace(second=0, microsecond=0, tzinfo=None)


def going_to_visit(ctx: AppContext, crn: str, expected_back: dt.time) -> ChangeSet:
    """Record "going to this visit", back by `expected_back` today (a queued contact)."""
    now = _london_now(ctx)
    if expected_back <= now.time():
        raise ValidationError(
            "Enter a time later than now for when you expect to be back.", field="expected_back"
        )
    note = f"Going to a visit; expected back by {expected_back:%H:%M}."
    return _lone_contact(ctx, crn, GOING, (now, expected_back), note)


def back_safe(ctx: AppContext, crn: str) -> ChangeSet:
    """Record "back safe" now (a queued contact); it closes the day's "going" for the case."""
    now = _london_now(ctx)
    return _lone_contact(ctx, crn, BACK_SAFE, (now, None), "Back safe after the visit.")


def _lone_contact(
    ctx: AppContext,
    crn: str,
    type_code: str,
    span: tuple[dt.datetime, dt.time | None],
    note: str,
) -> ChangeSet:
    now, end = span
    args = RecordContact(
        contact_id=uuid.uuid4(),
        crn=crn,
        type_code=type_code,
        date=now.date(),
        start_time=now.time(),
        end_time=end,
        notes=note,
    )
    return ctx.cache().apply("record_contact", args)
