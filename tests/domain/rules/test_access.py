"""Limited Access Offenders: exclusion bars named users; restriction admits only named users."""

from __future__ import annotations

import pytest

from domain.rules.access import LimitedAccess, decide_access, is_excluded, is_restricted

CRN = "X320741"


def lao(**fields: object) -> LimitedAccess:
    return LimitedAccess(crn=CRN, **fields)  # type: ignore[arg-type]


def test_no_limited_access_means_everyone_may_see() -> None:
    decision = decide_access("sam.officer", None)
    assert decision.allowed
    assert decision.reason == "allowed"


def test_excluded_user_sees_the_exclusion_message() -> None:
    case = lao(excluded_users=frozenset({"sam.officer"}), exclusion_message="Ask your SPO.")
    decision = decide_access("sam.officer", case)
    assert not decision.allowed
    assert decision.message == "Ask your SPO."
    assert decision.reason == "excluded"
    assert decide_access("alex.officer", case).allowed


def test_restriction_admits_only_named_users() -> None:
    case = lao(restricted_to_users=frozenset({"alex.officer"}))
    assert decide_access("alex.officer", case).allowed
    decision = decide_access("sam.officer", case)
    assert not decision.allowed
    assert decision.reason == "restricted"
    assert decision.message == case.restriction_message


def test_exclusion_wins_over_restriction() -> None:
    case = lao(
        excluded_users=frozenset({"sam.officer"}),
        restricted_to_users=frozenset({"sam.officer"}),
    )
    assert decide_access("sam.officer", case).reason == "excluded"


@pytest.mark.parametrize("username", ["Sam.Officer", "SAM.OFFICER", "sam.officer"])
def test_usernames_match_whatever_their_case(username: str) -> None:
    case = lao(excluded_users=frozenset({"sam.officer"}))
    assert not decide_access(username, case).allowed


def test_is_excluded_and_is_restricted_answer_separately() -> None:
    case = lao(
        excluded_users=frozenset({"sam.officer"}),
        restricted_to_users=frozenset({"alex.officer"}),
    )
    assert is_excluded("sam.officer", case)
    assert is_restricted("sam.officer", case)  # also not on the restriction list
    assert not is_excluded("alex.officer", case)
    assert not is_restricted("alex.officer", case)
    assert not is_excluded("sam.officer", None)
    assert not is_restricted("sam.officer", None)
