"""The password policy: length and a deny-list of what attackers try first, no composition."""

from __future__ import annotations

import pytest

from central.auth.policy import MIN_LENGTH, WeakPassword, check_password, deny_list


@pytest.mark.parametrize(
    "weak",
    [
        "short pass",  # under the minimum
        "password1234",  # a common word with digits
        "Liverpool2024!",  # a common word dressed up to the length
        "P@ssw0rd12345",  # look-alike digits
        "summersummer",  # a common word said twice
        "abcabcabcabc",  # a short piece repeated
        "qwertyuiop!!",  # a keyboard walk
        "077009000123",  # digits alone
        "aaaaaaaaaaaaaaaa",
        "iloveyou 2024",
        "NOVEMBER1988",
    ],
)
def test_common_and_short_passwords_are_refused(weak: str) -> None:
    with pytest.raises(WeakPassword):
        check_password(weak)


@pytest.mark.parametrize(
    "good",
    [
        "correct horse battery",  # three random words
        "kettle orbit marmalade",
        "all lower case no digits",  # no composition rules
        "ünïcödé wörds älso wörk",
        "Granite-Teapot-Walrus",
    ],
)
def test_long_uncommon_passwords_pass_without_composition_rules(good: str) -> None:
    check_password(good)


def test_the_username_is_not_a_password() -> None:
    with pytest.raises(WeakPassword, match="username"):
        check_password("jsmith-autumn-kettle", username="JSmith")


def test_the_deny_list_is_shipped_lower_case_and_names_its_source() -> None:
    import json
    from importlib import resources

    shipped = json.loads(
        resources.files("central.auth").joinpath("common_passwords.json").read_text("utf-8")
    )
    assert "NCSC" in shipped["source"]
    words = deny_list()
    assert len(words) > 1000
    assert all(w == w.lower() and len(w) >= 4 for w in words)
    assert {"password", "liverpool"} <= words
    assert MIN_LENGTH >= 12
