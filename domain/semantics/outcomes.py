"""record_outcome and correct_outcome: what happened at an appointment, and fixing it later.

The outcome, its enforcement and the flags derived from them move together: if either
was changed centrally since the officer's base version, none of them applies and the
officer is shown the conflict. Notes the officer wrote are appended regardless, so no
keystroke is lost.
"""

from __future__ import annotations

from typing import Any

from domain.contacts import Contact
from domain.errors import RuleViolation, ValidationError
from domain.mutations import CorrectOutcome, RecordOutcome
from domain.rules.notes import append_note
from domain.semantics.contacts import check_flags
from domain.semantics.context import Context, updated
from domain.semantics.effects import Effects
from domain.semantics.letters import check_enforcement_letter, letter_contact
from domain.semantics.links import contact_type
from domain.semantics.merge import merge_fields, record_gone
from domain.semantics.outcome_effects import event_effects, with_outcome

_OUTCOME_FIELDS = frozenset({"outcome_code", "enforcement_code"})


def record_outcome(args: RecordOutcome, ctx: Context) -> Effects:
    found = ctx.load("contact", args.contact_id, Contact)
    if found is None:
        return Effects(conflicts=(record_gone("contact", args.contact_id, args.outcome_code),))
    stored, before = found
    changes: dict[str, Any] = {"outcome_code": args.outcome_code}
    if args.enforcement_code is not None:
        changes["enforcement_code"] = args.enforcement_code
    if args.hours_credited_minutes is not None:
        check_flags(contact_type(ctx, before.type_code), False, args.hours_credited_minutes)
        changes["hours_credited_minutes"] = args.hours_credited_minutes
    merge = merge_fields(ctx, stored, Contact, changes, args.base_version)
    held = {c.field for c in merge.conflicts}
    after = before
    event = ctx.event_of(before.crn, before.event_id)
    if not held & _OUTCOME_FIELDS and _sets_outcome(before, args):
        after = with_outcome(ctx, before, args.outcome_code, args.enforcement_code, event)
        if args.letter is not None:
            due = check_enforcement_letter(args.letter, after, args.enforcement_code, ctx)
            after = after.model_copy(update={"enforcement_response_by": due})
    if "hours_credited_minutes" in merge.applied:
        after = after.model_copy(update={"hours_credited_minutes": args.hours_credited_minutes})
    if args.notes.strip():
        notes = append_note(after.notes, args.notes, author=ctx.actor.username, at=ctx.now)
        after = after.model_copy(update={"notes": notes})
    change = updated(stored, after)
    if change is None:
        return Effects(conflicts=merge.conflicts)
    upserts = [change]
    if change.changed_fields & _OUTCOME_FIELDS:
        upserts += event_effects(ctx, before, after, event)
        letter = letter_contact(ctx, args.letter, after) if args.letter else None
        upserts += [letter] if letter is not None else []
    return Effects(upserts=tuple(upserts), conflicts=merge.conflicts)


def _sets_outcome(before: Contact, args: RecordOutcome) -> bool:
    """Whether the outcome (or a first enforcement action on it) is new.

    Recording the outcome already there is a no-op, not a way to drop its enforcement; a
    different outcome or enforcement than the one recorded must go through correct_outcome.
    """
    if before.outcome_code is None:
        return True
    if before.outcome_code != args.outcome_code:
        _not_rescheduled(before)
        raise RuleViolation(
            f"This appointment already has an outcome ({before.outcome_code}). "
            "Correct the outcome instead."
        )
    if args.enforcement_code in (None, before.enforcement_code):
        return False
    if before.enforcement_code is None:
        return True
    raise RuleViolation(
        f"This outcome already has an enforcement action ({before.enforcement_code}). "
        "Correct the outcome instead."
    )


def correct_outcome(args: CorrectOutcome, ctx: Context) -> Effects:
    found = ctx.load("contact", args.contact_id, Contact)
    if found is None:
        return Effects(conflicts=(record_gone("contact", args.contact_id, args.outcome_code),))
    stored, before = found
    if before.outcome_code is None:
        raise RuleViolation("This appointment has no outcome yet: record one instead.")
    _not_rescheduled(before)
    changes = {"outcome_code": args.outcome_code, "enforcement_code": args.enforcement_code}
    merge = merge_fields(ctx, stored, Contact, changes, args.base_version)
    if merge.conflicts:
        return Effects(conflicts=merge.conflicts)
    if (before.outcome_code, before.enforcement_code) == (args.outcome_code, args.enforcement_code):
        raise ValidationError(
            f"The outcome is already {args.outcome_code}; nothing to correct.",
            field="outcome_code",
        )
    event = ctx.event_of(before.crn, before.event_id)
    after = with_outcome(ctx, before, args.outcome_code, args.enforcement_code, event)
    text = f"Outcome corrected from {_described(ctx, before.outcome_code)} to "
    text += f"{_described(ctx, args.outcome_code)}. Reason: {args.reason}"
    notes = append_note(after.notes, text, author=ctx.actor.username, at=ctx.now)
    after = after.model_copy(update={"notes": notes})
    change = updated(stored, after)
    assert change is not None  # the outcome differs
    return Effects(upserts=(change, *event_effects(ctx, before, after, event)))


def _described(ctx: Context, code: str) -> str:
    outcome = ctx.ref.outcomes.get(code)
    return f"{code} ({outcome.plain_words})" if outcome is not None else code


def _not_rescheduled(contact: Contact) -> None:
    """A rescheduled appointment's outcome belongs to the new one; changing it here would
    leave the new appointment orphaned."""
    if contact.rescheduled_to is not None:
        raise RuleViolation(
            "This appointment was rescheduled: record the outcome on the new appointment."
        )
