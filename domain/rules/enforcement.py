"""Enforcement deadlines: when a response, a breach pack or AFTA evidence is due.

Some periods are calendar days (a warning letter gives 7 days to respond) and
some are working days (a breach pack within 10, AFTA evidence within 5), which
skip weekends and England & Wales bank holidays.
"""

from __future__ import annotations

import datetime as dt

from domain.calendar import add_working_days
from domain.rules import _lookup

BREACH_PACK_WORKING_DAYS = 10
AFTA_EVIDENCE_WORKING_DAYS = 5


def response_due(action_code: str, on: dt.date) -> dt.date | None:
    """The respond-by date of an enforcement action taken `on` a date (None: no deadline)."""
    action = _lookup.enforcement_action(action_code)
    if action.response_days is None:
        return None
    if action.working_days:
        return add_working_days(on, action.response_days)
    return on + dt.timedelta(days=action.response_days)


def breach_pack_due(on: dt.date) -> dt.date:
    """A breach pack is due 10 working days after the breach is initiated."""
    return add_working_days(on, BREACH_PACK_WORKING_DAYS)


def afta_evidence_due(on: dt.date) -> dt.date:
    """After a failure to attend the person has 5 working days to give evidence."""
    return add_working_days(on, AFTA_EVIDENCE_WORKING_DAYS)
