"""What a produced letter keeps on its contact: the templates it used and its facts.

The record travels inside the letter contact (encrypted in the cache, synced with the
mutation that made it), so a reprint re-renders the identical letter from it. When the
case document store arrives the rendered PDF will be stored beside it; this record stays
the source of truth for what the letter said (docs/letters.md).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from domain.letters.facts import Language, LetterFacts, LetterKind
from domain.model import Entity


class TemplateRef(Entity):
    id: str = Field(min_length=1, max_length=60)
    language: Language
    version: str = Field(pattern=r"^\d+(\.\d+)*$", max_length=30)


class LetterRecord(Entity):
    """One letter: its kind, the template of each language in print order, its facts."""

    kind: LetterKind
    templates: tuple[TemplateRef, ...] = Field(min_length=1, max_length=2)
    facts: LetterFacts

    @model_validator(mode="after")
    def _one_per_language(self) -> LetterRecord:
        languages = [t.language for t in self.templates]
        if len(set(languages)) != len(languages):
            raise ValueError("a letter has at most one template per language")
        return self

    @property
    def languages(self) -> tuple[Language, ...]:
        return tuple(t.language for t in self.templates)
