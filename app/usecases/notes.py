"""Add to a contact's notes: a dated, attributed paragraph; the old text is never replaced."""

from __future__ import annotations

from uuid import UUID

from app.changes import ChangeSet
from app.context import AppContext
from app.usecases.reschedule import load_contact
from domain.mutations import AppendContactNote
from domain.rules.notes import append_note as appended_notes


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
