"""The letter templates a laptop holds: the national defaults, and its region's own.

The defaults ship in `domain/refdata/letters/` (one file per kind and language); a
region's administrator changes wording by uploading a file to the central service,
which hands the region's templates to each laptop at sign-in (docs/letters.md). Every
version ever received is kept, so a reprint finds the exact template its letter used.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from domain.letters.facts import Language, LetterFacts, LetterKind, merge_values
from domain.letters.record import LetterRecord, TemplateRef
from domain.letters.templates import (
    FilledSection,
    LetterTemplate,
    LetterTemplateError,
    fill,
    parse_template,
    version_key,
)


class TemplateSet:
    """Templates by (id, language, version); the newest of a kind and language is current."""

    def __init__(self, templates: Iterable[LetterTemplate]) -> None:
        self._all = {(t.id, t.language, t.version): t for t in templates}

    def __len__(self) -> int:
        return len(self._all)

    def templates(self) -> list[LetterTemplate]:
        return sorted(
            self._all.values(), key=lambda t: (t.kind, t.language, version_key(t.version))
        )

    def current(self, kind: LetterKind, language: Language) -> LetterTemplate:
        found = [t for t in self._all.values() if t.kind == kind and t.language == language]
        if not found:
            raise LetterTemplateError(f"There is no {language} template for the {kind} letter.")
        return max(found, key=lambda t: version_key(t.version))

    def exact(self, ref: TemplateRef) -> LetterTemplate:
        found = self._all.get((ref.id, ref.language, ref.version))
        if found is None:
            raise LetterTemplateError(
                f"Letter template '{ref.id}' ({ref.language}, version {ref.version}) is not on "
                "this laptop; it arrives with the next online sign-in."
            )
        return found

    def merged(self, extra: Iterable[LetterTemplate]) -> TemplateSet:
        return TemplateSet([*self._all.values(), *extra])

    def record(
        self, kind: LetterKind, languages: tuple[Language, ...], facts: LetterFacts
    ) -> LetterRecord:
        """A new letter of `kind` on the current templates, checked to fill completely."""
        refs = tuple(
            TemplateRef(id=t.id, language=t.language, version=t.version)
            for t in (self.current(kind, language) for language in languages)
        )
        letter = LetterRecord(kind=kind, templates=refs, facts=facts)
        self.render(letter)  # a gap is found now, before anything is saved
        return letter

    def render(self, letter: LetterRecord) -> tuple[FilledSection, ...]:
        """The letter's sections in print order (Welsh first in a bilingual letter)."""
        return tuple(
            fill(self.exact(ref), merge_values(letter.facts, ref.language))
            for ref in letter.templates
        )


def parse_many(texts: Iterable[tuple[str, str]]) -> list[LetterTemplate]:
    """Parse (origin, text) pairs; the first bad one raises, naming itself."""
    return [parse_template(text, origin) for origin, text in texts]


@cache
def shipped_templates() -> TemplateSet:
    """The national default templates built into this version of Fieldcase."""
    folder = resources.files("domain.refdata").joinpath("letters")
    texts = [
        (f"letters/{item.name}", item.read_text("utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".txt")
    ]
    return TemplateSet(parse_many(sorted(texts)))
