"""Search this laptop instantly; search nationally when online; keep a case here.

National search is an extra, never a failure: without a connection (or without a
way to reach the case service) the answer is a plain line under the local results,
not an error. Each national hit says whether the case is already on this laptop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.changes import ChangeSet
from app.context import AppContext
from app.rows import SearchHit
from domain.errors import FieldcaseError
from domain.mutations import KeepReason, PinCase
from storage.kept import KEEP_DAYS
from storage.queries.search import NAME_MATCH
from sync.errors import SignInRequired, TransientError

LIMIT = 50
NEEDS_CONNECTION = "National search needs a connection. The results shown are on this laptop."
NEEDS_SIGN_IN = "National search needs you to sign in again with a connection."
NOT_AVAILABLE = "National search is not available here. The results shown are on this laptop."
NARROW_IT = "More cases matched nationally than are shown: add a first name or a date of birth."


class OfflineError(FieldcaseError):
    title = "No connection"


class NationalSearchUnavailable(FieldcaseError):
    title = "National search not available"


@dataclass(frozen=True, slots=True)
class NationalAnswer:
    """What the national search found, and one plain line when there is something to say."""

    text: str
    hits: tuple[SearchHit, ...]
    note: str = ""


def search_here(ctx: AppContext, text: str) -> list[SearchHit]:
    if not text.strip():
        return []
    return ctx.cache().search(text, limit=LIMIT)


def search_national(ctx: AppContext, text: str) -> NationalAnswer:
    """Cases beyond this laptop; the server applies Limited Access rules and audits."""
    if not text.strip():
        return NationalAnswer(text, ())
    if ctx.national is None:
        return NationalAnswer(text, (), NOT_AVAILABLE)
    try:
        found = ctx.national.search(text, limit=LIMIT)
    except TransientError:
        return NationalAnswer(text, (), NEEDS_CONNECTION)
    except SignInRequired:
        return NationalAnswer(text, (), NEEDS_SIGN_IN)
    except FieldcaseError as refused:  # e.g. "search by surname, first name, CRN…"
        return NationalAnswer(text, (), refused.message)
    cache = ctx.cache()
    hits = tuple(
        replace(hit, on_this_laptop=bool(cache.case_records(hit.crn, "person"))) for hit in found
    )
    return NationalAnswer(text, hits, NARROW_IT if len(hits) >= LIMIT else "")


def merged(here: list[SearchHit], national: tuple[SearchHit, ...]) -> list[SearchHit]:
    """Cases found by who they are first (here, then national), then cases found only
    because a contact's text mentions the words: a name search is about a person."""
    known = {hit.crn for hit in here}
    more = [hit for hit in national if hit.crn not in known]
    by_name = [hit for hit in here if hit.detail == NAME_MATCH]
    by_text = [hit for hit in here if hit.detail != NAME_MATCH]
    return [*by_name, *more, *by_text]


def keep_days() -> int:
    """How long a keep lasts on this laptop (the keep dialog says so)."""
    return KEEP_DAYS


def pin_case(ctx: AppContext, crn: str, reason: KeepReason, reason_text: str = "") -> ChangeSet:
    """Keep a case from outside the caseload on this laptop, saying why (need-to-know,
    audited by the service); it arrives with the next sync and lapses by policy."""
    return ctx.cache().apply("pin_case", PinCase(crn=crn, reason=reason, reason_text=reason_text))
