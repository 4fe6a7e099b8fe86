"""Risk flags in the order officers need them, with words as well as colours."""

from __future__ import annotations

import datetime as dt

from domain.rules.risk import highest_risk, risk_badges
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
