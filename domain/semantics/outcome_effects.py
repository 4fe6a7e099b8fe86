"""Setting an outcome on a contact, and what follows from it on the event.

Shared by record_contact, record_outcome and correct_outcome so that an outcome means the
same wherever it is recorded: flags derived from it, the enforcement it allows, the
respond-by date, the "review enforcement status" task above the failure limit and the
breach flag an enforcement action raises (or, once corrected, lifts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.reference import Outcome
from domain.rules.compliance import enforcement_review_due
from domain.rules.enforcement import afta_evidence_due, response_due
from domain.rules.outcomes import (
    allowed_enforcement_actions,
    allowed_outcomes,
    is_failure,
    outcome_flags,
)
from domain.semantics import reviews
from domain.semantics.context import Context, updated
from domain.semantics.effects import Upsert
from domain.sentences import Event


def with_outcome(
    ctx: Context,
    contact: Contact,
    outcome_code: str,
    enforcement_code: str | None,
    event: Event | None,
) -> Contact:
    """`contact` with the outcome, its flags, the enforcement and its respond-by date."""
    outcome = allowed_outcome(contact, outcome_code, ctx.judged_on)
    if enforcement_code is not None:
        allowed = allowed_enforcement_actions(outcome_code, licence=ctx.is_licence(event))
        if enforcement_code not in {a.code for a in allowed}:
            raise ValidationError(
                f"'{enforcement_code}' is not an enforcement action that can follow "
                f"'{outcome.description}'.",
                field="enforcement_code",
            )
    attended, complied = outcome_flags(outcome_code)
    respond_by = _respond_by(enforcement_code, outcome.holding, contact.date, ctx.today)
    return contact.model_copy(
        update={
            "outcome_code": outcome_code,
            "attended": attended,
            "complied": complied,
            "enforcement_code": enforcement_code,
            "enforcement_response_by": respond_by,
        }
    )


def allowed_outcome(contact: Contact, code: str, today: dt.date) -> Outcome:
    """The outcome, if an officer may record it on this contact today."""
    allowed = {o.code: o for o in allowed_outcomes(contact.type_code)}
    if not allowed:
        raise ValidationError(
            "This type of contact does not take an outcome.", field="outcome_code"
        )
    outcome = allowed.get(code)
    if outcome is None:
        raise ValidationError(
            f"'{code}' is not an outcome for this type of contact.", field="outcome_code"
        )
    if contact.date > today and not outcome.acceptable_absence:
        raise ValidationError(
            "An appointment in the future can only have an acceptable absence recorded in advance.",
            field="outcome_code",
        )
    return outcome


def _respond_by(
    enforcement_code: str | None, holding: bool, day: dt.date, today: dt.date
) -> dt.date | None:
    """The enforcement's deadline from today; for AFTA, when the evidence is due."""
    if enforcement_code is not None:
        return response_due(enforcement_code, today)
    if holding:
        return afta_evidence_due(day)
    return None


def event_effects(
    ctx: Context, before: Contact | None, after: Contact, event: Event | None
) -> list[Upsert]:
    """The breach flag and the review task that follow `before` becoming `after`.

    The event's other contacts are read only when they can matter (a failure that may
    cross the limit, a breach that may be lifted): most outcomes are compliant, and a
    long-running case has thousands of contacts.
    """
    if event is None:
        return []
    others = _Others(ctx, after)
    new_event = _breach_flag(ctx, event, before, after, others)
    upserts: list[Upsert] = []
    if new_event != event:
        stored = ctx.reader.get("event", event.id)
        assert stored is not None  # event_of found it in this same mutation
        change = updated(stored, new_event)
        upserts += [change] if change is not None else []
    if not _failed(after):
        if before is not None and _failed(before):  # a failure corrected away
            upserts += reviews.no_longer_due(ctx, new_event, before, after, others.rows())
        return upserts  # only a failure can take the count above the limit
    rows = others.rows()
    due_before = enforcement_review_due(
        event, rows if before is None else [*rows, before], today=ctx.today
    )
    if enforcement_review_due(new_event, [*rows, after], today=ctx.today) and not due_before:
        upserts.append(reviews.review_task(ctx, new_event, [*rows, after], after))
    return upserts


def _failed(contact: Contact) -> bool:
    return contact.outcome_code is not None and is_failure(contact.outcome_code)


class _Others:
    """The event's other contacts that can matter, read once and only if asked for."""

    def __init__(self, ctx: Context, contact: Contact) -> None:
        self._ctx, self._contact = ctx, contact
        self._rows: list[Contact] | None = None

    def rows(self) -> list[Contact]:
        if self._rows is None:
            contact = self._contact
            assert contact.event_id is not None
            found = self._ctx.event_contacts(contact.crn, contact.event_id, self._matters)
            self._rows = [c for c in found if c.id != contact.id]
        return self._rows

    def _matters(self, data: Mapping[str, Any]) -> bool:
        """Only failures count towards the limit and only breach actions keep a breach open;
        compliant and pending contacts change neither, so they are not read."""
        outcome = self._ctx.ref.outcomes.get(str(data.get("outcome_code")))
        failed = data.get("complied") is False or (
            outcome is not None and outcome.complied is False
        )
        action = self._ctx.ref.enforcement_actions.get(str(data.get("enforcement_code")))
        return failed or (action is not None and action.starts_breach)


def _starts_breach(ctx: Context, contact: Contact | None) -> bool:
    if contact is None or contact.enforcement_code is None:
        return False
    action = ctx.ref.enforcement_actions.get(contact.enforcement_code)
    return action is not None and action.starts_breach


def _breach_flag(
    ctx: Context, event: Event, before: Contact | None, after: Contact, others: _Others
) -> Event:
    """Raise the breach flag on a breach action; lift it when a correction removes the only one."""
    if _starts_breach(ctx, after) and not event.breach_in_progress:
        return event.model_copy(update={"breach_in_progress": True})
    lifted = _starts_breach(ctx, before) and not _starts_breach(ctx, after)
    if (
        lifted
        and event.breach_in_progress
        and not any(_starts_breach(ctx, c) for c in others.rows())
    ):
        return event.model_copy(update={"breach_in_progress": False})
    return event
