"""Record a contact: what the form needs to offer, and the one write that saves it.

The officer's own most-used contact types come first in the picker (counted from the
cache), the case's live events and requirements are the links on offer, and saving
is one `record_contact` mutation: the contact, any outcome recorded with it and what
that outcome does to the event (failure count, review task, breach flag) land in one
transaction with the outbox entry (see `domain.semantics`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from app.changes import ChangeSet
from app.context import AppContext
from domain.mutations import RecordContact
from domain.reference import reference
from domain.semantics import StoredRecord
from domain.sentences import Event, Requirement

DEFAULT_MINUTES = 30  # a contact's end when only its start is typed


@dataclass(frozen=True, slots=True)
class Link:
    """An event, or one requirement of it, a contact can be recorded against."""

    label: str
    event_id: str
    requirement_id: str | None = None
    licence: bool = False  # licence enforcement (warnings, then recall)
    category_code: str = ""  # the requirement's ("F" RAR, "W" unpaid work)


@dataclass(frozen=True, slots=True)
class ContactSetup:
    crn: str
    links: tuple[Link, ...]
    type_usage: dict[str, int]
    locations: tuple[str, ...] = ()  # office codes used before on this case, latest first


@dataclass(frozen=True, slots=True)
class Recorded:
    contact_id: uuid.UUID
    changes: ChangeSet


def contact_setup(ctx: AppContext, crn: str) -> ContactSetup:
    """The links on offer and the officer's type habits (a read: runs on the pool)."""
    cache = ctx.cache()
    links = case_links(cache.case_records(crn, "event"), cache.case_records(crn, "requirement"))
    contacts = sorted(
        (r.data for r in cache.case_records(crn, "contact")),
        key=lambda d: (str(d.get("date")), str(d.get("start_time"))),
        reverse=True,
    )
    places = dict.fromkeys(str(d["location_code"]) for d in contacts if d.get("location_code"))
    return ContactSetup(crn, links, cache.type_usage(), tuple(places))


def case_links(events: list[StoredRecord], requirements: list[StoredRecord]) -> tuple[Link, ...]:
    """Each live event, followed by its live requirements, by event number."""
    live = sorted(
        (e for e in (Event.model_validate(dict(r.data)) for r in events) if e.active),
        key=lambda e: e.number,
    )
    reqs = [Requirement.model_validate(dict(r.data)) for r in requirements]
    found: list[Link] = []
    for event in live:
        licence = _licence(event)
        found.append(Link(_event_label(event), str(event.id), None, licence))
        found += [
            Link(
                f"Event {event.number}: {_requirement_label(r)}",
                str(event.id),
                str(r.id),
                licence,
                r.category_code,
            )
            for r in reqs
            if r.event_id == event.id and r.termination_date is None
        ]
    return tuple(found)


def _licence(event: Event) -> bool:
    if event.sentence is None:
        return False
    stype = reference().sentence_types.get(event.sentence.type_code)
    return stype is not None and stype.licence


def _event_label(event: Event) -> str:
    sentence = ""
    if event.sentence is not None:
        kind = reference().sentence_types.get(event.sentence.type_code)
        sentence = f" – {kind.description if kind else event.sentence.type_code}"
    return f"Event {event.number}: {event.main_offence}{sentence}"


def _requirement_label(requirement: Requirement) -> str:
    category = reference().requirement_categories.get(requirement.category_code)
    words = category.description if category else requirement.category_code
    if requirement.length and category is not None and category.units != "none":
        return f"{words} ({requirement.length} {category.units})"
    return words


def end_after(day: dt.date, start: dt.time, minutes: int = DEFAULT_MINUTES) -> dt.time:
    """`start` plus a default length, kept within the day."""
    later = dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)
    return later.time() if later.date() == day else dt.time(23, 59)


def record_contact(ctx: AppContext, args: RecordContact) -> Recorded:
    """Apply and queue one `record_contact` (a write: runs on the writer thread).

    The form chooses `contact_id` when it opens and keeps it in its draft, so saving
    again (a retry after a crash between the save and the draft's removal) is a replay,
    never a second contact.
    """
    return Recorded(args.contact_id, ctx.cache().apply("record_contact", args))
