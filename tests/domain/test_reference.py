"""The shipped reference data loads, is consistent, and keeps the codes officers know."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from domain.reference import reference

FILES = [
    "contact_types",
    "outcomes",
    "enforcement_actions",
    "requirement_categories",
    "register_types",
    "sentence_types",
]

# The national system's codes named in DOMAIN.md: other layers and officers rely on them.
DOMAIN_CONTACT_TYPES = {
    "COAP", "COPT", "COAI", "COVC", "COOO", "CODC", "COHV", "CHVS", "C084",
    "CTOA", "CTOB", "CMOA", "CMOB", "CT3A", "CT3B", "C326", "C204", "ARWS",
}  # fmt: skip
DOMAIN_OUTCOMES = {
    "ATTC", "AFTC", "ATSH", "ATSS", "UAAB", "AFTA", "AACL", "AAEM", "AAFC",
    "AAHO", "AAME", "AARE", "AARC", "CO05", "RSSR", "RSOF",
}  # fmt: skip
DOMAIN_ACTIONS = {"ROM", "EA02", "EA03", "EA08", "IBR", "NFA", "EA12", "LCL"}
DOMAIN_REGISTERS = {
    "RHRH", "RMRH", "RLRH", "RVRH", "MAPP", "RCCO", "RCPR", "RVAD", "WEAP", "STRG", "AVIS",
}  # fmt: skip


def raw_items(name: str) -> list[dict[str, object]]:
    text = resources.files("domain.refdata").joinpath(f"{name}.json").read_text("utf-8")
    items: list[dict[str, object]] = json.loads(text)["items"]
    return items


@pytest.mark.parametrize("name", FILES)
def test_every_file_loads_with_unique_codes(name: str) -> None:
    codes = [item["code"] for item in raw_items(name)]
    assert codes
    assert len(codes) == len(set(codes)), "a code appears twice"
    assert set(codes) == set(getattr(reference(), name))


def test_version_names_every_file() -> None:
    version = reference().version
    for name in FILES:
        assert f"{name}@" in version


def test_domain_codes_are_all_present() -> None:
    ref = reference()
    assert set(ref.contact_types) >= DOMAIN_CONTACT_TYPES
    assert set(ref.outcomes) >= DOMAIN_OUTCOMES
    assert set(ref.enforcement_actions) >= DOMAIN_ACTIONS
    assert set(ref.register_types) >= DOMAIN_REGISTERS
    assert {"F", "W"} <= set(ref.requirement_categories)


def test_outcome_enforcement_actions_exist() -> None:
    ref = reference()
    for outcome in ref.outcomes.values():
        for code in outcome.enforcement_actions:
            assert code in ref.enforcement_actions, f"{outcome.code} -> {code}"


def test_outcome_meanings_are_consistent() -> None:
    for outcome in reference().outcomes.values():
        if outcome.enforcement_actions:
            assert outcome.complied is not True, outcome.code
        if outcome.acceptable_absence:
            assert (outcome.attended, outcome.complied) == (False, None), outcome.code
        if outcome.rescheduled:
            assert outcome.system_only, outcome.code
        if outcome.enforceable:
            assert outcome.complied is False, outcome.code


def test_no_enforcement_action_is_for_licences_and_community_orders_only_at_once() -> None:
    for action in reference().enforcement_actions.values():
        assert not (action.licence_only and action.community_only), action.code


def test_contact_type_flags_are_consistent() -> None:
    for ctype in reference().contact_types.values():
        if ctype.national_standards or ctype.outcome_required:
            assert ctype.attendance, ctype.code
        if ctype.rar_eligible or ctype.unpaid_work:
            assert ctype.attendance, ctype.code
        if ctype.system_generated:
            assert not ctype.attendance, ctype.code


def test_the_domain_appointment_types_have_their_national_flags() -> None:
    ref = reference()
    for code in ("COAP", "COPT", "COAI", "COVC", "COOO", "CODC", "COHV", "CHVS", "C084"):
        ctype = ref.contact_type(code)
        assert ctype.attendance, code
        assert ctype.national_standards, code
        assert ctype.outcome_required, code
        assert not ctype.person_level, code
    assert ref.contact_type("COAP").location == "required"
    assert ref.contact_type("CHVS").location == "not_applicable"
    assert ref.contact_type("CTOA").person_level
    assert ref.contact_type("ARWS").system_generated


def test_appointment_types_come_most_used_first() -> None:
    types = reference().appointment_types()
    assert [t.code for t in types[:3]] == ["COAP", "COPT", "COVC"]
    assert all(t.attendance and not t.system_generated for t in types)
    ranks = [t.usage_rank for t in types]
    assert ranks == sorted(ranks)


def test_usage_ranks_are_unique() -> None:
    ranks = [t.usage_rank for t in reference().contact_types.values()]
    assert len(ranks) == len(set(ranks))


def test_requirement_units() -> None:
    ref = reference()
    assert ref.requirement_categories["F"].units == "days"
    assert ref.requirement_categories["W"].units == "hours"


def test_register_types_are_complete() -> None:
    ref = reference()
    groups = {t.group for t in ref.register_types.values()}
    assert {"rosh", "mappa", "safeguarding", "staff"} <= groups
    descriptions = {t.description for t in ref.register_types.values()}
    assert {"Risk to Staff", "Domestic Abuse Perpetrator", "Suicide/Self-Harm"} <= descriptions
    mappa = ref.register_type("MAPP")
    assert mappa.levels == ("1", "2", "3")
    assert mappa.categories == ("1", "2", "3", "4")
    for rtype in ref.register_types.values():
        assert rtype.review_period_months, rtype.code
    rosh = sorted((t for t in ref.register_types.values() if t.group == "rosh"),
                  key=lambda t: -t.severity)  # fmt: skip
    assert [t.code for t in rosh] == ["RVRH", "RHRH", "RMRH", "RLRH"]


def test_sentence_types_carry_a_failure_to_comply_rule() -> None:
    for stype in reference().sentence_types.values():
        assert stype.ftc_limit >= 1
        assert stype.ftc_window_months == 12
    assert reference().sentence_type("LIC").licence
    assert not reference().sentence_type("ORA-CO").licence


KNOWN_CATEGORIES = {
    "Appointment", "Intervention appointment", "Accredited programme", "Unpaid work",
    "Communication", "Enforcement", "Case management", "Interventions", "Court", "Custody",
    "Approved premises", "Public protection", "Safeguarding", "Health and wellbeing",
    "Electronic monitoring",
    "Lone working",
}  # fmt: skip


def test_every_contact_type_code_is_a_national_code_shape_and_category_known() -> None:
    for ctype in reference().contact_types.values():
        assert ctype.code == ctype.code.upper(), ctype.code
        assert ctype.code.isalnum(), ctype.code
        assert 3 <= len(ctype.code) <= 7, ctype.code
        assert ctype.category in KNOWN_CATEGORIES, (ctype.code, ctype.category)
        assert ctype.description, ctype.code
        assert ctype.description.strip() == ctype.description, ctype.code


def test_every_attendance_type_allows_an_attended_and_a_non_attended_outcome() -> None:
    """An appointment that can only be recorded one way could not be recorded honestly."""
    from domain.rules.outcomes import allowed_outcomes

    for ctype in reference().contact_types.values():
        offered = allowed_outcomes(ctype.code)
        if not ctype.attendance:
            assert offered == [], ctype.code
            continue
        assert any(o.attended and o.complied for o in offered), ctype.code
        assert any(o.attended is False for o in offered), ctype.code
        assert any(o.acceptable_absence for o in offered), ctype.code


def test_linked_outcomes_exist_and_limit_the_choice() -> None:
    from domain.rules.outcomes import allowed_outcomes

    ref = reference()
    for ctype in ref.contact_types.values():
        assert set(ctype.outcomes) <= set(ref.outcomes), ctype.code
        assert not ctype.outcomes or ctype.attendance, ctype.code
    crs = ref.contact_type("CRSAPT")
    assert crs.outcomes
    assert {o.code for o in allowed_outcomes("CRSAPT")} <= set(crs.outcomes)


def test_new_national_appointment_types_keep_their_flags() -> None:
    """Rows added from the public sources (see SOURCES.md): losing a flag must fail here."""
    ref = reference()
    expected = {
        "C031": (False, "optional"),
        "CITA": (True, "required"),
        "APAT": (True, "required"),
        "APRE": (True, "required"),
    }
    for code, (ns, location) in expected.items():
        ctype = ref.contact_type(code)
        assert ctype.attendance, code
        assert ctype.outcome_required, code
        assert ctype.national_standards is ns, code
        assert ctype.location == location, code
        assert not ctype.person_level, code
    assert not any(t.sensitive for t in ref.contact_types.values() if t.category == "Communication")


def test_contact_types_file_version_was_bumped_with_its_rows() -> None:
    assert "contact_types@2026.12.1" in reference().version
    assert len(reference().contact_types) == 196
    descriptions = [t.description for t in reference().contact_types.values()]
    assert len(descriptions) == len(set(descriptions)), "two types read the same in a list"


@pytest.mark.parametrize(
    ("code", "description", "category", "person_level"),
    [
        ("CTOB", "Phone Contact to PoP", "Communication", True),
        ("CLOA", "Letter/Fax from PoP", "Communication", True),
        ("CIEB", "Information - to External Agency", "Communication", True),
        ("C202", "Prison Liaison", "Custody", True),
        ("CCMM", "MAPPA Meeting", "Public protection", True),
        ("C078", "Safeguarding - Child Protection Meeting", "Safeguarding", True),
        ("RTEMS", "Risk Notification to EMS Provider", "Electronic monitoring", True),
        ("AWLI", "Warning letter: first", "Enforcement", False),
        ("ABNP", "Breach not proven", "Enforcement", False),
        ("BRED", "Other Enforcement Action", "Enforcement", False),
    ],
)
def test_recorded_contact_types_keep_their_names_and_level(
    code: str, description: str, category: str, person_level: bool
) -> None:
    """Non-appointment types: no outcome, no location, and enforcement records need an event."""
    ctype = reference().contact_type(code)
    assert ctype.description == description
    assert ctype.category == category
    assert ctype.person_level is person_level
    assert not ctype.attendance
    assert not ctype.outcome_required
    assert ctype.location == "not_applicable"
