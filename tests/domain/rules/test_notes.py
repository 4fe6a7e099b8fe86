"""Notes are appended, never replaced; a sensitive flag is never removed."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import RuleViolation, ValidationError
from domain.rules.notes import append_note, check_sensitive_change

AT = dt.datetime(2026, 11, 23, 14, 5)


def test_first_note_is_attributed_and_dated() -> None:
    assert append_note("", "Discussed housing.", author="Sam Officer", at=AT) == (
        "Comment added by Sam Officer on 23/11/2026 at 14:05\nDiscussed housing."
    )


def test_appending_keeps_everything_already_written() -> None:
    first = append_note("", "Discussed housing.", author="Sam Officer", at=AT)
    second = append_note(first, "  Called landlord.  ", author="Alex Manager",
                         at=AT + dt.timedelta(days=1))  # fmt: skip
    assert second.startswith(first)
    assert second.endswith(
        "\n\nComment added by Alex Manager on 24/11/2026 at 14:05\nCalled landlord."
    )


def test_aware_times_are_shown_in_uk_local_time() -> None:
    summer = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert "at 10:00" in append_note("", "x", author="A", at=summer)  # BST
    winter = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert "at 09:00" in append_note("", "x", author="A", at=winter)  # GMT


def test_blank_additions_are_refused() -> None:
    with pytest.raises(ValidationError, match="Write something"):
        append_note("old", "   \n ", author="A", at=AT)


def test_the_total_may_not_pass_twelve_thousand_characters() -> None:
    heading = len("Comment added by A on 23/11/2026 at 14:05\n")
    existing = "x" * 10_000
    room = 12_000 - len(existing) - 2 - heading
    assert len(append_note(existing, "y" * room, author="A", at=AT)) == 12_000
    with pytest.raises(ValidationError, match="1 character too long") as caught:
        append_note(existing, "y" * (room + 1), author="A", at=AT)
    assert caught.value.field == "notes"
    with pytest.raises(ValidationError, match="1,000 characters too long"):
        append_note(existing, "y" * (room + 1000), author="A", at=AT)


@pytest.mark.parametrize(("old", "new"), [(False, False), (False, True), (True, True)])
def test_setting_or_keeping_the_sensitive_flag_is_allowed(old: bool, new: bool) -> None:
    check_sensitive_change(old, new)


def test_clearing_the_sensitive_flag_is_a_rule_violation() -> None:
    with pytest.raises(RuleViolation, match="cannot be made not sensitive") as caught:
        check_sensitive_change(True, False)
    assert caught.value.title == "Cannot remove the sensitive flag"
