"""Notes are appended, never replaced, and a sensitive flag is never removed.

Each addition becomes a dated, attributed paragraph in the national system's
own words ("Comment added by ... on dd/mm/yyyy at hh:mm"), so a reader can
tell who wrote what and when, and nothing written earlier can be lost by a
later edit or a sync merge.
"""

from __future__ import annotations

import datetime as dt

from domain.calendar import LONDON
from domain.errors import RuleViolation, ValidationError
from domain.validation import NOTES_MAX


def note_heading(author: str, at: dt.datetime) -> str:
    """The line above each addition; aware times are shown in UK local time."""
    local = at.astimezone(LONDON) if at.tzinfo is not None else at
    return f"Comment added by {author} on {local:%d/%m/%Y} at {local:%H:%M}"


def append_note(existing: str, addition: str, *, author: str, at: dt.datetime) -> str:
    """`existing` with `addition` appended as a new attributed paragraph.

    Raises ValidationError when the addition is blank or the whole would pass
    12,000 characters (saying by how much).
    """
    text = addition.strip()
    if not text:
        raise ValidationError("Write something to add to the notes.", field="notes")
    paragraph = f"{note_heading(author, at)}\n{text}"
    combined = f"{existing.rstrip()}\n\n{paragraph}" if existing.strip() else paragraph
    if len(combined) > NOTES_MAX:
        over = len(combined) - NOTES_MAX
        raise ValidationError(
            f"Notes can be up to {NOTES_MAX:,} characters in total. Adding this would make "
            f"them {over:,} character{'s' if over != 1 else ''} too long; shorten it or "
            "record a new contact.",
            field="notes",
        )
    return combined


def check_sensitive_change(old: bool, new: bool) -> None:
    """A contact marked sensitive stays sensitive; raises RuleViolation on clearing it."""
    if old and not new:
        raise RuleViolation(
            "A contact marked sensitive cannot be made not sensitive. Ask a manager if it "
            "was marked by mistake.",
            title="Cannot remove the sensitive flag",
        )
