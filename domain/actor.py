"""Who is acting: the signed-in officer a mutation is applied for.

Its own small module so the app can name the officer when it opens the cache without
importing the mutation semantics (`domain.semantics`, which re-exports it): those load
only when the officer first changes something.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in officer a mutation is applied for (the server's word, not the client's)."""

    username: str
    staff_code: str | None
    team_code: str | None
