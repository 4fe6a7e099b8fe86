"""Search this laptop instantly; search nationally when online; keep a case here."""

from __future__ import annotations

from app.changes import ChangeSet
from app.context import AppContext
from app.rows import SearchHit
from domain.errors import FieldcaseError
from domain.mutations import PinCase

LIMIT = 50


class OfflineError(FieldcaseError):
    title = "No connection"


class NationalSearchUnavailable(FieldcaseError):
    title = "National search not available"


def search_here(ctx: AppContext, text: str) -> list[SearchHit]:
    if not text.strip():
        return []
    return ctx.cache().search(text, limit=LIMIT)


def search_national(ctx: AppContext, text: str) -> list[SearchHit]:
    """Cases beyond this laptop; the server applies Limited Access rules."""
    if ctx.national is None:
        raise NationalSearchUnavailable(
            "National search is not connected in this version of Fieldcase. "
            "The results shown are the cases on this laptop."
        )
    if not text.strip():
        return []
    return ctx.national.search(text, limit=LIMIT)


def pin_case(ctx: AppContext, crn: str) -> ChangeSet:
    """Keep a case from outside the caseload on this laptop; it arrives with the next sync."""
    return ctx.cache().apply("pin_case", PinCase(crn=crn))
