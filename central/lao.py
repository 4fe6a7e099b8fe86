"""Limited Access as SQL: which cases a user may see, applied inside queries.

The same rule as `domain.access.decide_access` (exclusion wins; a restriction
list admits only its users), expressed as a WHERE clause so that a page of
search results or a scope query never fetches a case it must not show.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select

from central.tables import cases, lao_exclusions, lao_restrictions


def visible_to(username: str, crn_column: ColumnElement[str] | None = None) -> ColumnElement[bool]:
    """A condition true for the cases `username` may see (on `cases.crn` by default)."""
    crn = cases.c.crn if crn_column is None else crn_column
    excluded = exists(
        select(lao_exclusions.c.crn).where(
            lao_exclusions.c.crn == crn, lao_exclusions.c.username == username
        )
    )
    restricted = exists(select(lao_restrictions.c.crn).where(lao_restrictions.c.crn == crn))
    admitted = exists(
        select(lao_restrictions.c.crn).where(
            lao_restrictions.c.crn == crn, lao_restrictions.c.username == username
        )
    )
    return and_(not_(excluded), or_(not_(restricted), admitted))
