"""Base class for every domain entity.

Entities are immutable (`frozen=True`) so that a row handed to a view or a
worker thread can never change under it, and strict about unknown fields
(`extra="forbid"`) so that a misspelt field from a server or a file is an error,
not silently dropped data.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Entity(BaseModel):
    """An immutable, validated domain value."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)
