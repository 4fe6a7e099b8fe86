"""Move an appointment: the old one is outcomed RSSR/RSOF, a new one is booked.

Both in one transaction, so the diary never shows the appointment twice or not at
all. Also loads one cached contact (`load_contact`) for the reschedule and note forms.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from uuid import UUID

from app.context import AppContext
from app.usecases.appointment_preview import confirmed, names_in
from app.usecases.appointment_types import (
    AppointmentInvalid,
    Booked,
    Occurrence,
    Preview,
    RequestedBy,
    contact_of,
    is_appointment,
)
from domain.errors import FieldcaseError
from domain.mutations import RescheduleAppointment
from domain.reference import reference
from domain.rules.appointments import AppointmentDraft, check_appointment
from domain.semantics import StoredRecord

log = logging.getLogger(__name__)

RESCHEDULE_CODES: dict[RequestedBy, str] = {"service": "RSSR", "person": "RSOF"}


@dataclass(frozen=True, slots=True)
class AppointmentSummary:
    """One appointment as the reschedule and note forms show it."""

    contact_id: UUID
    crn: str
    type_code: str
    type_text: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    location_code: str
    outcome_code: str | None
    notes: str
    sensitive: bool
    version: int

    @property
    def when(self) -> str:
        clock = f" {self.start_time:%H:%M}" if self.start_time else ""
        return f"{self.date:%a %d/%m/%Y}{clock}"


@dataclass(frozen=True, slots=True)
class RescheduleRequest:
    contact_id: UUID
    requested_by: RequestedBy
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    location_code: str | None = None


class NotAnAppointment(FieldcaseError):
    title = "Cannot reschedule this"


def next_booked(ctx: AppContext, crn: str) -> UUID:
    """The case's next appointment still to happen (what "reschedule the appointment"
    means when none is selected): today's or later, without an outcome, soonest first."""
    today = ctx.today()
    booked = sorted(
        (
            c
            for c in (contact_of(r) for r in ctx.cache().case_records(crn, "contact"))
            if is_appointment(c) and c.outcome_code is None and c.date >= today
        ),
        key=lambda c: (c.date, c.start_time or dt.time()),
    )
    if not booked:
        raise NotAnAppointment(
            "This case has no booked appointment to reschedule. "
            "Select one in the contact log, or arrange one (Ctrl+Shift+A)."
        )
    return booked[0].id


def load_contact(ctx: AppContext, crn: str, contact_id: UUID) -> AppointmentSummary:
    """One cached contact of a case (the appointment to move, or the notes to add to)."""
    stored = ctx.cache().record("contact", contact_id)
    if stored is None or stored.crn != crn:
        raise FieldcaseError(
            "That contact is no longer on this laptop; it may have been removed centrally.",
            title="Contact not found",
        )
    return _summary(stored)


def _summary(stored: StoredRecord) -> AppointmentSummary:
    contact = contact_of(stored)
    ctype = reference().contact_types.get(contact.type_code)
    return AppointmentSummary(
        contact_id=contact.id,
        crn=contact.crn,
        type_code=contact.type_code,
        type_text=ctype.description if ctype else contact.type_code,
        date=contact.date,
        start_time=contact.start_time,
        end_time=contact.end_time,
        location_code=contact.location_code or "",
        outcome_code=contact.outcome_code,
        notes=contact.notes,
        sensitive=contact.sensitive,
        version=stored.version,
    )


def reschedule_setup(ctx: AppContext, crn: str, contact_id: UUID) -> AppointmentSummary:
    """The appointment to move; refuses one that is not an appointment or has an outcome."""
    found = load_contact(ctx, crn, contact_id)
    ctype = reference().contact_types.get(found.type_code)
    if ctype is None or not ctype.attendance or found.start_time is None:
        raise NotAnAppointment(
            f"'{found.type_text}' is not an appointment, so it has no time to move."
        )
    if found.outcome_code is not None:
        raise NotAnAppointment(
            "This appointment already has an outcome, so it cannot be rescheduled. "
            "Arrange a new appointment instead."
        )
    return found


def preview_reschedule(
    ctx: AppContext, old: AppointmentSummary, request: RescheduleRequest
) -> Preview:
    """The new slot's warnings (the old slot itself never counts as a clash)."""
    diary = [
        c for c in ctx.cache().diary_contacts(request.date, request.date) if c.id != old.contact_id
    ]
    draft = AppointmentDraft(
        type_code=old.type_code,
        date=request.date,
        start_time=request.start_time,
        end_time=request.end_time,
        location_code=request.location_code or old.location_code or None,
        event_id=_event_of(ctx, old),
    )
    check = check_appointment(draft, diary, today=ctx.today(), names=names_in(ctx, diary))
    return Preview((Occurrence(request.date, check.warnings),), check.errors)


def _event_of(ctx: AppContext, old: AppointmentSummary) -> UUID | None:
    stored = ctx.cache().record("contact", old.contact_id)
    return None if stored is None else contact_of(stored).event_id


def reschedule_appointment(
    ctx: AppContext,
    request: RescheduleRequest,
    crn: str,
    *,
    accept_warnings: bool = False,
    new_contact_id: UUID | None = None,
) -> Booked:
    """Outcome the old appointment RSSR/RSOF and book the new one, in one transaction."""
    old = reschedule_setup(ctx, crn, request.contact_id)
    preview = preview_reschedule(ctx, old, request)
    if preview.errors:
        raise AppointmentInvalid(preview.errors)
    confirmed(preview.warnings, accept_warnings)
    new_id = new_contact_id or uuid.uuid4()
    args = RescheduleAppointment(
        contact_id=old.contact_id,
        new_contact_id=new_id,
        requested_by=request.requested_by,
        date=request.date,
        start_time=request.start_time,
        end_time=request.end_time,
        location_code=request.location_code or None,
        base_version=old.version,
    )
    changes = ctx.cache().apply("reschedule_appointment", args)
    log.info("rescheduled an appointment (%s request)", request.requested_by)
    return Booked(changes, (new_id,), preview.warnings, request.date, request.start_time)
