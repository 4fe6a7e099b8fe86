"""A synthetic person on probation: names, identifiers, contact details, addresses.

Phone numbers are in Ofcom's drama ranges (07700 900xxx) and e-mail addresses
at example.com, NI numbers use the never-issued `QQ` prefix: nothing here can
reach a real person.
"""

from __future__ import annotations

from datetime import timedelta

from central.seed.catalogue import CIRCUMSTANCES, DISABILITIES, LANGUAGES, RELATIONSHIPS, TIERS
from central.seed.context import CaseContext
from domain.organisation import Allocation
from domain.people import (
    Address,
    Alias,
    Disability,
    Person,
    PersonalCircumstance,
    PersonalContact,
)


def _mobile(ctx: CaseContext) -> str:
    return f"07700 900{ctx.rng.randint(0, 999):03d}"


def _names(ctx: CaseContext) -> tuple[str, str, str]:
    female = ctx.chance(0.18)  # roughly the share of women on probation
    first = ctx.fake.first_name_female() if female else ctx.fake.first_name_male()
    return first, ctx.fake.last_name(), "Female" if female else "Male"


def _extras(ctx: CaseContext) -> dict[str, object]:
    rng = ctx.rng
    aliases = tuple(
        Alias(first_name=ctx.fake.first_name(), surname=ctx.fake.last_name())
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))
    )
    contacts = tuple(
        PersonalContact(
            relationship=rng.choice(RELATIONSHIPS),
            first_name=ctx.fake.first_name(),
            surname=ctx.fake.last_name(),
            phone=_mobile(ctx),
        )
        for _ in range(rng.randint(0, 2))
    )
    circumstances = tuple(
        PersonalCircumstance(
            type=kind,
            sub_type=rng.choice(subs),
            start_date=ctx.days_ago(30, 900),
            evidenced=ctx.chance(0.6),
        )
        for kind, subs in rng.sample(CIRCUMSTANCES, rng.randint(0, 3))
    )
    disabilities: tuple[Disability, ...] = ()
    if ctx.chance(0.15):
        kind, adjustments = rng.choice(DISABILITIES)
        disabilities = (
            Disability(type=kind, start_date=ctx.days_ago(100, 2000), adjustments=adjustments),
        )
    return {
        "aliases": aliases,
        "personal_contacts": contacts,
        "circumstances": circumstances,
        "disabilities": disabilities,
    }


def make_person(ctx: CaseContext, allocations: tuple[Allocation, ...]) -> Person:
    rng = ctx.rng
    first, surname, gender = _names(ctx)
    dob = ctx.today - timedelta(days=rng.randint(18 * 365 + 5, 70 * 365))
    interpreter = ctx.chance(0.04)
    pnc_year = min(ctx.today.year, dob.year + 18 + rng.randint(0, 5))
    return Person(
        id=ctx.uid(),
        crn=ctx.crn,
        pnc=f"{pnc_year}/{rng.randint(0, 9999999):07d}{rng.choice('ABCDEFGHJK')}",
        cro=f"{rng.randint(1, 999999):06d}/{rng.randint(80, 99)}{rng.choice('ABCDEFGHJK')}",
        noms=f"{rng.choice('AG')}{rng.randint(1000, 9999)}{rng.choice('BCDEF')}{rng.choice('BCD')}",
        ni_number=f"QQ{rng.randint(0, 999999):06d}{rng.choice('ABCD')}",
        first_name=first,
        middle_names=ctx.fake.first_name() if ctx.chance(0.4) else "",
        surname=surname,
        date_of_birth=dob,
        gender=gender,
        mobile=_mobile(ctx),
        phone=f"0117 496 {rng.randint(0, 999):04d}" if ctx.chance(0.3) else "",
        email=f"{first.lower()}.{rng.randint(1, 9999)}@example.com" if ctx.chance(0.5) else "",
        allow_sms=ctx.chance(0.7),
        interpreter_required=interpreter,
        language=rng.choice(LANGUAGES) if interpreter else "English",
        tier=rng.choice(TIERS),
        staff_code=ctx.officer.staff_code,
        team_code=ctx.officer.team_code,
        allocations=allocations,
        **_extras(ctx),
    )


def make_addresses(ctx: CaseContext) -> list[Address]:
    """The current main address, plus previous ones for about half the cases."""
    rng = ctx.rng
    town, county = ctx.place
    result = []
    start = ctx.days_ago(60, 1500)
    for n in range(rng.choice((1, 1, 2, 3))):
        previous = n > 0
        end = start if previous else None
        begin = start - timedelta(days=rng.randint(200, 900)) if previous else start
        nfa = not previous and ctx.chance(0.03)
        result.append(
            Address(
                id=ctx.uid(),
                crn=ctx.crn,
                status="previous" if previous else "main",
                no_fixed_abode=nfa,
                address_number="" if nfa else str(rng.randint(1, 180)),
                street_name="" if nfa else ctx.fake.street_name(),
                town=town,
                county=county,
                postcode="" if nfa else ctx.fake.postcode(),
                start_date=begin,
                end_date=end,
            )
        )
        start = begin
    return result
