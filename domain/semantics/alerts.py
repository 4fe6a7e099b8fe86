"""clear_alert: the offender manager has read an alert, so it leaves the inbox.

An alert is not a record of its own: it is a contact recorded with the alert flag, and
its inbox is "alert contacts, not cleared, on the cases I manage now". So an alert
follows the case's current offender manager through a transfer without being moved, and
clearing it is an ordinary change to the contact that syncs like any other. Clearing
twice is harmless (the first clearing is kept: who read it, and when).
"""

from __future__ import annotations

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.mutations import ClearAlert
from domain.semantics.context import Context, updated
from domain.semantics.effects import Effects
from domain.semantics.merge import record_gone


def clear_alert(args: ClearAlert, ctx: Context) -> Effects:
    found = ctx.load("contact", args.contact_id, Contact)
    if found is None:
        return Effects(conflicts=(record_gone("contact", args.contact_id, True),))
    stored, contact = found
    if contact.crn != args.crn:
        raise ValidationError("That contact is not on this case.", field="contact_id")
    if not contact.alert:
        raise ValidationError("That contact is not an alert.", field="contact_id")
    if contact.alert_cleared_at is not None:
        return Effects()  # already cleared (by this officer or another): keep the first
    change = updated(
        stored,
        contact.model_copy(
            update={"alert_cleared_at": ctx.now, "alert_cleared_by": ctx.actor.username}
        ),
    )
    return Effects(upserts=(change,) if change is not None else ())
