"""Expected errors, each with a title and a plain-English message an officer understands.

These are the "expected" kind of error (CONVENTIONS.md §9): shown inline, never a
crash dialog. Bugs are ordinary exceptions and go to the crash dialog.
"""

from __future__ import annotations


class FieldcaseError(Exception):
    """An expected problem with a plain message; the base of every typed error."""

    title = "Something needs your attention"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title


class ValidationError(FieldcaseError):
    """Input that breaks a rule; `field` names the form field it belongs to."""

    title = "Please check this"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RuleViolation(FieldcaseError):
    """An action the business rules do not allow (e.g. removing a sensitive flag)."""

    title = "Not allowed"
