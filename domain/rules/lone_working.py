"""Lone working: an officer's "going to this visit" and "back safe", and when one is overdue.

Both are contacts (types `FCLWG` and `FCLWB`, Fieldcase's own codes: the national
system has no lone-working contact type in the public sources), recorded and queued
like any other, so the plan reaches the office with the officer's next sync. "Going"
runs from when the officer set off (start) to when they expect to be back (end);
"back safe" on the same case and day, at or after the set-off, closes it. Times are
Europe/London wall-clock times, like every appointment. Whether a check is overdue is
judged on the central service's clock (`overdue`), so it works while the laptop has no
signal; the same code judges it on the laptop for the officer's own view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from domain.calendar import LONDON
from domain.contacts import Contact

GOING = "FCLWG"
BACK_SAFE = "FCLWB"
LONE_WORKING_TYPES = (GOING, BACK_SAFE)
DEFAULT_GRACE = dt.timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class LoneCheck:
    """One "going to this visit" and, once it came, the "back safe" that closed it."""

    contact_id: str
    crn: str
    staff_code: str
    day: dt.date
    set_off: dt.time
    expected_back: dt.time
    back_safe_at: dt.time | None = None

    def due(self, grace: dt.timedelta) -> dt.datetime:
        """The moment (London) after which a missing "back safe" is escalated."""
        back = dt.datetime.combine(self.day, self.expected_back, tzinfo=LONDON)
        return back + grace

    def overdue(self, now: dt.datetime, grace: dt.timedelta = DEFAULT_GRACE) -> bool:
        return self.back_safe_at is None and now > self.due(grace)


def lone_checks(contacts: Iterable[Contact]) -> list[LoneCheck]:
    """The checks in these contacts, each closed by a "back safe" on its case and day."""
    items = list(contacts)
    backs = sorted(
        (c.date, c.start_time, c.crn)
        for c in items
        if c.type_code == BACK_SAFE and c.start_time is not None
    )
    checks = []
    for going in items:
        if going.type_code != GOING or going.start_time is None or going.end_time is None:
            continue
        start = going.start_time
        back = next(
            (t for d, t, crn in backs if crn == going.crn and d == going.date and t >= start),
            None,
        )
        checks.append(
            LoneCheck(
                str(going.id),
                going.crn,
                going.staff_code or "",
                going.date,
                going.start_time,
                going.end_time,
                back,
            )
        )
    return sorted(checks, key=lambda c: (c.day, c.set_off))
