"""Named, versioned mutations of intent: the only way a case record changes.

The client applies a mutation optimistically to its cache and queues it; the
central service re-runs it with authorisation, validation and the business
rules. Both sides validate the same argument models defined here, so a
mutation means the same thing everywhere. Every record a mutation creates has
its UUID chosen by the client, so a replayed create yields one row.

Bump a mutation's version when its arguments or meaning change; the server
keeps accepting the versions it lists in `SUPPORTED` and answers anything else
with "upgrade required".

`base_version` is the version of the record in the officer's copy when they began
the edit. The server merges field by field against it: a field changed centrally
after that version, to a different value, comes back as a conflict and is not
applied. What each mutation does is in `domain.semantics`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from domain.documents import DocumentRef
from domain.letters.record import LetterRecord
from domain.model import Entity
from domain.people import Crn

NOTES_MAX = 12_000
# A hard cap on one change; the server's policy (DocumentLimits.max_files) is lower.
MAX_DOCUMENTS_PER_CHANGE = 20

# Dates a case record can carry. Bounded so that date arithmetic (a repeating series,
# working-day deadlines) on a mistyped year fails as a plain error, never overflows.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
CaseDate = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]


def _wall_clock(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise PydanticCustomError("wall_time", "a time of day without a time zone")
    return value


# Appointment times are Europe/London wall-clock times (see domain.calendar), never zoned.
WallTime = Annotated[dt.time, AfterValidator(_wall_clock)]


class MutationArgs(Entity):
    """Base of every mutation's arguments."""


class RecordContact(MutationArgs):
    """Record something that happened (a call, a home visit, an email...)."""

    contact_id: UUID
    crn: Crn
    type_code: str
    date: CaseDate
    start_time: WallTime | None = None
    end_time: WallTime | None = None
    event_id: UUID | None = None
    requirement_id: UUID | None = None
    location_code: str | None = None
    outcome_code: str | None = None
    enforcement_code: str | None = None
    notes: str = Field(default="", max_length=NOTES_MAX)
    sensitive: bool = False
    alert: bool = False
    rar_activity: bool = False
    hours_credited_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    # Evidence handed over with it; the server applies the contact only once every
    # document's bytes have arrived and matched their hash (central/documents/gate.py).
    documents: list[DocumentRef] = Field(default=[], max_length=MAX_DOCUMENTS_PER_CHANGE)


RepeatFrequency = Literal["daily", "weekly", "fortnightly", "four_weekly"]


class Repeat(Entity):
    frequency: RepeatFrequency
    count: int | None = Field(default=None, ge=1, le=104)
    until: CaseDate | None = None


class ArrangeAppointment(MutationArgs):
    """Book one appointment, or a repeating series whose ids derive from `contact_id`."""

    contact_id: UUID
    crn: Crn
    type_code: str
    date: CaseDate
    start_time: WallTime
    end_time: WallTime
    event_id: UUID | None = None
    requirement_id: UUID | None = None
    licence_condition_id: UUID | None = None
    location_code: str | None = None
    notes: str = Field(default="", max_length=NOTES_MAX)
    sensitive: bool = False
    rar_activity: bool = False
    repeat: Repeat | None = None
    # v2: the appointment letter produced with the booking, logged as a letter contact.
    letter: LetterRecord | None = None


class RecordOutcome(MutationArgs):
    """What happened at an appointment; `notes` are appended to the contact's notes."""

    contact_id: UUID
    outcome_code: str
    enforcement_code: str | None = None
    notes: str = Field(default="", max_length=NOTES_MAX)
    hours_credited_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    base_version: int
    # v2: the enforcement letter produced with the outcome, logged as a letter contact.
    letter: LetterRecord | None = None


class CorrectOutcome(MutationArgs):
    """Replace an outcome when evidence arrives; lifts the enforcement it triggered."""

    contact_id: UUID
    outcome_code: str
    enforcement_code: str | None = None
    reason: str = Field(min_length=1, max_length=NOTES_MAX)
    base_version: int


class RescheduleAppointment(MutationArgs):
    """Move an appointment: the old one is outcomed RSSR/RSOF and `new_contact_id` is booked
    with the old one's links at the new time (`location_code` None keeps the old place)."""

    contact_id: UUID
    new_contact_id: UUID
    requested_by: Literal["service", "person"]
    date: CaseDate
    start_time: WallTime
    end_time: WallTime
    location_code: str | None = None
    base_version: int


class AppendContactNote(MutationArgs):
    """Notes are appended, never replaced; `sensitive` may be set, never cleared."""

    contact_id: UUID
    text: str = Field(min_length=1, max_length=NOTES_MAX)
    sensitive: bool = False


class UpdateContactDetails(MutationArgs):
    """Change only the fields given (None = leave alone, "" = clear)."""

    crn: Crn
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    allow_sms: bool | None = None
    base_version: int


class UpdateAddress(MutationArgs):
    """Change the fields given of an address; a new `address_id` creates one.

    `base_version` is None for an address the officer created offline and has not yet
    had back from the server (there is no central version to conflict with).
    """

    address_id: UUID
    crn: Crn
    status: Literal["main", "previous", "other"] | None = None
    no_fixed_abode: bool | None = None
    building_name: str | None = None
    address_number: str | None = None
    street_name: str | None = None
    district: str | None = None
    town: str | None = None
    county: str | None = None
    postcode: str | None = None
    start_date: CaseDate | None = None
    end_date: CaseDate | None = None
    notes: str | None = None
    base_version: int | None = None


KeepReason = Literal["cover", "duty", "court", "transfer", "other"]
KEEP_REASON_TEXT_MAX = 200


class PinCase(MutationArgs):
    """Keep a case from outside the caseload on this laptop (e.g. for a visit).

    Version 2 says why (need-to-know, audited): covering a colleague, duty officer,
    court, transfer in, or "other" with a few words. The keep lapses by policy."""

    crn: Crn
    reason: KeepReason | None = None  # None only from version 1 clients
    reason_text: str = Field(default="", max_length=KEEP_REASON_TEXT_MAX)

    @model_validator(mode="after")
    def _other_says_why(self) -> PinCase:
        if self.reason == "other" and not self.reason_text.strip():
            raise ValueError("a reason of 'other' needs a few words saying why")
        return self


class UnpinCase(MutationArgs):
    """Let a pinned case leave the laptop again (unless it is in the caseload)."""

    crn: Crn


class CaseViewed(MutationArgs):
    """An audit record of a case view, made offline or online (zone-less times are UTC)."""

    crn: Crn
    viewed_at: dt.datetime


class AttachDocuments(MutationArgs):
    """Attach documents to a case, or to one of its contacts, after it was recorded."""

    crn: Crn
    contact_id: UUID | None = None
    documents: list[DocumentRef] = Field(min_length=1, max_length=MAX_DOCUMENTS_PER_CHANGE)


class DocumentViewed(MutationArgs):
    """An audit record of a document opened, offline or online (zone-less times are UTC)."""

    crn: Crn
    document_id: UUID
    viewed_at: dt.datetime


class BriefingSaved(MutationArgs):
    """An audit record of a visit briefing printed or saved as a PDF: like a case view,
    made offline or online (the file's place stays on the laptop, never in the record)."""

    crn: Crn
    saved_at: dt.datetime
    medium: Literal["pdf", "print"]


class ClearAlert(MutationArgs):
    """The offender manager has read an alert contact: it leaves the alerts inbox."""

    crn: Crn
    contact_id: UUID


class LetterProduced(MutationArgs):
    """An audit record of a letter printed, saved or reprinted (no record changes)."""

    crn: Crn
    contact_id: UUID
    output: Literal["pdf", "editable", "reprint"]
    produced_at: dt.datetime


MUTATIONS: dict[str, type[MutationArgs]] = {
    "record_contact": RecordContact,
    "arrange_appointment": ArrangeAppointment,
    "record_outcome": RecordOutcome,
    "correct_outcome": CorrectOutcome,
    "reschedule_appointment": RescheduleAppointment,
    "append_contact_note": AppendContactNote,
    "update_contact_details": UpdateContactDetails,
    "update_address": UpdateAddress,
    "pin_case": PinCase,
    "unpin_case": UnpinCase,
    "case_viewed": CaseViewed,
    "attach_documents": AttachDocuments,
    "document_viewed": DocumentViewed,
    "briefing_saved": BriefingSaved,
    "clear_alert": ClearAlert,
    "letter_produced": LetterProduced,
}

# name -> the versions of it this build understands (the first is current).
SUPPORTED: dict[str, tuple[int, ...]] = dict.fromkeys(MUTATIONS, (1,))
SUPPORTED["pin_case"] = (2, 1)  # 2: with a reason (central still takes 1, unexplained)
# v2 added the letter produced in the same save (v1 arguments are v2 without one).
SUPPORTED |= {"record_outcome": (2, 1), "arrange_appointment": (2, 1)}

_SERIES = uuid5(NAMESPACE_URL, "https://fieldcase.invalid/appointment-series")


def occurrence_id(first_id: UUID, index: int) -> UUID:
    """The id of the `index`-th appointment of a series (index 0 is `first_id`).

    Derived, not random, so client and server create the same rows from one
    mutation and a replay never makes a second series.
    """
    if index == 0:
        return first_id
    return uuid5(_SERIES, f"{first_id}/{index}")


def derived_id(mutation_id: UUID, purpose: str) -> UUID:
    """A stable id for a record a mutation creates as a side effect (e.g. an ARWS task)."""
    return uuid5(_SERIES, f"{mutation_id}/{purpose}")
