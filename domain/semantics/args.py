"""Checking a mutation's name, version and arguments before anything runs.

Pydantic's own messages are written for developers; an officer (or the rejection list
they read) gets a plain sentence naming the field instead.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic

from domain.errors import ValidationError
from domain.model import Entity
from domain.mutations import MUTATIONS, NOTES_MAX, SUPPORTED, MutationArgs
from domain.semantics.errors import UnknownMutation, UnsupportedMutationVersion

M = TypeVar("M", bound=Entity)

_PLAIN: dict[str, str] = {
    "missing": "{label} is missing.",
    "extra_forbidden": "{label} is not part of this change.",
    "string_too_long": "{label} can be up to {max_length:,} characters.",
    "string_too_short": "{label} cannot be empty.",
    "string_pattern_mismatch": "{label} is not in the right form.",
    "uuid_parsing": "{label} is not a valid id.",
    "uuid_type": "{label} is not a valid id.",
    "date_from_datetime_parsing": "{label} is not a date (use YYYY-MM-DD).",
    "date_parsing": "{label} is not a date (use YYYY-MM-DD).",
    "date_type": "{label} is not a date (use YYYY-MM-DD).",
    "time_parsing": "{label} is not a time (use HH:MM).",
    "time_type": "{label} is not a time (use HH:MM).",
    "wall_time": "{label} must be a time of day like 14:30, without a time zone.",
    "literal_error": "{label} must be one of {expected}.",
    "greater_than_equal": "{label} must be at least {ge}.",
    "less_than_equal": "{label} must be at most {le}.",
}
_CRN_MESSAGE = (
    "The CRN is not valid. A CRN is one letter followed by six digits, for example X320741."
)


def mutation_model(name: str, version: int) -> type[MutationArgs]:
    """The argument model of a mutation this build runs, or a typed error saying why not."""
    model = MUTATIONS.get(name)
    if model is None:
        raise UnknownMutation(name)
    supported = SUPPORTED[name]
    if version not in supported:
        raise UnsupportedMutationVersion(name, version, supported)
    return model


def validate_model(model: type[M], data: Any) -> M:
    """`model.model_validate(data)`, failing with a plain domain ValidationError."""
    if not isinstance(data, dict):
        raise ValidationError("The change's details are missing or not in the right form.")
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise plain_error(exc) from None


def plain_error(exc: pydantic.ValidationError) -> ValidationError:
    """The first problem pydantic found, as one sentence naming its field."""
    first = exc.errors(include_url=False)[0]
    loc = [str(part) for part in first["loc"]]
    field = ".".join(loc) if loc else None
    label = (loc[-1] if loc else "A value").replace("_", " ").capitalize()
    kind = first["type"]
    if loc and loc[-1] == "crn" and kind == "string_pattern_mismatch":
        return ValidationError(_CRN_MESSAGE, field=field)
    template = _PLAIN.get(kind)
    if template is None:
        return ValidationError(f"{label}: {first['msg']}.", field=field)
    context = {"max_length": NOTES_MAX, "expected": "", "ge": "", "le": ""}
    context.update(first.get("ctx") or {})
    return ValidationError(template.format(label=label, **context), field=field)
