"""Months of contact history for one case, and the appointments still to come.

Appointments every one, two or four weeks since the sentence began (at most
`HISTORY_DAYS` back), most attended and complied, some acceptable absences,
reschedules and failures with enforcement; phone calls, texts and e-mails in
between; a review-enforcement task once failures pile up; one to three
appointments ahead, and now and then a recent one still awaiting its outcome.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from uuid import UUID

from central.seed.catalogue import NOTE_LINES
from central.seed.context import CaseContext
from domain.contacts import Contact

HISTORY_DAYS = 180
APPOINTMENT_TYPES = {"COAP": 70, "COPT": 10, "CHVS": 8, "COVC": 7, "COOO": 5}
COMMUNICATION_TYPES = ["CTOA", "CTOB", "CMOA", "CMOB", "CT3B", "C326"]
OUTCOME_WEIGHTS = {
    "ATTC": 74,
    "AFTA": 3,
    "UAAB": 6,
    "AFTC": 3,
    "ATSH": 1,
    "AAME": 4,
    "AAEM": 2,
    "AAFC": 2,
    "CO05": 1,
    "RSOF": 2,
    "RSSR": 2,
}
ENFORCEMENT = {"UAAB": ["EA02", "EA03", "ROM", "NFA"], "AFTC": ["EA02", "ROM"], "ATSH": ["ROM"]}
ATTENDED = {"ATTC": (True, True), "AFTC": (True, False), "ATSH": (True, False)}


class _Links:
    """What an appointment is linked to: the active event and, for some, a requirement."""

    def __init__(self, event_id: UUID, rar_requirement: UUID | None) -> None:
        self.event_id = event_id
        self.rar_requirement = rar_requirement


def _slot(ctx: CaseContext) -> tuple[time, time]:
    start = time(ctx.rng.randint(9, 16), ctx.rng.choice((0, 15, 30, 45)))
    minutes = ctx.rng.choice((30, 45, 60))
    end_minutes = start.hour * 60 + start.minute + minutes
    return start, time(end_minutes // 60, end_minutes % 60)


def _appointment(ctx: CaseContext, day: date, links: _Links, outcome: str | None) -> Contact:
    rng = ctx.rng
    type_code = rng.choices(list(APPOINTMENT_TYPES), weights=list(APPOINTMENT_TYPES.values()))[0]
    start, end = _slot(ctx)
    attended, complied = ATTENDED.get(outcome or "", (None, None))
    if outcome and outcome.startswith("AA"):
        attended, complied = False, None
    enforcement = rng.choice(ENFORCEMENT[outcome]) if outcome in ENFORCEMENT else None
    rar = links.rar_requirement is not None and type_code in ("COAP", "COOO") and ctx.chance(0.5)
    return Contact(
        id=ctx.uid(),
        crn=ctx.crn,
        type_code=type_code,
        date=day,
        start_time=start,
        end_time=end,
        event_id=links.event_id,
        requirement_id=links.rar_requirement if rar else None,
        location_code=ctx.offices[0] if type_code in ("COAP", "COOO") else None,
        staff_code=ctx.officer.staff_code,
        team_code=ctx.officer.team_code,
        outcome_code=outcome,
        attended=attended,
        complied=complied,
        enforcement_code=enforcement,
        enforcement_response_by=day + timedelta(days=7) if enforcement else None,
        notes=rng.choice(NOTE_LINES) if outcome and ctx.chance(0.6) else "",
        sensitive=ctx.chance(0.03),
        rar_activity=rar,
    )


def _communication(ctx: CaseContext, day: date) -> Contact:
    return Contact(
        id=ctx.uid(),
        crn=ctx.crn,
        type_code=ctx.rng.choice(COMMUNICATION_TYPES),
        date=day,
        start_time=time(ctx.rng.randint(9, 17), ctx.rng.choice((0, 10, 20, 30, 40, 50))),
        staff_code=ctx.officer.staff_code,
        team_code=ctx.officer.team_code,
        notes=ctx.rng.choice(NOTE_LINES),
    )


def _review_task(ctx: CaseContext, day: date, event_id: UUID) -> Contact:
    return Contact(
        id=ctx.uid(),
        crn=ctx.crn,
        type_code="ARWS",
        date=day,
        event_id=event_id,
        staff_code=ctx.officer.staff_code,
        team_code=ctx.officer.team_code,
        notes="Failures to comply exceed the limit: review enforcement status.",
    )


def make_contacts(
    ctx: CaseContext, since: date, event_id: UUID, rar_requirement: UUID | None
) -> list[Contact]:
    """The whole contact log of the case from `since` to a few weeks ahead."""
    rng, links = ctx.rng, _Links(event_id, rar_requirement)
    every = rng.choice((7, 14, 14, 28))
    day = max(since, ctx.today - timedelta(days=HISTORY_DAYS)) + timedelta(days=rng.randint(0, 6))
    contacts, failures = [], 0
    outcomes, weights = list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values())
    if day.weekday() >= 5:  # appointments keep to working days
        day += timedelta(days=7 - day.weekday())
    while day < ctx.today - timedelta(days=3):
        outcome = rng.choices(outcomes, weights=weights)[0]
        contacts.append(_appointment(ctx, day, links, outcome))
        failures += outcome in ENFORCEMENT
        if failures == 2 and outcome in ENFORCEMENT:
            contacts.append(_review_task(ctx, day + timedelta(days=1), event_id))
        if ctx.chance(0.6):
            contacts.append(_communication(ctx, day + timedelta(days=rng.randint(1, 5))))
        for _ in range(ctx.communications - 1):  # none by default: the output is unchanged
            contacts.append(_communication(ctx, day + timedelta(days=rng.randint(0, every - 1))))
        day += timedelta(days=every)
    if ctx.chance(0.25):  # seen recently, outcome not yet recorded
        contacts.append(_appointment(ctx, ctx.today - timedelta(days=1), links, None))
    for n in range(rng.randint(1, 3)):
        ahead = ctx.today + timedelta(days=every * (n + 1) - rng.randint(0, 2))
        if ahead.weekday() >= 5:
            ahead += timedelta(days=7 - ahead.weekday())
        contacts.append(_appointment(ctx, ahead, links, None))
    return contacts
