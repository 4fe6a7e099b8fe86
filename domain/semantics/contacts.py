"""record_contact and append_contact_note: the contact log, which is append-only.

Recording creates a contact with the id the officer's laptop chose, so a replayed create
is a no-op rather than a second row. Notes are appended as attributed paragraphs and the
sensitive flag can be set but never cleared, so appends never conflict.
"""

from __future__ import annotations

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.mutations import AppendContactNote, RecordContact
from domain.reference import ContactType
from domain.rules.appointments import AppointmentDraft, check_appointment
from domain.rules.notes import append_note, check_sensitive_change
from domain.semantics.context import Context, created, updated
from domain.semantics.documents import document_upserts
from domain.semantics.effects import Effects, Upsert
from domain.semantics.links import contact_type, linked_event
from domain.semantics.merge import record_gone
from domain.semantics.outcome_effects import event_effects, with_outcome
from domain.validation import validate_time_range


def record_contact(args: RecordContact, ctx: Context) -> Effects:
    if ctx.exists("contact", args.contact_id, args.crn):
        return Effects()  # already recorded: a replay
    ctype = contact_type(ctx, args.type_code)
    event = linked_event(ctx, args.crn, args.event_id, args.requirement_id)
    warnings = _checks(args, ctype, ctx)
    contact = Contact(
        id=args.contact_id,
        crn=args.crn,
        type_code=args.type_code,
        date=args.date,
        start_time=args.start_time,
        end_time=args.end_time,
        event_id=args.event_id,
        requirement_id=args.requirement_id,
        location_code=args.location_code,
        staff_code=ctx.actor.staff_code,
        team_code=ctx.actor.team_code,
        notes=args.notes,
        sensitive=args.sensitive,
        alert=args.alert,
        rar_activity=args.rar_activity,
        hours_credited_minutes=args.hours_credited_minutes,
    )
    if args.outcome_code is None:
        if args.enforcement_code is not None:
            raise ValidationError(
                "Record an outcome before an enforcement action.", field="enforcement_code"
            )
        upserts = [created("contact", contact, args.crn), *_documents(args, ctx)]
        return Effects(upserts=tuple(upserts), warnings=warnings)
    contact = with_outcome(ctx, contact, args.outcome_code, args.enforcement_code, event)
    upserts = [created("contact", contact, args.crn), *event_effects(ctx, None, contact, event)]
    return Effects(upserts=(*upserts, *_documents(args, ctx)), warnings=warnings)


def _documents(args: RecordContact, ctx: Context) -> tuple[Upsert, ...]:
    return document_upserts(ctx, args.crn, args.contact_id, args.documents)


def _checks(args: RecordContact, ctype: ContactType, ctx: Context) -> tuple[str, ...]:
    """The type's own rules; appointments get the full appointment check (errors reject)."""
    check_flags(ctype, args.rar_activity, args.hours_credited_minutes)
    if not ctype.attendance:
        if args.start_time is not None and args.end_time is not None:
            validate_time_range(args.start_time, args.end_time)
        if not ctype.person_level and args.event_id is None:
            raise ValidationError(
                f"Choose the event (sentence) this '{ctype.description}' is for.",
                field="event_id",
            )
        return ()
    if args.start_time is None or args.end_time is None:
        raise ValidationError(
            "Enter the start and end times of the appointment.", field="start_time"
        )
    draft = AppointmentDraft(
        type_code=args.type_code,
        date=args.date,
        start_time=args.start_time,
        end_time=args.end_time,
        location_code=args.location_code,
        event_id=args.event_id,
        requirement_id=args.requirement_id,
        outcome_code=args.outcome_code,
    )
    diary = (
        ctx.reader.diary(ctx.actor.staff_code, args.date, args.date) if ctx.actor.staff_code else []
    )
    check = check_appointment(
        draft, [c for c in diary if c.id != args.contact_id], today=ctx.judged_on
    )
    if check.errors:
        raise check.errors[0]
    return check.warnings


def check_flags(ctype: ContactType, rar_activity: bool, minutes: int | None) -> None:
    """RAR activity and unpaid-work hours only on the types that carry them."""
    if rar_activity and not ctype.rar_eligible:
        raise ValidationError(
            f"'{ctype.description}' cannot count as a RAR activity.", field="rar_activity"
        )
    if minutes is not None and not ctype.unpaid_work:
        raise ValidationError(
            f"Hours can only be credited on unpaid work, not '{ctype.description}'.",
            field="hours_credited_minutes",
        )


def append_contact_note(args: AppendContactNote, ctx: Context) -> Effects:
    found = ctx.load("contact", args.contact_id, Contact)
    if found is None:
        return Effects(conflicts=(record_gone("contact", args.contact_id, args.text),))
    stored, contact = found
    sensitive = contact.sensitive or args.sensitive
    check_sensitive_change(contact.sensitive, sensitive)
    notes = append_note(contact.notes, args.text, author=ctx.actor.username, at=ctx.now)
    change = updated(stored, contact.model_copy(update={"notes": notes, "sensitive": sensitive}))
    return Effects(upserts=(change,) if change is not None else ())
