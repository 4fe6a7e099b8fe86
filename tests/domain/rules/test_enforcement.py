"""Enforcement deadlines in calendar days or England & Wales working days."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import ValidationError
from domain.rules.enforcement import afta_evidence_due, breach_pack_due, response_due

D = dt.date


@pytest.mark.parametrize(
    ("action", "on", "due"),
    [
        ("EA02", D(2026, 12, 21), D(2026, 12, 28)),  # warning letter: 7 calendar days
        ("EA03", D(2026, 12, 24), D(2026, 12, 31)),  # calendar days ignore Christmas
        ("EA08", D(2026, 12, 18), D(2027, 1, 6)),  # breach letter: 10 working days
        ("ROM", D(2026, 4, 2), D(2026, 4, 8)),  # 2 working days over Easter
        ("NFA", D(2026, 12, 21), None),
    ],
)
def test_response_due(action: str, on: dt.date, due: dt.date | None) -> None:
    assert response_due(action, on) == due


def test_unknown_action_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="Unknown enforcement action"):
        response_due("EA99", D(2026, 1, 5))


@pytest.mark.parametrize(
    ("on", "due"),
    [
        (D(2026, 11, 23), D(2026, 12, 7)),  # a plain fortnight
        (D(2026, 3, 27), D(2026, 4, 14)),  # over Good Friday and Easter Monday
        (D(2026, 12, 18), D(2027, 1, 6)),  # over Christmas, Boxing Day (observed), New Year
        (D(2028, 2, 21), D(2028, 3, 6)),  # over 29 February
    ],
)
def test_breach_pack_due_in_ten_working_days(on: dt.date, due: dt.date) -> None:
    assert breach_pack_due(on) == due


@pytest.mark.parametrize(
    ("on", "due"),
    [
        (D(2026, 11, 23), D(2026, 11, 30)),
        (D(2026, 4, 1), D(2026, 4, 10)),  # Good Friday and Easter Monday do not count
        (D(2026, 12, 23), D(2027, 1, 4)),
        (D(2026, 10, 23), D(2026, 10, 30)),  # across the clocks going back
        (D(2026, 11, 21), D(2026, 11, 27)),  # from a Saturday
    ],
)
def test_afta_evidence_due_in_five_working_days(on: dt.date, due: dt.date) -> None:
    assert afta_evidence_due(on) == due
