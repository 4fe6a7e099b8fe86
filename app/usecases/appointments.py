"""Arrange, preview and reschedule appointments, and append to a contact's notes.

Everything here works offline: the preview runs the shared domain checks against the
officer's cached diary, so the weekend / bank-holiday / clash warnings an officer sees
before saving are the ones the server will compute again. Warnings never block, but a
save with warnings needs `accept_warnings=True`: the form asks the officer first.
The defaults repeat the case's last appointment a week on, because "book next
week's appointment" is most of what this form is used for.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from app.changes import ChangeSet
from app.context import AppContext
from domain.contacts import Contact
from domain.errors import FieldcaseError, ValidationError
from domain.mutations import (
    AppendContactNote,
    ArrangeAppointment,
    Repeat,
    RescheduleAppointment,
    occurrence_id,
)
from domain.reference import reference
from domain.rules.appointments import AppointmentDraft, check_appointment
from domain.rules.notes import append_note as appended_notes
from domain.rules.repeating import occurrence_dates
from domain.semantics import StoredRecord
from domain.sentences import Event, Requirement

log = logging.getLogger(__name__)

RequestedBy = Literal["service", "person"]
RESCHEDULE_CODES: dict[RequestedBy, str] = {"service": "RSSR", "person": "RSOF"}
DEFAULT_TYPE = "COAP"
DEFAULT_START = dt.time(10, 0)
DEFAULT_MINUTES = 30
RAR = "F"


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


# -- arranging -----------------------------------------------------------------------


def arrange_setup(ctx: AppContext, crn: str) -> ArrangeSetup:
    """Events to link, locations used before, and defaults from the last appointment."""
    cache = ctx.cache()
    events = _event_choices(
        cache.case_records(crn, "event"), cache.case_records(crn, "requirement")
    )
    contacts = [_contact(r) for r in cache.case_records(crn, "contact")]
    appointments = sorted(
        (c for c in contacts if _is_appointment(c) and not _rescheduled(c)),
        key=lambda c: (c.date, c.start_time or dt.time()),
    )
    locations = tuple(
        dict.fromkeys(c.location_code for c in reversed(appointments) if c.location_code)
    )
    last = appointments[-1] if appointments else None
    defaults = _defaults(crn, last, events, ctx.today())
    return ArrangeSetup(crn, events, locations, defaults, cache.type_usage())


def _defaults(
    crn: str, last: Contact | None, events: tuple[EventChoice, ...], today: dt.date
) -> AppointmentRequest:
    only_event = events[0].id if len(events) == 1 else None
    if last is None or last.start_time is None:
        start = DEFAULT_START
        end = (dt.datetime.combine(today, start) + dt.timedelta(minutes=DEFAULT_MINUTES)).time()
        return AppointmentRequest(
            crn, DEFAULT_TYPE, today + dt.timedelta(days=7), start, end, event_id=only_event
        )
    live = {e.id for e in events}
    day = last.date + dt.timedelta(days=7)
    while day <= today:
        day += dt.timedelta(days=7)
    end = (
        last.end_time
        or (
            dt.datetime.combine(day, last.start_time) + dt.timedelta(minutes=DEFAULT_MINUTES)
        ).time()
    )
    event = last.event_id if last.event_id in live else only_event
    return AppointmentRequest(
        crn,
        last.type_code,
        day,
        last.start_time,
        end,
        location_code=last.location_code,
        event_id=event,
        requirement_id=last.requirement_id if event == last.event_id else None,
    )


def _event_choices(
    events: list[StoredRecord], requirements: list[StoredRecord]
) -> tuple[EventChoice, ...]:
    reqs = [Requirement.model_validate(dict(r.data)) for r in requirements]
    choices: list[EventChoice] = []
    for stored in events:
        event = Event.model_validate(dict(stored.data))
        if not event.active:
            continue
        sentence = ""
        if event.sentence is not None:
            kind = reference().sentence_types.get(event.sentence.type_code)
            sentence = f" – {kind.description if kind else event.sentence.type_code}"
        live = tuple(
            Choice(r.id, _requirement_label(r))
            for r in reqs
            if r.event_id == event.id and r.termination_date is None
        )
        label = f"Event {event.number}: {event.main_offence}{sentence}"
        choices.append(EventChoice(event.id, label, live))
    return tuple(sorted(choices, key=lambda c: c.label))


def _requirement_label(requirement: Requirement) -> str:
    category = reference().requirement_categories.get(requirement.category_code)
    words = category.description if category else requirement.category_code
    if requirement.length and category is not None and category.units != "none":
        return f"{words} ({requirement.length} {category.units})"
    return words


def preview_appointment(ctx: AppContext, request: AppointmentRequest) -> Preview:
    """The dates a request would book and each one's warnings, from the cached diary."""
    try:
        dates = _dates(request)
    except ValidationError as refused:
        return Preview(errors=(refused,))
    diary = ctx.cache().diary_contacts(dates[0], dates[-1])
    errors: dict[str, ValidationError] = {}
    occurrences: list[Occurrence] = []
    for day in dates:
        check = check_appointment(_draft(request, day), diary, today=ctx.today())
        for error in check.errors:
            errors.setdefault(error.message, error)
        occurrences.append(Occurrence(day, check.warnings))
    return Preview(tuple(occurrences), tuple(errors.values()))


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


def arrange_appointment(
    ctx: AppContext,
    request: AppointmentRequest,
    *,
    accept_warnings: bool = False,
    contact_id: UUID | None = None,
) -> Booked:
    """Book the appointment (or series) in the cache and queue it, in one transaction."""
    preview = preview_appointment(ctx, request)
    if preview.errors:
        raise AppointmentInvalid(preview.errors)
    _confirmed(preview.warnings, accept_warnings)
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
    changes = ctx.cache().apply("arrange_appointment", args)
    log.info(
        "arranged %d appointment(s), %d warning(s)", len(preview.occurrences), len(preview.warnings)
    )
    ids = tuple(occurrence_id(first, i) for i in range(len(preview.occurrences)))
    return Booked(changes, ids, preview.warnings)


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


def _confirmed(warnings: tuple[str, ...], accepted: bool) -> None:
    if warnings and not accepted:
        raise WarningsNotConfirmed("Please confirm you want to book despite: " + " ".join(warnings))


# -- rescheduling ------------------------------------------------------------------------


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
    contact = _contact(stored)
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
    check = check_appointment(draft, diary, today=ctx.today())
    return Preview((Occurrence(request.date, check.warnings),), check.errors)


def _event_of(ctx: AppContext, old: AppointmentSummary) -> UUID | None:
    stored = ctx.cache().record("contact", old.contact_id)
    return None if stored is None else _contact(stored).event_id


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
    _confirmed(preview.warnings, accept_warnings)
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
    return Booked(changes, (new_id,), preview.warnings)


# -- notes ---------------------------------------------------------------------------------


def append_note(
    ctx: AppContext, crn: str, contact_id: UUID, text: str, *, sensitive: bool = False
) -> ChangeSet:
    """Add a dated, attributed paragraph to a contact's notes; the old text is kept.

    `sensitive` can only set the flag; a contact already sensitive stays so.
    """
    found = load_contact(ctx, crn, contact_id)
    # The same check the semantics make, before anything is written: blank or too long.
    appended_notes(found.notes, text, author=ctx.officer.username, at=ctx.now())
    args = AppendContactNote(
        contact_id=contact_id, text=text.strip(), sensitive=sensitive or found.sensitive
    )
    return ctx.cache().apply("append_contact_note", args)


# -- helpers -------------------------------------------------------------------------------


def _contact(stored: StoredRecord) -> Contact:
    return Contact.model_validate(dict(stored.data))


def _is_appointment(contact: Contact) -> bool:
    ctype = reference().contact_types.get(contact.type_code)
    return ctype is not None and ctype.attendance and contact.start_time is not None


def _rescheduled(contact: Contact) -> bool:
    outcome = reference().outcomes.get(contact.outcome_code or "")
    return outcome is not None and outcome.rescheduled
