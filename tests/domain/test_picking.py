"""What officers type -> the code a picker pre-selects (domain.picking)."""

from __future__ import annotations

import pytest

from domain.picking import (
    Tier,
    contact_type_choices,
    enforcement_choices,
    normalise,
    officer_words,
    outcome_choices,
    rank,
    tier,
)
from domain.reference import reference
from domain.rules.outcomes import allowed_enforcement_actions

OUTCOMES = outcome_choices(o for o in reference().outcomes.values() if not o.rescheduled)
ACTIONS = enforcement_choices(allowed_enforcement_actions("UAAB", licence=False))
TYPES = contact_type_choices(
    t for t in reference().contact_types.values() if not t.system_generated
)

# (typed, the code Enter would record; "" = nothing pre-selected, the officer must choose)
OUTCOME_TABLE = [
    ("failed to attend", "AFTA"),
    ("Failed to attend", "AFTA"),
    ("dna", "AFTA"),
    ("DNA", "AFTA"),
    ("fta", "AFTA"),
    ("did not attend", "AFTA"),
    ("didn't attend", "AFTA"),
    ("no show", "AFTA"),
    ("no-show", "AFTA"),
    ("didn't turn up", "AFTA"),
    ("didn\u2019t turn up", "AFTA"),
    ("did not turn up", "AFTA"),
    ("not turned up", "AFTA"),
    ("missed", "AFTA"),
    ("absent", "AFTA"),
    ("awaiting evidence", "AFTA"),
    ("did not", "AFTA"),
    ("unacceptable absence", "UAAB"),
    ("unacceptable", "UAAB"),
    ("uaab", "UAAB"),
    ("UA", "UAAB"),
    ("attended - failed to comply", "AFTC"),
    ("attended but failed to comply", "AFTC"),
    ("aftc", "AFTC"),
    ("failed to comply", ""),
    ("sent home for behaviour", "ATSH"),
    ("atsh", "ATSH"),
    ("sent home", "ATSS"),
    ("sent home service issue", "ATSS"),
    ("complied", "ATTC"),
    ("fine", "ATTC"),
    ("attended ok", "ATTC"),
    ("attended", "ATTC"),
    ("a", "ATTC"),
    ("attc", "ATTC"),
    ("sick", "AAME"),
    ("off sick", "AAME"),
    ("hospital", "AAME"),
    ("at court", "AACL"),
    ("in court", "AACL"),
    ("holiday", "AAHO"),
    ("childcare", "AAFC"),
    ("at work", "AAEM"),
    ("remanded", "AARC"),
    ("in custody", "AARC"),
    ("professional judgement", "CO05"),
    ("acceptable absence", "CO05"),
    ("did not follow instruction", "ATFI"),
    ("u", ""),
    ("fin", "ATTC"),
]

ACTION_TABLE = [
    ("nfa", "NFA"),
    ("no further action", "NFA"),
    ("refer to om", "ROM"),
    ("first warning", "EA02"),
    ("1st warning", "EA02"),
    ("second warning", "EA03"),
    ("warning letter", ""),
    ("warning", ""),
    ("breach", ""),
    ("ibr", "IBR"),
    ("breach letter", "EA08"),
    ("pending", "EA12"),
]

TYPE_TABLE = [
    ("home visit", "CHVS"),
    ("hv", "CHVS"),
    ("chvs", "CHVS"),
    ("office visit", "COAP"),
    ("phone call", "CTOB"),
    ("rang in", "CTOA"),
    ("email", "CMOB"),
    ("text", "CMOB"),
    ("three way meeting", "C084"),
    ("police", "C204"),
    ("warning letter", ""),
    ("breach", ""),
]


@pytest.mark.parametrize(("typed", "code"), OUTCOME_TABLE)
def test_outcome_words_pick_the_intended_outcome(typed: str, code: str) -> None:
    assert rank(OUTCOMES, typed).preselect == code


@pytest.mark.parametrize(("typed", "code"), ACTION_TABLE)
def test_enforcement_words_pick_the_intended_action(typed: str, code: str) -> None:
    assert rank(ACTIONS, typed).preselect == code


@pytest.mark.parametrize(("typed", "code"), TYPE_TABLE)
def test_contact_type_words_pick_the_intended_type(typed: str, code: str) -> None:
    assert rank(TYPES, typed).preselect == code


def test_the_tables_hold_at_least_forty_phrasings() -> None:
    assert len(OUTCOME_TABLE) + len(ACTION_TABLE) + len(TYPE_TABLE) >= 40


def test_an_exact_description_ranks_above_a_partial_one() -> None:
    """The field-day bug: "failed to attend" listed AFTC (a partial match) first."""
    assert rank(OUTCOMES, "failed to attend").codes[0] == "AFTA"
    assert rank(OUTCOMES, "Attended - Complied").codes[0] == "ATTC"


def test_absence_words_never_rank_attended_failed_to_comply_first() -> None:
    absence = officer_words()["outcomes"]["AFTA"]  # type: ignore[index]
    for phrase in absence:
        ranked = rank(OUTCOMES, phrase)
        assert ranked.codes[0] != "AFTC", phrase
        assert ranked.preselect == "AFTA", phrase


def _every_typing() -> list[str]:
    """Each phrase any choice answers to, its first letters, and each run of its first words."""
    phrases = {normalise(p) for c in OUTCOMES + ACTIONS + TYPES for p in (*c.phrases, c.code)}
    letters = {p[:n] for p in phrases for n in (1, 2, 3)}
    words = {" ".join(p.split()[:n]) for p in phrases for n in range(1, len(p.split()) + 1)}
    return sorted(letters | words)


@pytest.mark.parametrize("choices", [OUTCOMES, ACTIONS, TYPES], ids=["outcome", "action", "type"])
def test_every_adverse_pick_is_an_unambiguous_match(choices: list) -> None:  # type: ignore[type-arg]
    adverse = {c.code for c in choices if c.adverse}
    by_code = {c.code: c for c in choices}
    for typed in _every_typing():
        ranked = rank(choices, typed)
        if ranked.preselect not in adverse:
            continue
        needle = normalise(typed)
        exact = [c for c in ranked.codes if tier(by_code[c], needle) <= Tier.PHRASE]  # type: ignore[operator]
        assert len(ranked.codes) == 1 or exact == [ranked.preselect], typed


def test_counting_rules_decide_which_outcomes_are_adverse() -> None:
    adverse = {c.code for c in OUTCOMES if c.adverse}
    assert adverse == {"AFTC", "ATSH", "ATFI", "UAAB"}
    assert "AFTA" not in adverse  # a holding state: it counts only once judged unacceptable


def test_every_word_in_the_file_names_a_shipped_code() -> None:
    ref = reference()
    words = officer_words()
    assert set(words["outcomes"]) <= set(ref.outcomes)  # type: ignore[arg-type]
    assert set(words["enforcement_actions"]) <= set(ref.enforcement_actions)  # type: ignore[arg-type]
    assert set(words["contact_types"]) <= set(ref.contact_types)  # type: ignore[arg-type]
