"""Read the officer's caseload and diary."""

from __future__ import annotations

import datetime as dt

from app.context import AppContext
from app.rows import CaseloadRow, DiaryRow


def load_caseload(ctx: AppContext) -> list[CaseloadRow]:
    """Every case on this laptop, name order; the view reveals them in batches."""
    return ctx.cache().caseload()


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def load_diary(ctx: AppContext, day: dt.date, *, week: bool) -> list[DiaryRow]:
    start, end = week_of(day) if week else (day, day)
    return ctx.cache().diary(start, end)


def load_needs_outcome(ctx: AppContext) -> list[DiaryRow]:
    """Past appointments with no outcome yet, oldest first."""
    return ctx.cache().needs_outcome(today=ctx.today())
