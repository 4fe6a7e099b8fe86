"""Record or correct an appointment's outcome, and show its effect before saving.

The effect ("2nd failure to comply in 12 months", "response due by Fri 27 Nov",
"a Review enforcement status task will be raised") is computed here with the same
domain rules the save applies (`domain.rules`, run by `domain.semantics`), so what
the officer is told is what happens. The save is one mutation: contact, compliance,
enforcement state and the derived figures move in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from uuid import UUID

from app.changes import ChangeSet
from app.context import AppContext
from domain.contacts import Contact
from domain.errors import FieldcaseError
from domain.mutations import CorrectOutcome, RecordOutcome
from domain.reference import reference
from domain.rules.compliance import enforcement_review_due, failure_to_comply_count
from domain.rules.enforcement import afta_evidence_due, response_due
from domain.rules.outcomes import outcome_flags
from domain.rules.progress import rar_progress, unpaid_work_progress
from domain.sentences import Event, Requirement


class NothingToRecord(FieldcaseError):
    title = "No appointment to record"


@dataclass(frozen=True, slots=True)
class OutcomeTarget:
    """The appointment an outcome is for, as the form shows it."""

    contact_id: UUID
    crn: str
    type_code: str
    type_text: str
    date: dt.date
    start_time: dt.time | None
    version: int
    outcome_code: str | None
    enforcement_code: str | None
    licence: bool

    @property
    def heading(self) -> str:
        when = f"{self.date:%a} {self.date.day} {self.date:%b %Y}"
        at = f" at {self.start_time:%H:%M}" if self.start_time else ""
        return f"{self.type_text}, {when}{at}"


@dataclass(frozen=True, slots=True)
class Effect:
    """What saving would do, in plain words, with the figures behind it."""

    lines: tuple[str, ...] = ()
    ftc_before: int = 0
    ftc_after: int = 0
    review_raised: bool = False
    review_lifted: bool = False
    respond_by: dt.date | None = None
    lifts: tuple[str, ...] = field(default=())


# -- reads (the pool) ----------------------------------------------------------------


def outcome_target(ctx: AppContext, contact_id: UUID) -> OutcomeTarget:
    stored = ctx.cache().record("contact", contact_id)
    if stored is None:
        raise NothingToRecord("This appointment is no longer on this laptop.")
    contact = Contact.model_validate(dict(stored.data))
    event = _event(ctx, contact)
    ctype = reference().contact_types.get(contact.type_code)
    return OutcomeTarget(
        contact_id=contact.id,
        crn=contact.crn,
        type_code=contact.type_code,
        type_text=ctype.description if ctype else contact.type_code,
        date=contact.date,
        start_time=contact.start_time,
        version=stored.version,
        outcome_code=contact.outcome_code,
        enforcement_code=contact.enforcement_code,
        licence=_licence(event),
    )


def next_needing_outcome(ctx: AppContext, crn: str) -> UUID:
    """The case's appointment due an outcome: the oldest one already started, else the
    next one today (an officer records straight after the person leaves)."""
    now = ctx.now().astimezone()
    today = now.date()
    waiting = sorted(
        (
            c
            for c in _contacts(ctx, crn)
            if _is_appointment(c) and c.outcome_code is None and c.date <= today
        ),
        key=lambda c: (c.date, c.start_time or dt.time()),
    )
    if not waiting:
        raise NothingToRecord("No appointment of this case is waiting for an outcome.")
    return waiting[0].id


def preview_outcome(
    ctx: AppContext, contact_id: UUID, outcome_code: str, enforcement_code: str | None
) -> Effect:
    """The effect of recording (or correcting to) this outcome on a held appointment."""
    stored = ctx.cache().record("contact", contact_id)
    if stored is None or not outcome_code:
        return Effect()
    before = Contact.model_validate(dict(stored.data))
    return contact_effect(ctx, _with(before, outcome_code, enforcement_code, ctx.today()), before)


def contact_effect(ctx: AppContext, after: Contact, before: Contact | None = None) -> Effect:
    """What `before` becoming `after` (or `after` being recorded) does to the case."""
    if after.outcome_code is None:
        return Effect()
    outcome = reference().outcomes.get(after.outcome_code)
    lines = [f"Recorded as: {outcome.plain_words}."] if outcome else []
    event = _event(ctx, after)
    others = [c for c in _contacts(ctx, after.crn) if c.id != after.id]
    figures = _enforcement(ctx, event, others, before, after)
    lines += figures.lines
    respond_by, deadline = _deadline(after, ctx.today())
    lines += [deadline] if deadline else []
    lifts = _lifted(before, after)
    lines += [f"Lifts: {words}." for words in lifts]
    lines += _progress(ctx, after, before, others)
    return Effect(
        tuple(lines),
        figures.ftc_before,
        figures.ftc_after,
        figures.review_raised,
        figures.review_lifted,
        respond_by,
        lifts,
    )


# -- writes (the writer) -------------------------------------------------------------


def record_outcome(ctx: AppContext, args: RecordOutcome) -> ChangeSet:
    return ctx.cache().apply("record_outcome", args)


def correct_outcome(ctx: AppContext, args: CorrectOutcome) -> ChangeSet:
    return ctx.cache().apply("correct_outcome", args)


# -- helpers -------------------------------------------------------------------------


def _contacts(ctx: AppContext, crn: str) -> list[Contact]:
    return [Contact.model_validate(dict(r.data)) for r in ctx.cache().case_records(crn, "contact")]


def _event(ctx: AppContext, contact: Contact) -> Event | None:
    if contact.event_id is None:
        return None
    stored = ctx.cache().record("event", contact.event_id)
    return None if stored is None else Event.model_validate(dict(stored.data))


def _licence(event: Event | None) -> bool:
    if event is None or event.sentence is None:
        return False
    stype = reference().sentence_types.get(event.sentence.type_code)
    return stype is not None and stype.licence


def _is_appointment(contact: Contact) -> bool:
    ctype = reference().contact_types.get(contact.type_code)
    return ctype is not None and ctype.attendance and contact.rescheduled_to is None


def _with(contact: Contact, outcome_code: str, enforcement: str | None, today: dt.date) -> Contact:
    attended, complied = outcome_flags(outcome_code)
    return contact.model_copy(
        update={
            "outcome_code": outcome_code,
            "enforcement_code": enforcement or None,
            "attended": attended,
            "complied": complied,
        }
    )


@dataclass(frozen=True, slots=True)
class _Figures:
    lines: tuple[str, ...] = ()
    ftc_before: int = 0
    ftc_after: int = 0
    review_raised: bool = False
    review_lifted: bool = False


def _enforcement(
    ctx: AppContext,
    event: Event | None,
    others: list[Contact],
    before: Contact | None,
    after: Contact,
) -> _Figures:
    if event is None or event.sentence is None:
        return _Figures()
    today = ctx.today()
    rows_before = [*others, before] if before is not None else others
    rows_after = [*others, after]
    count_before = failure_to_comply_count(event, rows_before)
    count_after = failure_to_comply_count(event, rows_after)
    due_before = enforcement_review_due(event, rows_before, today=today)
    due_after = enforcement_review_due(event, rows_after, today=today)
    lines: list[str] = []
    stype = reference().sentence_types.get(event.sentence.type_code)
    if count_after != count_before or event.breach_in_progress:
        limit = f" (limit {stype.ftc_limit} in {stype.ftc_window_months} months)" if stype else ""
        lines.append(
            f"Failures to comply on event {event.number}: {count_before} → {count_after}{limit}."
        )
    if event.breach_in_progress:
        lines.append("A breach is in progress: new failures do not add to the count.")
    if due_after and not due_before:
        lines.append("A 'Review enforcement status' task will be raised for the offender manager.")
    if due_before and not due_after:
        lines.append("Back within the limit: a review of enforcement status is no longer due.")
    raised, lifted = due_after and not due_before, due_before and not due_after
    return _Figures(tuple(lines), count_before, count_after, raised, lifted)


def _deadline(after: Contact, today: dt.date) -> tuple[dt.date | None, str]:
    if after.enforcement_code:
        action = reference().enforcement_actions.get(after.enforcement_code)
        due = response_due(after.enforcement_code, today)
        if action is not None and due is not None:
            return due, f"{action.description}: response due by {_day(due)}."
        return None, ""
    outcome = reference().outcomes.get(after.outcome_code or "")
    if outcome is not None and outcome.holding:
        due = afta_evidence_due(after.date)
        return due, f"Evidence of the reason is due by {_day(due)} (5 working days)."
    return None, ""


def _lifted(before: Contact | None, after: Contact) -> tuple[str, ...]:
    if before is None or not before.enforcement_code:
        return ()
    if before.enforcement_code == after.enforcement_code:
        return ()
    action = reference().enforcement_actions.get(before.enforcement_code)
    words = action.description if action else before.enforcement_code
    found = [f"{words} ({before.enforcement_code})"]
    if action is not None and action.starts_breach:
        found.append("the breach in progress it started")
    return tuple(found)


def _progress(
    ctx: AppContext, after: Contact, before: Contact | None, others: list[Contact]
) -> list[str]:
    """RAR days or unpaid-work hours, before and after, when this contact counts."""
    if after.requirement_id is None:
        return []
    stored = ctx.cache().record("requirement", after.requirement_id)
    if stored is None:
        return []
    requirement = Requirement.model_validate(dict(stored.data))
    today = ctx.today()
    old = [*others, before] if before is not None else others
    if requirement.category_code == "F" and after.rar_activity:
        was = rar_progress(requirement, old, today=today).completed_days
        now = rar_progress(requirement, [*others, after], today=today)
        if now.completed_days != was:
            return [f"RAR days: {was} → {now.completed_days} of {now.ordered_days}."]
    if requirement.category_code == "W":
        was_minutes = unpaid_work_progress(requirement, old).completed_minutes
        now_uw = unpaid_work_progress(requirement, [*others, after])
        if now_uw.completed_minutes != was_minutes:
            return [f"Unpaid work: {now_uw.text}."]
    return []


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
