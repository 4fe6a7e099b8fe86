"""Open a case (and audit the view) and page through its contact log."""

from __future__ import annotations

from app.context import AppContext
from app.rows import CaseDetail, ContactFilter, ContactPage
from domain.errors import FieldcaseError
from domain.mutations import CaseViewed

PAGE_SIZE = 50


class CaseNotHere(FieldcaseError):
    title = "Case not on this laptop"


def open_case(ctx: AppContext, crn: str) -> CaseDetail:
    """Read the case and queue a `case_viewed` audit record (audited even when offline)."""
    cache = ctx.cache()
    detail = cache.case_detail(crn, today=ctx.today())
    if detail is None:
        raise CaseNotHere(
            f"Case {crn} is no longer on this laptop. It may have been transferred; "
            "search for it to keep it here for a visit."
        )
    cache.apply("case_viewed", CaseViewed(crn=crn, viewed_at=ctx.now()))
    return detail


def read_case(ctx: AppContext, crn: str) -> CaseDetail:
    """Re-read an open case after a change (no second audit record)."""
    detail = ctx.cache().case_detail(crn, today=ctx.today())
    if detail is None:
        raise CaseNotHere(f"Case {crn} is no longer on this laptop.")
    return detail


def contact_log(ctx: AppContext, crn: str, filters: ContactFilter, *, page: int = 0) -> ContactPage:
    return ctx.cache().contact_page(crn, filters, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
