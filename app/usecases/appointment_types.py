"""What the appointment use cases take and give back: requests, previews, results.

Plain frozen values shared by arranging (`appointments`), previewing
(`appointment_preview`) and rescheduling (`reschedule`), so each of those modules
imports this one and none imports another's internals. The two errors live here too:
the forms map `WarningsNotConfirmed` onto the "book anyway" box and `AppointmentInvalid`
onto each field it names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from app.changes import ChangeSet
from app.usecases.letters import LetterSaved
from domain.contacts import Contact
from domain.errors import FieldcaseError, ValidationError
from domain.mutations import Repeat
from domain.reference import reference
from domain.semantics import StoredRecord

RequestedBy = Literal["service", "person"]


class WarningsNotConfirmed(FieldcaseError):
    """A save that would book despite warnings the officer has not seen and accepted."""

    title = "Check the warnings"
    field = "confirm"  # the form's "book despite the warnings" box


class AppointmentInvalid(ValidationError):
    """Every reason the appointment cannot be booked; `errors` each name their field."""

    def __init__(self, errors: tuple[ValidationError, ...]) -> None:
        super().__init__(" ".join(e.message for e in errors), field=errors[0].field)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Choice:
    id: UUID
    label: str


@dataclass(frozen=True, slots=True)
class EventChoice:
    """An event (sentence) an appointment can be for, with its live requirements."""

    id: UUID
    label: str
    requirements: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class AppointmentRequest:
    """What the officer asks for on the arrange form (times are London wall clock)."""

    crn: str
    type_code: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    location_code: str | None = None
    event_id: UUID | None = None
    requirement_id: UUID | None = None
    repeat: Repeat | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ArrangeSetup:
    """The form's choices and its pre-filled answer (`defaults`)."""

    crn: str
    events: tuple[EventChoice, ...]
    locations: tuple[str, ...]
    defaults: AppointmentRequest
    type_usage: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Occurrence:
    date: dt.date
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Preview:
    """The dates that would be booked, each with its warnings, or why it cannot be."""

    occurrences: tuple[Occurrence, ...] = ()
    errors: tuple[ValidationError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for o in self.occurrences for w in o.warnings)


@dataclass(frozen=True, slots=True)
class Booked:
    """A saved booking: the ids of the appointments made and what changed."""

    changes: ChangeSet
    contact_ids: tuple[UUID, ...]
    warnings: tuple[str, ...] = field(default=())
    first_date: dt.date | None = None  # what the form says: "booked for Mon 7 Dec 10:00"
    first_start: dt.time | None = None
    letter: LetterSaved | None = None  # the appointment letter, when one was made


def contact_of(stored: StoredRecord) -> Contact:
    return Contact.model_validate(dict(stored.data))


def is_appointment(contact: Contact) -> bool:
    ctype = reference().contact_types.get(contact.type_code)
    return ctype is not None and ctype.attendance and contact.start_time is not None


def was_rescheduled(contact: Contact) -> bool:
    outcome = reference().outcomes.get(contact.outcome_code or "")
    return outcome is not None and outcome.rescheduled
