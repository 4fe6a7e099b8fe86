"""Reference look-ups that fail as plain-English `ValidationError`s.

A code the reference data does not know comes from input (a form, a mutation
from an older or newer client), so it is an expected error, not a crash.
"""

from __future__ import annotations

from domain.errors import ValidationError
from domain.reference import (
    ContactType,
    EnforcementAction,
    Outcome,
    RegisterType,
    SentenceType,
    reference,
)


def contact_type(code: str) -> ContactType:
    try:
        return reference().contact_type(code)
    except KeyError:
        raise ValidationError(f"Unknown contact type '{code}'.", field="type_code") from None


def outcome(code: str) -> Outcome:
    try:
        return reference().outcome(code)
    except KeyError:
        raise ValidationError(f"Unknown outcome '{code}'.", field="outcome_code") from None


def enforcement_action(code: str) -> EnforcementAction:
    try:
        return reference().enforcement_action(code)
    except KeyError:
        raise ValidationError(
            f"Unknown enforcement action '{code}'.", field="enforcement_code"
        ) from None


def sentence_type(code: str) -> SentenceType:
    try:
        return reference().sentence_type(code)
    except KeyError:
        raise ValidationError(f"Unknown sentence type '{code}'.", field="type_code") from None


def register_type_or_none(code: str) -> RegisterType | None:
    return reference().register_types.get(code)


def contact_type_or_none(code: str) -> ContactType | None:
    return reference().contact_types.get(code)


def outcome_or_none(code: str | None) -> Outcome | None:
    return None if code is None else reference().outcomes.get(code)
