"""The dates a booking would make, each with its warnings, before anything is saved.

Runs the shared domain checks against the officer's cached diary, offline, so the
weekend / bank-holiday / clash warnings seen before saving are the ones the server
computes again. Warnings never block, but a save with warnings needs the officer's
"book anyway" (`confirmed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.context import AppContext
from app.usecases.appointment_types import (
    AppointmentRequest,
    Occurrence,
    Preview,
    WarningsNotConfirmed,
)
from domain.contacts import Contact
from domain.errors import ValidationError
from domain.rules.appointments import AppointmentDraft, check_appointment
from domain.rules.repeating import occurrence_dates


def preview_appointment(ctx: AppContext, request: AppointmentRequest) -> Preview:
    """The dates a request would book and each one's warnings, from the cached diary."""
    try:
        dates = _dates(request)
    except ValidationError as refused:
        return Preview(errors=(refused,))
    diary = ctx.cache().diary_contacts(dates[0], dates[-1])
    names = names_in(ctx, diary)
    errors: dict[str, ValidationError] = {}
    occurrences: list[Occurrence] = []
    for day in dates:
        check = check_appointment(_draft(request, day), diary, today=ctx.today(), names=names)
        for error in check.errors:
            errors.setdefault(error.message, error)
        occurrences.append(Occurrence(day, check.warnings))
    return Preview(tuple(occurrences), tuple(errors.values()))


def names_in(ctx: AppContext, diary: Iterable[Contact]) -> dict[str, str]:
    """The people whose appointments are in `diary`, by CRN, for clash warnings."""
    crns = {c.crn for c in diary}
    return {row.crn: row.name for row in ctx.cache().caseload_rows(crns)} if crns else {}


def _dates(request: AppointmentRequest) -> list[dt.date]:
    if request.repeat is None:
        return [request.date]
    repeat = request.repeat
    return occurrence_dates(request.date, repeat.frequency, count=repeat.count, until=repeat.until)


def _draft(request: AppointmentRequest, day: dt.date) -> AppointmentDraft:
    return AppointmentDraft(
        type_code=request.type_code,
        date=day,
        start_time=request.start_time,
        end_time=request.end_time,
        location_code=request.location_code or None,
        event_id=request.event_id,
        requirement_id=request.requirement_id,
    )


def confirmed(warnings: tuple[str, ...], accepted: bool) -> None:
    """Refuse a save with warnings the officer has not accepted."""
    if warnings and not accepted:
        raise WarningsNotConfirmed("Please confirm you want to book despite: " + " ".join(warnings))
