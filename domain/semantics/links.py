"""Checks that what a contact links to (event, requirement, licence condition) is on its case.

A forged or stale id must not attach a contact to someone else's order, so every link is
looked up and its case compared, on the client and again on the server.
"""

from __future__ import annotations

from uuid import UUID

from domain.errors import RuleViolation, ValidationError
from domain.reference import ContactType
from domain.semantics.context import Context
from domain.sentences import Event, LicenceCondition, Requirement


def linked_event(
    ctx: Context,
    crn: str,
    event_id: UUID | None,
    requirement_id: UUID | None = None,
    licence_condition_id: UUID | None = None,
) -> Event | None:
    """The linked event (None when person-level), after checking every link is on the case."""
    event = ctx.event_of(crn, event_id)
    if requirement_id is not None:
        found = ctx.load("requirement", requirement_id, Requirement)
        if found is None or found[1].crn != crn or found[1].event_id != event_id:
            raise ValidationError(
                "The requirement is not part of the chosen event.", field="requirement_id"
            )
    if licence_condition_id is not None:
        condition = ctx.load("licence_condition", licence_condition_id, LicenceCondition)
        if condition is None or condition[1].crn != crn or condition[1].event_id != event_id:
            raise ValidationError(
                "The licence condition is not part of the chosen event.",
                field="licence_condition_id",
            )
    return event


def contact_type(ctx: Context, code: str) -> ContactType:
    """A contact type an officer may record by hand."""
    ctype = ctx.ref.contact_types.get(code)
    if ctype is None:
        raise ValidationError(f"Unknown contact type '{code}'.", field="type_code")
    if ctype.system_generated:
        raise RuleViolation(
            f"'{ctype.description}' contacts are created by the system, not recorded by hand."
        )
    return ctype
