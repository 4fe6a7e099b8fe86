"""The cache's facts about a day -> the Today rows and briefing pages (pure, no I/O).

The risk that matters at the door is chosen and worded here, with the shared domain
rules: Risk to Staff and its notes first, then RoSH with who is at risk, MAPPA, the
registrations that change how a door is approached, restraining orders, the conditions
that bear on a visit, and what is outstanding.
"""

from __future__ import annotations

import datetime as dt

from app.places import place_words
from app.today_rows import BriefingPage, DayPlan, HouseholdMember, RecentContact, VisitRow
from domain.calendar import LONDON
from domain.contacts import Contact
from domain.people import Address, Person
from domain.reference import reference
from domain.registrations import Registration
from domain.risk import ROSH_GROUPS, RoshSummary
from domain.rules.field_day import (
    condition_kind,
    door_conditions,
    outstanding,
    requirement_kind,
    restraining_orders,
)
from domain.rules.lone_working import lone_checks
from domain.rules.risk import risk_badges
from storage.queries.today import CaseFacts, DayFacts, Visit

HOME_VISIT_TYPES = frozenset({"CHVS", "COHV", "CODC"})
DOOR_FLAGS = ("AVIS", "ADVP", "RCPR", "RCCO", "WEAP", "RVAD")
STAFF_RISK = "RSTF"
NOTES_EXCERPT = 240


def day_plan(facts: DayFacts, day: dt.date, now: dt.datetime, *, pages: bool) -> DayPlan:
    rows = tuple(visit_row(v, facts, now) for v in facts.visits)
    briefing = tuple(page(r, facts.cases[r.crn], now) for r in rows) if pages else ()
    return DayPlan(day, rows, briefing)


def _main_address(addresses: list[Address]) -> Address | None:
    current = [a for a in addresses if a.status == "main" and a.end_date is None]
    return current[-1] if current else None


def _place(contact: Contact, address: Address | None, offices: dict[str, str]) -> str:
    if contact.type_code in HOME_VISIT_TYPES:
        return address.one_line if address is not None else "No address recorded"
    if contact.location_code:
        return place_words(contact.location_code, offices)
    return {"COPT": "Telephone", "COVC": "Video call"}.get(contact.type_code, "")


def household(person: Person) -> tuple[HouseholdMember, ...]:
    """Who lives at the address first, then everyone else recorded (next of kin, GP...)."""
    members = sorted(person.personal_contacts, key=lambda p: not p.household)
    return tuple(
        HouseholdMember(
            f"{p.first_name} {p.surname}".strip(), p.relationship, p.phone, p.flags, p.household
        )
        for p in members
    )


def _rosh_text(rosh: RoshSummary | None, registrations: list[Registration]) -> str:
    if rosh is not None and rosh.overall is not None:
        by_level: dict[str, list[str]] = {}
        for group, level in rosh.levels():
            by_level.setdefault(level, []).append(group.lower())
        worded = "; ".join(f"{level} to {', '.join(groups)}" for level, groups in by_level.items())
        return f"{rosh.overall} RoSH: {worded}"
    badge = next((b for b in risk_badges(registrations) if b.group == "rosh"), None)
    return badge.text if badge is not None else "RoSH not recorded"


def _risks(registrations: list[Registration], today: dt.date) -> tuple[list[str], str, list[str]]:
    """(risk to staff with notes, MAPPA, the door flags) from the active registrations."""
    active = [r for r in registrations if r.active]
    staff = [
        f"{r.notes}" if r.notes else "Risk to Staff" for r in active if r.type_code == STAFF_RISK
    ]
    badges = risk_badges(active, today=today)
    mappa = next((b.text for b in badges if b.group == "mappa"), "")
    flags = [b.text for b in badges if b.code in DOOR_FLAGS]
    return staff, mappa, flags


def _lone(visit: Visit, facts: DayFacts, now: dt.datetime) -> tuple[str, bool]:
    checks = [c for c in lone_checks(facts.lone_working) if c.crn == visit.contact.crn]
    if not checks:
        return "", False
    last = checks[-1]
    if last.back_safe_at is not None:
        return f"Back safe at {last.back_safe_at:%H:%M}", False
    overdue = last.overdue(now.astimezone(LONDON))
    text = f"Going: back by {last.expected_back:%H:%M}" + (" – OVERDUE" if overdue else "")
    return text, overdue


def visit_row(visit: Visit, facts: DayFacts, now: dt.datetime) -> VisitRow:
    contact, case = visit.contact, facts.cases[visit.contact.crn]
    person, today = case.person, now.astimezone(LONDON).date()
    address = _main_address(case.addresses)
    staff, mappa, flags = _risks(case.registrations, today)
    ref = reference()
    ctype = ref.contact_types.get(contact.type_code)
    outcome = ref.outcomes.get(contact.outcome_code or "")
    lone_text, lone_overdue = _lone(visit, facts, now)
    names = {code: c.description for code, c in ref.requirement_categories.items()}
    return VisitRow(
        contact_id=str(contact.id),
        crn=contact.crn,
        name=person.full_name,
        date=contact.date,
        start_time=contact.start_time,
        end_time=contact.end_time,
        type_code=contact.type_code,
        type_text=ctype.description if ctype is not None else contact.type_code,
        is_home_visit=contact.type_code in HOME_VISIT_TYPES,
        place=_place(contact, address, facts.offices),
        phone=person.mobile or person.phone,
        access_notes=address.access_notes if address is not None else "",
        household=household(person),
        staff_risk=tuple(staff),
        rosh=_rosh_text(case.rosh, case.registrations),
        who_at_risk=case.rosh.who_is_at_risk if case.rosh is not None else "",
        mappa=mappa,
        flags=tuple(flags),
        restraining_orders=tuple(restraining_orders(person.circumstances, today)),
        conditions=tuple(
            f"{d.title}: {d.text}" + (f" ({d.notes})" if d.notes else "")
            for d in door_conditions(case.licence_conditions, case.requirements, names)
        ),
        outstanding=tuple(outstanding(case.open_items, case.registrations, today=today)),
        outcome_text=outcome.description if outcome is not None else "",
        lone_working=lone_text,
        lone_overdue=lone_overdue,
        waiting_to_send=visit.waiting_to_send,
    )


def _identity(person: Person, today: dt.date) -> tuple[tuple[str, str], ...]:
    aliases = ", ".join(f"{a.first_name} {a.surname}" for a in person.aliases)
    language = person.language + (" (interpreter needed)" if person.interpreter_required else "")
    items = (
        ("CRN", person.crn),
        ("Date of birth", f"{person.date_of_birth:%d %B %Y} (aged {person.age_on(today)})"),
        ("Gender", person.gender),
        ("Preferred name", person.preferred_name),
        ("Aliases", aliases),
        ("PNC", person.pnc),
        ("Language", language),
    )
    return tuple((label, value) for label, value in items if value)


def _rosh_summary(rosh: RoshSummary | None) -> tuple[tuple[str, str], ...]:
    if rosh is None:
        return ()
    items = (
        ("Who is at risk", rosh.who_is_at_risk),
        ("Nature of the risk", rosh.nature_of_risk),
        ("When most likely", rosh.when_most_likely),
        ("What would increase it", rosh.increase_factors),
        ("What would reduce it", rosh.reduce_factors),
        ("Assessed (OASys)", f"{rosh.assessed_on:%d %B %Y}"),
    )
    return tuple((label, text) for label, text in items if text)


def _other_conditions(case: CaseFacts) -> tuple[str, ...]:
    """Active conditions and requirements that do not bear on the visit (those are on the row)."""
    ref = reference()
    found = [
        f"{c.category or c.category_code}: {c.sub_category or c.description}"
        for c in case.licence_conditions
        if c.termination_date is None and condition_kind(c.category) is None
    ]
    for r in case.requirements:
        if r.termination_date is None and requirement_kind(r.category_code) is None:
            category = ref.requirement_categories.get(r.category_code)
            name = category.description if category is not None else r.category_code
            found.append(f"{name}" + (f": {r.sub_category}" if r.sub_category else ""))
    return tuple(found)


def _recent(contacts: list[Contact]) -> tuple[RecentContact, ...]:
    ref = reference()
    rows = []
    for c in contacts:
        ctype = ref.contact_types.get(c.type_code)
        outcome = ref.outcomes.get(c.outcome_code or "")
        rows.append(
            RecentContact(
                c.date,
                c.start_time,
                ctype.description if ctype is not None else c.type_code,
                outcome.description if outcome is not None else "",
                c.notes[:NOTES_EXCERPT] if not c.sensitive else "(sensitive: see the case)",
            )
        )
    return tuple(rows)


def page(row: VisitRow, case: CaseFacts, now: dt.datetime) -> BriefingPage:
    levels = case.rosh.levels() if case.rosh is not None else ()
    rank = {words: n for n, (_field, words) in enumerate(ROSH_GROUPS)}
    return BriefingPage(
        visit=row,
        photo=case.photo.content if case.photo is not None else None,
        identity=_identity(case.person, now.astimezone(LONDON).date()),
        rosh_levels=tuple(sorted(levels, key=lambda gl: rank[gl[0]])),
        rosh_summary=_rosh_summary(case.rosh),
        other_conditions=_other_conditions(case),
        recent=_recent(case.recent),
    )
