"""Which outcomes a contact type allows, and which enforcement actions follow an outcome."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.rules.outcomes import (
    allowed_enforcement_actions,
    allowed_outcomes,
    is_failure,
    outcome_flags,
)


def codes(rows: list) -> set[str]:
    return {row.code for row in rows}


def test_appointment_types_get_every_pickable_outcome() -> None:
    allowed = codes(allowed_outcomes("COAP"))
    assert {"ATTC", "AFTC", "ATSH", "ATSS", "UAAB", "AFTA", "AAME", "CO05"} <= allowed
    assert "RSSR" not in allowed  # set by rescheduling, which books the new appointment too
    assert "RSOF" not in allowed


@pytest.mark.parametrize("code", ["CTOA", "CMOB", "C326", "ARWS"])
def test_non_attendance_contacts_take_no_outcome(code: str) -> None:
    assert allowed_outcomes(code) == []


def test_unknown_contact_type_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="Unknown contact type 'ZZZZ'"):
        allowed_outcomes("ZZZZ")


@pytest.mark.parametrize("code", ["ATTC", "AAME", "AACL", "CO05", "ATSS", "RSSR", "RSOF"])
def test_compliant_and_acceptable_outcomes_allow_no_enforcement(code: str) -> None:
    assert allowed_enforcement_actions(code, licence=False) == []
    assert allowed_enforcement_actions(code, licence=True) == []


def test_community_orders_and_licences_get_different_actions() -> None:
    community = codes(allowed_enforcement_actions("UAAB", licence=False))
    licence = codes(allowed_enforcement_actions("UAAB", licence=True))
    assert {"EA02", "EA03", "EA08"} <= community
    assert "LCL" not in community  # a licence compliance letter is for licences only
    assert "LCL" in licence
    assert "EA08" not in licence  # a licence is recalled, not breached at court
    assert "IBR" in licence


def test_failed_to_attend_awaiting_evidence_offers_only_holding_actions() -> None:
    actions = codes(allowed_enforcement_actions("AFTA", licence=False))
    assert actions
    assert not actions & {"EA08", "IBR"}


@pytest.mark.parametrize(
    ("code", "flags", "failure"),
    [
        ("ATTC", (True, True), False),
        ("AFTC", (True, False), True),
        ("ATSH", (True, False), True),
        ("ATSS", (True, None), False),
        ("ATFI", (True, False), True),
        ("UAAB", (False, False), True),
        ("AFTA", (False, None), False),
        ("AAME", (False, None), False),
        ("RSOF", (None, None), False),
    ],
)
def test_outcome_flags_and_failures(
    code: str, flags: tuple[bool | None, bool | None], failure: bool
) -> None:
    assert outcome_flags(code) == flags
    assert is_failure(code) is failure
