"""pin_case, unpin_case and case_viewed: no record changes, only scope and audit.

A pin asks the server to keep a case outside the caseload on this laptop (for a visit);
the server decides whether it may (Limited Access). A case view made offline is still
audited, when it syncs, with the time the officer viewed it.
"""

from __future__ import annotations

import datetime as dt

from domain.mutations import BriefingSaved, CaseViewed, PinCase, UnpinCase
from domain.semantics.context import Context
from domain.semantics.effects import AuditEntry, Effects


def pin_case(args: PinCase, ctx: Context) -> Effects:
    return Effects(pins=(args.crn,), audit=(AuditEntry("pin_case", args.crn, at=ctx.now),))


def unpin_case(args: UnpinCase, ctx: Context) -> Effects:
    return Effects(unpins=(args.crn,), audit=(AuditEntry("unpin_case", args.crn, at=ctx.now),))


def case_viewed(args: CaseViewed, ctx: Context) -> Effects:
    """Audited at the time of the view; a time without a zone is taken as UTC."""
    viewed = args.viewed_at
    if viewed.tzinfo is None:
        viewed = viewed.replace(tzinfo=dt.UTC)
    return Effects(audit=(AuditEntry("case_viewed", args.crn, at=viewed),))


def briefing_saved(args: BriefingSaved, ctx: Context) -> Effects:
    """Audited like a case view, at the time it was saved or printed."""
    saved = (
        args.saved_at if args.saved_at.tzinfo is not None else args.saved_at.replace(tzinfo=dt.UTC)
    )
    return Effects(audit=(AuditEntry(f"briefing_{args.medium}", args.crn, at=saved),))
