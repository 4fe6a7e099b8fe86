"""arrange_appointment (one or a repeating series) and reschedule_appointment.

Every occurrence of a series takes an id derived from the first (`occurrence_id`), so the
client and the server create the same rows and a replay never books a second series.
The appointment check's errors reject the mutation; its warnings (weekend, bank holiday,
clash) travel back with the effects because the officer already chose to book anyway.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from domain.contacts import Contact, SeriesRef
from domain.errors import RuleViolation, ValidationError
from domain.mutations import ArrangeAppointment, RescheduleAppointment, occurrence_id
from domain.rules.appointments import AppointmentDraft, check_appointment
from domain.rules.outcomes import outcome_flags
from domain.rules.repeating import occurrence_dates
from domain.semantics.context import Context, created, updated
from domain.semantics.effects import Conflict, Effects, Upsert
from domain.semantics.letters import check_appointment_letter, letter_contact
from domain.semantics.links import contact_type, linked_event
from domain.semantics.merge import merge_fields, record_gone

_RESCHEDULED = {"service": "RSSR", "person": "RSOF"}


def arrange_appointment(args: ArrangeAppointment, ctx: Context) -> Effects:
    contact_type(ctx, args.type_code)
    linked_event(ctx, args.crn, args.event_id, args.requirement_id, args.licence_condition_id)
    dates = [args.date]
    if args.repeat is not None:
        repeat = args.repeat
        dates = occurrence_dates(
            args.date, repeat.frequency, count=repeat.count, until=repeat.until
        )
    ids = [occurrence_id(args.contact_id, i) for i in range(len(dates))]
    diary = _diary(ctx, dates[0], dates[-1], set(ids))
    upserts: list[Upsert] = []
    warnings: list[str] = []
    for contact_id, day in zip(ids, dates, strict=True):
        if ctx.exists("contact", contact_id, args.crn):
            continue  # this occurrence was already booked: a replay
        contact = _occurrence(args, ctx, contact_id, day)
        if len(dates) > 1 and args.repeat is not None:
            series = SeriesRef(
                id=args.contact_id,
                frequency=args.repeat.frequency,
                count=len(dates),
                index=ids.index(contact_id),
            )
            contact = contact.model_copy(update={"series": series})
        said = check(contact, diary, ctx, series=len(dates) > 1)
        warnings += said
        upserts.append(created("contact", contact, args.crn))
        if args.letter is not None and contact_id == args.contact_id:
            check_appointment_letter(args.letter, contact, ctx)
            letter = letter_contact(ctx, args.letter, contact)
            upserts += [letter] if letter is not None else []
    return Effects(upserts=tuple(upserts), warnings=tuple(warnings))


def _occurrence(args: ArrangeAppointment, ctx: Context, contact_id: UUID, day: dt.date) -> Contact:
    return Contact(
        id=contact_id,
        crn=args.crn,
        type_code=args.type_code,
        date=day,
        start_time=args.start_time,
        end_time=args.end_time,
        event_id=args.event_id,
        requirement_id=args.requirement_id,
        licence_condition_id=args.licence_condition_id,
        location_code=args.location_code,
        staff_code=ctx.actor.staff_code,
        team_code=ctx.actor.team_code,
        notes=args.notes,
        sensitive=args.sensitive,
        rar_activity=args.rar_activity,
    )


def _diary(ctx: Context, start: dt.date, end: dt.date, exclude: set[UUID]) -> list[Contact]:
    """The officer's other appointments (never the ones this mutation books or moves)."""
    if ctx.actor.staff_code is None:
        return []
    return [c for c in ctx.reader.diary(ctx.actor.staff_code, start, end) if c.id not in exclude]


def check(contact: Contact, diary: list[Contact], ctx: Context, *, series: bool) -> list[str]:
    """Run the appointment check: the first error rejects, warnings are returned.

    In a series each message is prefixed with its date so the officer knows which one.
    Judged as of the day the officer booked it; one that has aged into the past while
    queued is booked with a warning, and then needs an outcome like any other.
    """
    assert contact.start_time is not None
    assert contact.end_time is not None
    draft = AppointmentDraft(
        type_code=contact.type_code,
        date=contact.date,
        start_time=contact.start_time,
        end_time=contact.end_time,
        location_code=contact.location_code,
        event_id=contact.event_id,
        requirement_id=contact.requirement_id,
        licence_condition_id=contact.licence_condition_id,
        outcome_code=contact.outcome_code,
    )
    result = check_appointment(draft, diary, today=ctx.judged_on)
    prefix = f"{contact.date:%d/%m/%Y}: " if series else ""
    if result.errors:
        first = result.errors[0]
        raise ValidationError(prefix + first.message, field=first.field)
    warnings = list(result.warnings)
    if contact.date < ctx.today and contact.outcome_code is None:
        warnings.append("This appointment is now in the past: record its outcome.")
    return [prefix + warning for warning in warnings]


def reschedule_appointment(args: RescheduleAppointment, ctx: Context) -> Effects:
    found = ctx.load("contact", args.contact_id, Contact)
    if found is None:
        return Effects(conflicts=(record_gone("contact", args.contact_id, str(args.date)),))
    stored, old = found
    if ctx.reader.get("contact", args.new_contact_id) is not None:
        if old.rescheduled_to == args.new_contact_id:
            return Effects()  # already rescheduled: a replay
        raise ValidationError("The new appointment's id is already in use.", field="new_contact_id")
    code = _RESCHEDULED[args.requested_by]
    conflicts = _reschedule_conflicts(args, ctx, code)
    if conflicts:
        return Effects(conflicts=conflicts)
    if old.outcome_code is not None:
        raise RuleViolation(
            f"This appointment already has an outcome ({old.outcome_code}), so it cannot be "
            "rescheduled. Arrange a new appointment instead."
        )
    attended, complied = outcome_flags(code)
    moved = old.model_copy(
        update={
            "outcome_code": code,
            "attended": attended,
            "complied": complied,
            "rescheduled_to": args.new_contact_id,
        }
    )
    new = _moved_copy(args, old)
    diary = _diary(ctx, args.date, args.date, {old.id, new.id})
    warnings = check(new, diary, ctx, series=False)
    change = updated(stored, moved)
    upserts = ([change] if change is not None else []) + [created("contact", new, new.crn)]
    return Effects(upserts=tuple(upserts), warnings=tuple(warnings))


def _reschedule_conflicts(
    args: RescheduleAppointment, ctx: Context, code: str
) -> tuple[Conflict, ...]:
    """An outcome recorded, or a move made, centrally since the officer's base version
    (a reschedule by someone else shows as `rescheduled_to`, even for the same reason).

    A reschedule is all or nothing: any conflict holds back the whole of it.
    """
    stored = ctx.reader.get("contact", args.contact_id)
    assert stored is not None
    changes: dict[str, object] = {
        "outcome_code": code,
        "rescheduled_to": args.new_contact_id,
        "date": args.date,
        "start_time": args.start_time,
        "end_time": args.end_time,
    }
    if args.location_code is not None:
        changes["location_code"] = args.location_code
    return merge_fields(ctx, stored, Contact, changes, args.base_version).conflicts


def _moved_copy(args: RescheduleAppointment, old: Contact) -> Contact:
    """The new appointment: the old one's links and officer, at the new time, no outcome."""
    who = "the person's" if args.requested_by == "person" else "our"
    when = f"{old.date:%d/%m/%Y}" + (f" {old.start_time:%H:%M}" if old.start_time else "")
    return Contact(
        id=args.new_contact_id,
        crn=old.crn,
        type_code=old.type_code,
        date=args.date,
        start_time=args.start_time,
        end_time=args.end_time,
        event_id=old.event_id,
        requirement_id=old.requirement_id,
        licence_condition_id=old.licence_condition_id,
        location_code=args.location_code or old.location_code,
        staff_code=old.staff_code,
        team_code=old.team_code,
        notes=f"Rescheduled from {when} at {who} request.",
        sensitive=old.sensitive,
        rar_activity=old.rar_activity,
    )
