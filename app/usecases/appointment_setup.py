"""What the arrange form opens with: events to link, places used, and its defaults.

The defaults repeat the case's last appointment a week on (same type, time, place,
event and requirement), because "book next week's appointment" is most of what the
form is used for; a case with no appointment yet starts at 10:00 a week from today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from app.context import AppContext
from app.usecases.appointment_types import (
    AppointmentRequest,
    ArrangeSetup,
    Choice,
    EventChoice,
    contact_of,
    is_appointment,
    was_rescheduled,
)
from domain.contacts import Contact
from domain.reference import reference
from domain.rules.next_slot import LOOK_AHEAD_WEEKS, next_free_slot, usual_pattern
from domain.semantics import StoredRecord
from domain.sentences import Event, Requirement

DEFAULT_TYPE = "COAP"
DEFAULT_START = dt.time(10, 0)
DEFAULT_MINUTES = 30


def arrange_setup(ctx: AppContext, crn: str) -> ArrangeSetup:
    """Events to link, locations used before, and defaults from the last appointment."""
    cache = ctx.cache()
    events = _event_choices(
        cache.case_records(crn, "event"), cache.case_records(crn, "requirement")
    )
    contacts = [contact_of(r) for r in cache.case_records(crn, "contact")]
    appointments = sorted(
        (c for c in contacts if is_appointment(c) and not was_rescheduled(c)),
        key=lambda c: (c.date, c.start_time or dt.time()),
    )
    locations = tuple(
        dict.fromkeys(c.location_code for c in reversed(appointments) if c.location_code)
    )
    last = appointments[-1] if appointments else None
    defaults = _defaults(crn, last, events, ctx.today())
    defaults = _in_usual_pattern(ctx, defaults, appointments)
    return ArrangeSetup(crn, events, locations, defaults, cache.type_usage())


def _defaults(
    crn: str, last: Contact | None, events: tuple[EventChoice, ...], today: dt.date
) -> AppointmentRequest:
    only_event = events[0].id if len(events) == 1 else None
    if last is None or last.start_time is None:
        start = DEFAULT_START
        end = (dt.datetime.combine(today, start) + dt.timedelta(minutes=DEFAULT_MINUTES)).time()
        return AppointmentRequest(
            crn, DEFAULT_TYPE, today + dt.timedelta(days=7), start, end, event_id=only_event
        )
    live = {e.id for e in events}
    day = last.date + dt.timedelta(days=7)
    while day <= today:
        day += dt.timedelta(days=7)
    end = (
        last.end_time
        or (
            dt.datetime.combine(day, last.start_time) + dt.timedelta(minutes=DEFAULT_MINUTES)
        ).time()
    )
    event = last.event_id if last.event_id in live else only_event
    return AppointmentRequest(
        crn,
        last.type_code,
        day,
        last.start_time,
        end,
        location_code=last.location_code,
        event_id=event,
        requirement_id=last.requirement_id if event == last.event_id else None,
    )


def _in_usual_pattern(
    ctx: AppContext, defaults: AppointmentRequest, appointments: list[Contact]
) -> AppointmentRequest:
    """The defaults moved to the next free slot in the person's usual weekday and time
    (`domain.rules.next_slot`): clear of their bookings, and at another time that day
    when the officer is busy at the usual one."""
    pattern = usual_pattern(appointments)
    if pattern is None:
        return defaults
    today = ctx.today()
    minutes = _minutes(defaults)
    booked = [c for c in appointments if c.date > today]
    diary = ctx.cache().diary_contacts(today, today + dt.timedelta(weeks=LOOK_AHEAD_WEEKS + 4))
    day, start = next_free_slot(pattern, today=today, minutes=minutes, booked=booked, diary=diary)
    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
    return dataclasses.replace(defaults, date=day, start_time=start, end_time=end)


def _minutes(request: AppointmentRequest) -> int:
    start = dt.datetime.combine(request.date, request.start_time)
    end = dt.datetime.combine(request.date, request.end_time)
    return max(5, int((end - start).total_seconds() // 60)) if end > start else DEFAULT_MINUTES


def _event_choices(
    events: list[StoredRecord], requirements: list[StoredRecord]
) -> tuple[EventChoice, ...]:
    reqs = [Requirement.model_validate(dict(r.data)) for r in requirements]
    choices: list[EventChoice] = []
    for stored in events:
        event = Event.model_validate(dict(stored.data))
        if not event.active:
            continue
        sentence = ""
        if event.sentence is not None:
            kind = reference().sentence_types.get(event.sentence.type_code)
            sentence = f" – {kind.description if kind else event.sentence.type_code}"
        live = tuple(
            Choice(r.id, _requirement_label(r))
            for r in reqs
            if r.event_id == event.id and r.termination_date is None
        )
        label = f"Event {event.number}: {event.main_offence}{sentence}"
        choices.append(EventChoice(event.id, label, live))
    return tuple(sorted(choices, key=lambda c: c.label))


def _requirement_label(requirement: Requirement) -> str:
    category = reference().requirement_categories.get(requirement.category_code)
    words = category.description if category else requirement.category_code
    if requirement.length and category is not None and category.units != "none":
        return f"{words} ({requirement.length} {category.units})"
    return words
