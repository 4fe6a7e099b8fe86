"""Cover for a colleague as a source of scope: the cases a cover brings onto a laptop.

A cover names the covering officer, the colleague covered, a period and a reason; the
cases it brings are fixed when it starts (`cover_cases`): the colleague's caseload, or
only the cases with an appointment of theirs in the period ("their visits"). Limited
Access still decides: a case that excludes the covering officer is never among them,
and `scope.py` applies `visible_to` on top in any case.

Reading (pull) sees a cover only while it runs: from `starts_at` until it ends
(`ended_at`, when the colleague is back early) or runs out (`ends_at`). Writing keeps
it for `WRITE_GRACE` more, so work recorded offline during the cover and pushed days
later is still accepted, not refused for a case the laptop has already let go.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import ColumnElement, DateTime, Select, String, bindparam, func, select

from central.tables import cover_cases, covers

# How long after a cover ends its cases still accept the covering officer's queued work
# (a laptop offline longer than the policy's maximum locks until an online sign-in).
WRITE_GRACE = dt.timedelta(days=14)


def covered_crns() -> Select[Any]:
    """The CRNs the officer (`username`) covers at `now`, running from `cover_from`.

    Bound at execution: `username`, `now`, `cover_from` (= now to read; now less
    `WRITE_GRACE` to write). Built into scope's statements once.
    """
    username = cast(str, bindparam("username", type_=String))
    now = bindparam("now", type_=DateTime(timezone=True))
    cover_from = bindparam("cover_from", type_=DateTime(timezone=True))
    ends: ColumnElement[dt.datetime] = func.coalesce(covers.c.ended_at, covers.c.ends_at)
    return (
        select(cover_cases.c.crn)
        .join(covers, covers.c.id == cover_cases.c.cover_id)
        .where(covers.c.username == username, covers.c.starts_at <= now, ends > cover_from)
    )


def read_params(now: dt.datetime) -> dict[str, dt.datetime]:
    return {"now": now, "cover_from": now}


def write_params(now: dt.datetime) -> dict[str, dt.datetime]:
    return {"now": now, "cover_from": now - WRITE_GRACE}
