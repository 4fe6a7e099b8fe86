"""Choosing a code from what an officer typed: ranking, and when to pre-select.

The outcome, contact-type and enforcement pickers share this. Two rules keep an
officer in a hurry from recording something false against a person:

- an exact phrase (the code, its description, its plain words or a word officers
  use for it, from `refdata/officer_words.json`) ranks above a partial match, and
  among equally good matches the one that does not count against the person
  comes first;
- a choice that counts against the person (an outcome that is a failure to comply
  by the counting rules, a warning or breach step) is pre-selected only when what
  was typed identifies it unambiguously: it is the only match, or the only exact
  one. Otherwise nothing is chosen and the officer picks from the list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from importlib import resources

from domain.reference import ContactType, EnforcementAction, Outcome


class Tier(IntEnum):
    """How well a choice matches; lower is better."""

    CODE = 0
    PHRASE = 1  # the whole of a description, plain words or officer word
    CODE_PREFIX = 2
    PHRASE_START = 3  # the start of one of those phrases
    WORD_STARTS = 4  # every typed word starts a word of one phrase
    INSIDE = 5  # the typed text appears inside a phrase
    CATEGORY = 6


@dataclass(frozen=True, slots=True)
class Choice:
    """One pickable code with every phrase it answers to."""

    code: str
    phrases: tuple[str, ...]
    category: str = ""
    adverse: bool = False  # counts against the person


@dataclass(frozen=True, slots=True)
class Ranked:
    """The matches, best first, and the code to pre-select ("" for none)."""

    codes: tuple[str, ...]
    preselect: str


_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Case, apostrophes and punctuation do not matter: "Didn't turn-up" = "didnt turn up"."""
    text = text.casefold().replace("'", "").replace("\u2019", "")
    return " ".join(_PUNCT.sub(" ", text).split())


def tier(choice: Choice, typed: str) -> Tier | None:
    """How `choice` matches the normalised `typed` text (None: not at all)."""
    code = choice.code.casefold()
    phrases = _normalised(choice.phrases)
    parts = typed.split()
    checks: tuple[tuple[Tier, Callable[[], bool]], ...] = (
        (Tier.CODE, lambda: typed == code),
        (Tier.PHRASE, lambda: typed in phrases),
        (Tier.CODE_PREFIX, lambda: code.startswith(typed)),
        (Tier.PHRASE_START, lambda: any(p.startswith(typed) for p in phrases)),
        (Tier.WORD_STARTS, lambda: any(_starts_words(p, parts) for p in phrases)),
        (Tier.INSIDE, lambda: any(typed in p for p in phrases)),
        (Tier.CATEGORY, lambda: normalise(choice.category).startswith(typed)),
    )
    return next((t for t, check in checks if check()), None)


@cache
def _normalised(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise(p) for p in phrases)


def _starts_words(phrase: str, parts: list[str]) -> bool:
    words = phrase.split()
    return all(any(w.startswith(t) for w in words) for t in parts)


def rank(choices: Sequence[Choice], typed: str) -> Ranked:
    """Matches best first (ties: not adverse first, then the given order) and the pick."""
    needle = normalise(typed)
    if not needle:
        return Ranked(tuple(c.code for c in choices), "")
    scored = [
        (t, c.adverse, n, c) for n, c in enumerate(choices) if (t := tier(c, needle)) is not None
    ]
    scored.sort(key=lambda s: (s[0], s[1], s[2]))
    codes = tuple(s[3].code for s in scored)
    return Ranked(codes, _preselect(scored))


def _preselect(scored: list[tuple[Tier, bool, int, Choice]]) -> str:
    if not scored:
        return ""
    best_tier, adverse, _, best = scored[0]
    if not adverse:
        return best.code
    alone = len(scored) == 1
    exact_and_only = best_tier <= Tier.PHRASE and sum(s[0] <= Tier.PHRASE for s in scored) == 1
    return best.code if alone or exact_and_only else ""


# -- the choices for each picker --------------------------------------------------


@cache
def officer_words() -> dict[str, object]:
    """The shipped words file (read once)."""
    text = resources.files("domain.refdata").joinpath("officer_words.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def _words(section: str, code: str) -> tuple[str, ...]:
    table = officer_words()[section]
    assert isinstance(table, dict)
    return tuple(table.get(code, ()))


def _listed(key: str) -> frozenset[str]:
    values = officer_words()[key]
    assert isinstance(values, list)
    return frozenset(str(v) for v in values)


def outcome_adverse(outcome: Outcome) -> bool:
    """A failure to comply by the counting rules (`domain.rules.compliance`)."""
    return outcome.complied is False


def outcome_choices(outcomes: Iterable[Outcome]) -> list[Choice]:
    return [
        Choice(
            o.code,
            (o.description, o.plain_words, *_words("outcomes", o.code)),
            adverse=outcome_adverse(o),
        )
        for o in outcomes
    ]


def enforcement_choices(actions: Iterable[EnforcementAction]) -> list[Choice]:
    adverse = _listed("adverse_enforcement_actions")
    return [
        Choice(
            a.code,
            (a.description, *_words("enforcement_actions", a.code)),
            adverse=a.code in adverse,
        )
        for a in actions
    ]


def contact_type_choices(types: Iterable[ContactType]) -> list[Choice]:
    adverse = _listed("adverse_contact_type_categories")
    return [
        Choice(
            t.code,
            (t.description, *_words("contact_types", t.code)),
            t.category,
            adverse=t.category in adverse,
        )
        for t in types
    ]
