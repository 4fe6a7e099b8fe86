"""The contact: the activity log and the heart of the system.

An appointment is a contact whose type is an attendance type; its outcome, the
attended/complied flags derived from it and any enforcement action live on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from domain.letters.record import LetterRecord
from domain.model import Entity
from domain.people import Crn


class SeriesRef(Entity):
    """The repeating booking an appointment was made in: one series in a calendar."""

    id: UUID  # the first appointment's id
    frequency: Literal["daily", "weekly", "fortnightly", "four_weekly"]
    count: int
    index: int


class Contact(Entity):
    id: UUID
    crn: Crn
    type_code: str
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    event_id: UUID | None = None
    requirement_id: UUID | None = None
    licence_condition_id: UUID | None = None
    location_code: str | None = None
    staff_code: str | None = None
    team_code: str | None = None
    outcome_code: str | None = None
    attended: bool | None = None
    complied: bool | None = None
    enforcement_code: str | None = None
    enforcement_response_by: dt.date | None = None
    notes: str = ""
    sensitive: bool = False
    alert: bool = False
    rar_activity: bool = False
    hours_credited_minutes: int | None = None
    external_reference: str = ""
    rescheduled_to: UUID | None = None
    # An alert stays in the offender manager's inbox until someone clears it (clear_alert).
    alert_cleared_at: dt.datetime | None = None
    alert_cleared_by: str | None = None
    # A letter contact keeps what its letter said (domain.letters.record).
    letter: LetterRecord | None = None
    series: SeriesRef | None = None
