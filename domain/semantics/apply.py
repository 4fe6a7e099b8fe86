"""`apply_mutation`: check a named, versioned mutation and work out its effects.

One entry point for both sides: the client calls it with `detect_conflicts=False` to
update its cache optimistically, the server with `True`, its own clock and its records.
Every change is also returned as an audit entry per case, because the mutation log is
the audit trail.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from uuid import UUID

from domain.semantics import (
    alerts,
    appointments,
    contacts,
    documents,
    letters,
    outcomes,
    person,
    scope,
)
from domain.semantics.args import mutation_model, validate_model
from domain.semantics.context import Context
from domain.semantics.effects import AuditEntry, Effects
from domain.semantics.ports import Actor, CaseReader

log = logging.getLogger(__name__)

Handler = Callable[[Any, Context], Effects]

HANDLERS: dict[str, Handler] = {
    "record_contact": contacts.record_contact,
    "append_contact_note": contacts.append_contact_note,
    "arrange_appointment": appointments.arrange_appointment,
    "reschedule_appointment": appointments.reschedule_appointment,
    "record_outcome": outcomes.record_outcome,
    "correct_outcome": outcomes.correct_outcome,
    "update_contact_details": person.update_contact_details,
    "update_address": person.update_address,
    "pin_case": scope.pin_case,
    "unpin_case": scope.unpin_case,
    "case_viewed": scope.case_viewed,
    "attach_documents": documents.attach_documents,
    "document_viewed": documents.document_viewed,
    "briefing_saved": scope.briefing_saved,
    "clear_alert": alerts.clear_alert,
    "letter_produced": letters.letter_produced,
}


def apply_mutation(
    name: str,
    version: int,
    args: dict[str, Any],
    *,
    mutation_id: UUID,
    actor: Actor,
    reader: CaseReader,
    today: dt.date,
    now: dt.datetime,
    detect_conflicts: bool,
    made_on: dt.date | None = None,
) -> Effects:
    """The effects of one mutation; nothing is written here.

    Raises UnknownMutation / UnsupportedMutationVersion when this build cannot run it,
    and ValidationError / RuleViolation when the change is refused for good. The server
    passes `made_on` (the day the officer queued it) so offline work is judged as of then.
    """
    model = mutation_model(name, version)
    parsed = validate_model(model, args)
    ctx = Context(mutation_id, actor, reader, today, now, detect_conflicts, made_on)
    effects = HANDLERS[name](parsed, ctx)
    log.debug(
        "mutation %s %s: %d upserts, %d conflicts",
        name,
        mutation_id,
        len(effects.upserts),
        len(effects.conflicts),
    )
    return replace(effects, audit=effects.audit + _change_audit(name, effects, now))


def _change_audit(name: str, effects: Effects, now: dt.datetime) -> tuple[AuditEntry, ...]:
    """One entry per case whose records changed, naming the records."""
    by_case: dict[str, list[UUID]] = {}
    for upsert in effects.upserts:
        by_case.setdefault(upsert.crn, []).append(upsert.id)
    return tuple(AuditEntry(name, crn, tuple(ids), at=now) for crn, ids in by_case.items())
