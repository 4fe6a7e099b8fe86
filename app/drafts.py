"""Drafts: what an officer typed into a form that is not saved yet.

Kept in the encrypted cache (notes are personal data), keyed by form kind, CRN and,
for a form about one contact, the contact id. Forms autosave here as the officer
types, so an app crash or an idle lock loses nothing, and the next time the same
form opens for the same case the draft is offered back. Drafts never sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.context import AppContext


@dataclass(frozen=True, slots=True)
class DraftKey:
    """Which form: `kind` ("contact", "outcome", ...), the case, and maybe one contact."""

    kind: str
    crn: str
    contact_id: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    key: DraftKey
    values: dict[str, Any] = field(default_factory=dict)
    saved_at: dt.datetime | None = None


def save_draft(ctx: AppContext, key: DraftKey, values: dict[str, Any]) -> None:
    """Keep what was typed (plain JSON values), replacing the previous draft."""
    ctx.cache().save_draft(key, values, at=ctx.now())


def load_draft(ctx: AppContext, key: DraftKey) -> Draft | None:
    return ctx.cache().load_draft(key)


def discard_draft(ctx: AppContext, key: DraftKey) -> None:
    ctx.cache().discard_draft(key)
