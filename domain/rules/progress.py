"""How much of a requirement is done: RAR days and unpaid-work hours.

Officers want "how many RAR days are left" before every appointment. The rules
follow the national system: a RAR day is completed by a RAR-activity contact
attended and complied (or with no compliance recorded); it is scheduled when a
RAR-activity appointment has not happened yet; several activities on one day
are one RAR day. Unpaid work is the sum of minutes credited on unpaid-work
appointments against the hours the court ordered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from domain.contacts import Contact
from domain.rules import _lookup
from domain.sentences import Requirement


@dataclass(frozen=True, slots=True)
class RarProgress:
    completed_days: int
    scheduled_days: int
    ordered_days: int

    @property
    def remaining_days(self) -> int:
        """Days still to complete (never below zero, even if more were delivered)."""
        return max(self.ordered_days - self.completed_days, 0)

    @property
    def unscheduled_days(self) -> int:
        """Days neither completed nor booked: what still needs arranging."""
        return max(self.ordered_days - self.completed_days - self.scheduled_days, 0)

    @property
    def text(self) -> str:
        return (
            f"{self.completed_days} of {self.ordered_days} RAR days completed, "
            f"{self.scheduled_days} scheduled"
        )


@dataclass(frozen=True, slots=True)
class UnpaidWorkProgress:
    completed_minutes: int
    ordered_hours: int

    @property
    def remaining_minutes(self) -> int:
        return max(self.ordered_hours * 60 - self.completed_minutes, 0)

    @property
    def text(self) -> str:
        hours, minutes = divmod(self.completed_minutes, 60)
        done = f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"
        return f"{done} of {self.ordered_hours} hours completed"


def _rar_contacts(requirement: Requirement, contacts: Iterable[Contact]) -> list[Contact]:
    return [c for c in contacts if c.requirement_id == requirement.id and c.rar_activity]


def _completes_a_day(contact: Contact) -> bool:
    outcome = _lookup.outcome_or_none(contact.outcome_code)
    if outcome is not None:
        return outcome.attended is True and outcome.complied is not False
    return contact.attended is True and contact.complied is not False


def _is_pending(contact: Contact, today: dt.date) -> bool:
    """A booked appointment that has not happened: today or later, no outcome yet."""
    ctype = _lookup.contact_type_or_none(contact.type_code)
    is_appointment = ctype is not None and ctype.attendance
    return is_appointment and contact.outcome_code is None and contact.date >= today


def rar_progress(
    requirement: Requirement, contacts: Iterable[Contact], *, today: dt.date
) -> RarProgress:
    """RAR days completed, scheduled and ordered for one RAR requirement."""
    rows = _rar_contacts(requirement, contacts)
    completed = {c.date for c in rows if _completes_a_day(c)}
    scheduled = {c.date for c in rows if _is_pending(c, today)} - completed
    return RarProgress(
        completed_days=len(completed),
        scheduled_days=len(scheduled),
        ordered_days=requirement.length or 0,
    )


def unpaid_work_progress(
    requirement: Requirement, contacts: Iterable[Contact]
) -> UnpaidWorkProgress:
    """Minutes credited on the requirement's unpaid-work appointments, against hours ordered."""
    minutes = 0
    for contact in contacts:
        if contact.requirement_id != requirement.id or not contact.hours_credited_minutes:
            continue
        ctype = _lookup.contact_type_or_none(contact.type_code)
        if ctype is not None and ctype.unpaid_work:
            minutes += contact.hours_credited_minutes
    return UnpaidWorkProgress(completed_minutes=minutes, ordered_hours=requirement.length or 0)
