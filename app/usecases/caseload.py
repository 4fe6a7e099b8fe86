"""Read the officer's caseload and diary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from app.context import AppContext
from app.rows import CaseloadPage, CaseloadUpdate, DiaryRow

FIRST_PAGE = 60
PAGE = 2_000


def load_caseload_page(ctx: AppContext, offset: int = 0) -> CaseloadPage:
    """A small first page so the window is usable at once, then larger ones."""
    limit = FIRST_PAGE if offset == 0 else PAGE
    return ctx.cache().caseload_page(offset=offset, limit=limit)


def load_caseload_rows(ctx: AppContext, crns: Collection[str]) -> CaseloadUpdate:
    """The rows of just the cases a change touched (one set-based read, not one a case)."""
    asked = frozenset(crns)
    return CaseloadUpdate(asked, ctx.cache().caseload_rows(asked) if asked else ())


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
