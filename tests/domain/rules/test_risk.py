"""Risk flags in the order officers need them, with words as well as colours."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.registrations import RegistrationReview
from domain.rules.risk import highest_risk, review_due_date, risk_badges
from tests.domain.builders import registration


def test_highest_risk_is_the_highest_active_rosh_level() -> None:
    regs = [
        registration("RMRH"),
        registration("RVRH", deregistered_on=dt.date(2026, 1, 1)),  # no longer active
        registration("RHRH"),
        registration("RSTF"),  # not a RoSH level
    ]
    top = highest_risk(regs)
    assert top is not None
    assert top.code == "RHRH"


def test_no_rosh_no_highest_risk() -> None:
    assert highest_risk([registration("WEAP"), registration("ZZZZ")]) is None
    assert highest_risk([]) is None


def test_badges_put_risk_to_staff_first_then_rosh_then_mappa_then_by_severity() -> None:
    regs = [
        registration("STRG"),
        registration("MAPP", level="2", category="1"),
        registration("WEAP"),
        registration("RHRH"),
        registration("RSTF"),
        registration("RCPR"),
        registration("RCCO", deregistered_on=dt.date(2026, 5, 1)),
    ]
    badges = risk_badges(regs)
    assert [b.code for b in badges] == ["RSTF", "RHRH", "MAPP", "RCPR", "WEAP", "STRG"]
    assert badges[2].text == "MAPPA level 2, category 1"


def test_every_badge_has_words_and_a_colour() -> None:
    for badge in risk_badges([registration("RVRH"), registration("STRG"), registration("ALSH")]):
        assert badge.text
        assert badge.colour in {"red", "amber", "green", "white"}
        assert badge.text in badge.label
        assert badge.colour in badge.label


def test_unknown_flags_are_still_shown() -> None:
    badges = risk_badges([registration("NEWX"), registration("RLRH")])
    assert [b.code for b in badges] == ["RLRH", "NEWX"]
    assert badges[1].text == "NEWX"
    assert badges[1].colour == "white"


def test_mappa_levels_coded_as_in_the_national_system() -> None:
    badge = risk_badges([registration("MAPP", level="M3", category="M2")])[0]
    assert badge.text == "MAPPA level 3, category 2"


def test_mappa_without_details() -> None:
    assert risk_badges([registration("MAPP")])[0].text == "MAPPA"
    assert risk_badges([registration("MAPP", level="3")])[0].text == "MAPPA level 3"


def test_overdue_reviews_are_marked_when_today_is_given() -> None:
    regs = [
        registration("RHRH", next_review_date=dt.date(2026, 11, 1)),
        registration("WEAP", next_review_date=dt.date(2026, 12, 1)),
    ]
    badges = risk_badges(regs, today=dt.date(2026, 11, 23))
    assert [b.review_overdue for b in badges] == [True, False]
    assert badges[0].label == "High RoSH (red, review overdue)"
    assert not any(b.review_overdue for b in risk_badges(regs))


@pytest.mark.parametrize(
    ("type_code", "registered_on", "due"),
    [
        ("RHRH", dt.date(2026, 1, 10), dt.date(2026, 7, 10)),  # RoSH: six-monthly
        ("RCPR", dt.date(2026, 1, 10), dt.date(2026, 4, 10)),  # child protection: three-monthly
        ("RMRH", dt.date(2025, 8, 31), dt.date(2026, 2, 28)),  # no 31 February
        ("RMRH", dt.date(2027, 8, 31), dt.date(2028, 2, 29)),  # leap year
        ("MAPP", dt.date(2028, 2, 29), dt.date(2029, 2, 28)),  # yearly from a leap day
        ("NEWX", dt.date(2026, 1, 10), None),  # unknown type: no period known
    ],
)
def test_review_due_date_from_the_register_types_period(
    type_code: str, registered_on: dt.date, due: dt.date | None
) -> None:
    assert review_due_date(registration(type_code, registered_on=registered_on)) == due


def test_review_due_date_counts_from_the_last_review() -> None:
    reviews = (
        RegistrationReview(reviewed_on=dt.date(2026, 2, 1)),
        RegistrationReview(reviewed_on=dt.date(2026, 5, 1)),
    )
    reg = registration("RHRH", registered_on=dt.date(2025, 11, 1), reviews=reviews)
    assert review_due_date(reg) == dt.date(2026, 11, 1)


def test_a_set_review_date_wins_and_deregistered_flags_need_none() -> None:
    set_date = registration("RHRH", next_review_date=dt.date(2026, 3, 3))
    assert review_due_date(set_date) == dt.date(2026, 3, 3)
    gone = registration("RHRH", deregistered_on=dt.date(2026, 1, 1))
    assert review_due_date(gone) is None


def test_overdue_review_computed_from_the_period() -> None:
    reg = registration("RHRH", registered_on=dt.date(2026, 1, 10))
    assert risk_badges([reg], today=dt.date(2026, 7, 11))[0].review_overdue
    assert not risk_badges([reg], today=dt.date(2026, 7, 10))[0].review_overdue
