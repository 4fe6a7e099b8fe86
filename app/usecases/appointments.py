"""Arrange an appointment or a repeating series; and the one place forms import from.

Booking runs the same preview the form showed (`appointment_preview`) and refuses
errors, or warnings the officer has not accepted, then books the whole series in one
transaction with one queued mutation. The rest lives in modules named for what they
hold, re-exported here so `from app.usecases import appointments as uc` reaches it all:
`appointment_types` (requests, previews, results, errors), `appointment_setup` (the
form's choices and defaults), `appointment_preview` (dates and warnings),
`reschedule` (moving one) and `notes` (appending to a contact's notes).
"""

from __future__ import annotations

import logging
import uuid
from uuid import UUID

from app.context import AppContext
from app.usecases import letters
from app.usecases.appointment_preview import confirmed, preview_appointment
from app.usecases.appointment_setup import (
    DEFAULT_MINUTES,
    DEFAULT_START,
    DEFAULT_TYPE,
    arrange_setup,
)
from app.usecases.appointment_types import (
    AppointmentInvalid,
    AppointmentRequest,
    ArrangeSetup,
    Booked,
    Choice,
    EventChoice,
    Occurrence,
    Preview,
    RequestedBy,
    WarningsNotConfirmed,
)
from app.usecases.notes import append_note
from app.usecases.reschedule import (
    RESCHEDULE_CODES,
    AppointmentSummary,
    NotAnAppointment,
    RescheduleRequest,
    load_contact,
    next_booked,
    preview_reschedule,
    reschedule_appointment,
    reschedule_setup,
)
from domain.mutations import ArrangeAppointment, occurrence_id
from domain.reference import reference

__all__ = [
    "DEFAULT_MINUTES",
    "DEFAULT_START",
    "DEFAULT_TYPE",
    "RAR",
    "RESCHEDULE_CODES",
    "AppointmentInvalid",
    "AppointmentRequest",
    "AppointmentSummary",
    "ArrangeSetup",
    "Booked",
    "Choice",
    "EventChoice",
    "NotAnAppointment",
    "Occurrence",
    "Preview",
    "RequestedBy",
    "RescheduleRequest",
    "WarningsNotConfirmed",
    "append_note",
    "arrange_appointment",
    "arrange_setup",
    "load_contact",
    "next_booked",
    "preview_appointment",
    "preview_reschedule",
    "reschedule_appointment",
    "reschedule_setup",
]

log = logging.getLogger(__name__)

RAR = "F"  # the Rehabilitation Activity Requirement's category code


def arrange_appointment(
    ctx: AppContext,
    request: AppointmentRequest,
    *,
    accept_warnings: bool = False,
    contact_id: UUID | None = None,
    with_letter: bool = False,
) -> Booked:
    """Book the appointment (or series) in the cache and queue it, in one transaction."""
    preview = preview_appointment(ctx, request)
    if preview.errors:
        raise AppointmentInvalid(preview.errors)
    confirmed(preview.warnings, accept_warnings)
    first = contact_id or uuid.uuid4()
    args = ArrangeAppointment(
        contact_id=first,
        crn=request.crn,
        type_code=request.type_code,
        date=request.date,
        start_time=request.start_time,
        end_time=request.end_time,
        event_id=request.event_id,
        requirement_id=request.requirement_id,
        location_code=request.location_code or None,
        notes=request.notes,
        rar_activity=_rar_activity(ctx, request),
        repeat=request.repeat,
    )
    letter = letters.appointment_letter(ctx, args) if with_letter else None
    changes = ctx.cache().apply("arrange_appointment", args.model_copy(update={"letter": letter}))
    log.info(
        "arranged %d appointment(s), %d warning(s)", len(preview.occurrences), len(preview.warnings)
    )
    ids = tuple(occurrence_id(first, i) for i in range(len(preview.occurrences)))
    saved = letters.saved(ctx, changes, request.crn, letter) if letter else None
    return Booked(changes, ids, preview.warnings, request.date, request.start_time, saved)


def _rar_activity(ctx: AppContext, request: AppointmentRequest) -> bool:
    """Counts towards RAR days when linked to a RAR requirement and the type allows it."""
    if request.requirement_id is None:
        return False
    ctype = reference().contact_types.get(request.type_code)
    if ctype is None or not ctype.rar_eligible:
        return False
    for stored in ctx.cache().case_records(request.crn, "requirement"):
        if stored.id == request.requirement_id:
            return stored.data.get("category_code") == RAR
    return False
