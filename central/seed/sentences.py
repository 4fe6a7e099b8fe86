"""Events with sentences, their requirements or licence conditions, and risk flags."""

from __future__ import annotations

from datetime import date, timedelta

from central.seed.catalogue import LICENCE_CONDITIONS, OFFENCES, REQUIREMENTS, SENTENCE_WEIGHTS
from central.seed.context import CaseContext
from domain.reference import reference
from domain.registrations import Registration
from domain.sentences import Event, LicenceCondition, Requirement, Sentence

ROSH_WEIGHTS = {"RLRH": 25, "RMRH": 45, "RHRH": 25, "RVRH": 5}
OTHER_FLAGS = ["RCCO", "RCPR", "RVAD", "ADVP", "ALSH", "WEAP", "STRG", "AVIS", "MAPP", "RSTF"]


def _sentence(ctx: CaseContext, start: date) -> Sentence:
    rng = ctx.rng
    codes = list(SENTENCE_WEIGHTS)
    code = rng.choices(codes, weights=list(SENTENCE_WEIGHTS.values()))[0]
    months = rng.choice((6, 9, 12, 18, 24, 36))
    return Sentence(
        type_code=code,
        length=months,
        length_units="Months",
        start_date=start,
        expected_end_date=start + timedelta(days=months * 30),
    )


def make_event(ctx: CaseContext, number: int, *, active: bool) -> Event:
    start = ctx.days_ago(40, 500) if active else ctx.days_ago(900, 2500)
    sentence = _sentence(ctx, start)
    if not active:
        sentence = sentence.model_copy(update={"termination_date": sentence.expected_end_date})
    town = ctx.place[0]
    return Event(
        id=ctx.uid(),
        crn=ctx.crn,
        number=number,
        main_offence=ctx.rng.choice(OFFENCES),
        offence_date=start - timedelta(days=ctx.rng.randint(60, 400)),
        conviction_date=start - timedelta(days=ctx.rng.randint(0, 30)),
        court=f"{town} Magistrates' Court" if ctx.chance(0.7) else f"{town} Crown Court",
        sentence=sentence,
        active=active,
    )


def is_licence(event: Event) -> bool:
    return (
        event.sentence is not None and reference().sentence_types[event.sentence.type_code].licence
    )


def make_requirements(ctx: CaseContext, event: Event) -> list[Requirement]:
    assert event.sentence is not None
    rng = ctx.rng
    picked = {
        rng.choices(REQUIREMENTS, weights=[w for _c, w, _r in REQUIREMENTS])[0]
        for _ in range(rng.randint(1, 3))
    }
    return [
        Requirement(
            id=ctx.uid(),
            crn=ctx.crn,
            event_id=event.id,
            category_code=code,
            length=rng.randint(*span),
            start_date=event.sentence.start_date,
            termination_date=event.sentence.termination_date,
        )
        for code, _weight, span in sorted(picked)
    ]


def make_licence_conditions(ctx: CaseContext, event: Event) -> list[LicenceCondition]:
    assert event.sentence is not None
    standard = LICENCE_CONDITIONS[:3]
    extra = ctx.rng.sample(LICENCE_CONDITIONS[3:], ctx.rng.randint(1, 4))
    return [
        LicenceCondition(
            id=ctx.uid(),
            crn=ctx.crn,
            event_id=event.id,
            category_code=code,
            description=text,
            start_date=event.sentence.start_date,
        )
        for code, text in standard + extra
    ]


def _flag(ctx: CaseContext, code: str, registered: date) -> Registration:
    rng = ctx.rng
    kind = reference().register_types[code]
    review = kind.review_period_months or 6
    level = rng.choice(kind.levels) if kind.levels else ""
    category = rng.choice(kind.categories) if kind.categories else ""
    deregistered = ctx.today - timedelta(days=rng.randint(1, 60)) if ctx.chance(0.08) else None
    return Registration(
        id=ctx.uid(),
        crn=ctx.crn,
        type_code=code,
        level=level,
        category=category,
        registered_on=registered,
        next_review_date=registered + timedelta(days=review * 30),
        deregistered_on=deregistered,
    )


def make_registrations(ctx: CaseContext) -> list[Registration]:
    """One RoSH level plus 1-6 other flags (2-7 in all); risk to staff on some."""
    rng = ctx.rng
    rosh = rng.choices(list(ROSH_WEIGHTS), weights=list(ROSH_WEIGHTS.values()))[0]
    others = rng.sample(OTHER_FLAGS, rng.randint(1, 6))
    return [_flag(ctx, code, ctx.days_ago(10, 700)) for code in [rosh, *others]]
