"""Letters from what the officer recorded: gathered from the cache, saved with the change.

A warning letter is made from the appointment just outcomed (what was missed: date,
time, place), the person and their main address, the next booked appointment, the
officer and their office; the appointment letter from the booking itself. Nothing is
typed. The letter is added to the same mutation as the outcome or the booking
(`domain.semantics.letters`), so the contact log, the enforcement state and the letter
are saved, synced, rejected or replayed together. Printing and reprinting are audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from app.changes import ChangeSet
from app.context import AppContext
from domain.contacts import Contact
from domain.errors import FieldcaseError
from domain.letters.catalogue import TemplateSet, parse_many, shipped_templates
from domain.letters.facts import LETTER_FOR_ACTION, Language, LetterFacts, LetterKind, Meeting
from domain.letters.kit import LetterKit, OfficeDetails, TemplateText
from domain.letters.record import LetterRecord
from domain.letters.templates import FilledSection
from domain.mutations import ArrangeAppointment, LetterProduced, RecordOutcome
from domain.people import Address, Person
from domain.reference import reference
from domain.rules.enforcement import response_due
from domain.sentences import Event

log = logging.getLogger(__name__)

# Said instead of an address for a person with none to post to (the letter is handed over).
BY_HAND = "By hand"
WELSH_WORDS = frozenset({"welsh", "cymraeg"})


class NoLetter(FieldcaseError):
    title = "No letter"


@dataclass(frozen=True, slots=True)
class LetterSaved:
    """A save that logged a letter: its change set (published by the runner) and the letter."""

    changes: ChangeSet
    crn: str
    letter: LetterRecord
    contact_id: UUID


def letter_kind(enforcement_code: str | None) -> LetterKind | None:
    """The letter an enforcement action sends (EA02, EA03, EA08, LCL), if any."""
    return LETTER_FOR_ACTION.get(enforcement_code or "")


# -- making a letter (reads) ------------------------------------------------------------


def enforcement_letter(ctx: AppContext, contact_id: UUID, enforcement_code: str) -> LetterRecord:
    """The letter `enforcement_code` sends about this (missed) appointment, dated today."""
    kind = letter_kind(enforcement_code)
    if kind is None:
        raise NoLetter(f"'{enforcement_code}' is not an enforcement action that sends a letter.")
    contact = _contact(ctx, contact_id)
    today = ctx.today()
    facts = _facts(ctx, contact, today).model_copy(
        update={
            "respond_by": response_due(enforcement_code, today),
            "licence": _licence(ctx, contact),
            "next_appointment": _next_appointment(ctx, contact, today),
        }
    )
    return _templates(ctx).record(kind, _languages(ctx, contact.crn), facts)


def appointment_letter(ctx: AppContext, args: ArrangeAppointment) -> LetterRecord:
    """The appointment letter for a booking (its first date when it repeats)."""
    contact = Contact(
        id=args.contact_id,
        crn=args.crn,
        type_code=args.type_code,
        date=args.date,
        start_time=args.start_time,
        end_time=args.end_time,
        event_id=args.event_id,
        location_code=args.location_code,
    )
    facts = _facts(ctx, contact, ctx.today())
    return _templates(ctx).record("appointment", _languages(ctx, args.crn), facts)


def sections(ctx: AppContext, letter: LetterRecord) -> tuple[FilledSection, ...]:
    """The letter's text in print order, from its templates and facts (reprint is identical)."""
    return _templates(ctx).render(letter)


def letter_on(ctx: AppContext, contact_id: UUID) -> LetterRecord:
    """The letter kept on a letter contact, for a reprint."""
    letter = _contact(ctx, contact_id).letter
    if letter is None:
        raise NoLetter("This contact has no letter to print.")
    return letter


# -- saving (the writer) ------------------------------------------------------------


def record_outcome_with_letter(ctx: AppContext, args: RecordOutcome) -> LetterSaved:
    """Record the outcome and log its enforcement letter, in one mutation."""
    if args.enforcement_code is None:
        raise NoLetter("Choose the enforcement action whose letter to send.")
    letter = enforcement_letter(ctx, args.contact_id, args.enforcement_code)
    changes = ctx.cache().apply("record_outcome", args.model_copy(update={"letter": letter}))
    log.info("outcome recorded with a %s letter", letter.kind)
    return saved(ctx, changes, _contact(ctx, args.contact_id).crn, letter)


def saved(ctx: AppContext, changes: ChangeSet, crn: str, letter: LetterRecord) -> LetterSaved:
    """The result of a save that logged `letter` (with the letter contact's id)."""
    return LetterSaved(changes, crn, letter, _logged(ctx, crn, letter))


def letter_produced(ctx: AppContext, crn: str, contact_id: UUID, output: str) -> ChangeSet:
    """Audit a print, a saved copy or a reprint (queued like a case view when offline)."""
    args = LetterProduced.model_validate(
        {"crn": crn, "contact_id": contact_id, "output": output, "produced_at": ctx.now()}
    )
    return ctx.cache().apply("letter_produced", args)


# -- helpers ---------------------------------------------------------------------------


def _templates(ctx: AppContext) -> TemplateSet:
    return _template_set(ctx.cache().letter_kit().templates)


@lru_cache(maxsize=4)
def _template_set(texts: tuple[TemplateText, ...]) -> TemplateSet:
    """The national templates plus the region's (parsed once per kit)."""
    return shipped_templates().merged(parse_many((t.origin, t.text) for t in texts))


def _contact(ctx: AppContext, contact_id: UUID) -> Contact:
    stored = ctx.cache().record("contact", contact_id)
    if stored is None:
        raise NoLetter("This appointment is no longer on this laptop.")
    return Contact.model_validate(dict(stored.data))


def _logged(ctx: AppContext, crn: str, letter: LetterRecord) -> UUID:
    """The letter contact the save just created (its id is derived from the mutation's)."""
    for stored in ctx.cache().case_records(crn, "contact"):
        if stored.data.get("letter") == letter.model_dump(mode="json"):
            return stored.id
    raise NoLetter("The letter was not logged.")  # the save refused it: never reached


def _facts(ctx: AppContext, contact: Contact, today: dt.date) -> LetterFacts:
    person = _person(ctx, contact.crn)
    kit = ctx.cache().letter_kit()
    office = _office(kit, contact.location_code)
    return LetterFacts(
        person_name=f"{person.preferred_name or person.first_name} {person.surname}",
        address_lines=_address_lines(ctx, contact.crn),
        crn=contact.crn,
        dated=today,
        officer_name=ctx.officer.name or ctx.officer.username,
        office_name=office.description if office else "",
        office_address=office.address if office else "",
        office_phone=office.phone if office else "",
        appointment=meeting(contact, kit),
    )


def meeting(contact: Contact, kit: LetterKit) -> Meeting:
    """An appointment in a letter's words: its type, and the office or way it happens."""
    ctype = reference().contact_types.get(contact.type_code)
    words = ctype.description if ctype else contact.type_code
    words = words.removesuffix(" (NS)")
    office = next((o for o in kit.offices if o.code == contact.location_code), None)
    place = office.description if office else (contact.location_code or words)
    assert contact.start_time is not None  # appointments always have a start time
    return Meeting(
        type_text=words,
        date=contact.date,
        start_time=contact.start_time,
        end_time=contact.end_time,
        place=place,
        place_address=office.address if office else "",
    )


def _office(kit: LetterKit, code: str | None) -> OfficeDetails | None:
    """The appointment's office, else the officer's first office (the letter's sender)."""
    found = next((o for o in kit.offices if o.code == code), None)
    return found or (kit.offices[0] if kit.offices else None)


def _person(ctx: AppContext, crn: str) -> Person:
    rows = ctx.cache().case_records(crn, "person")
    if not rows:
        raise NoLetter("This case's details are not on this laptop.")
    return Person.model_validate(dict(rows[0].data))


def _address_lines(ctx: AppContext, crn: str) -> tuple[str, ...]:
    addresses = [
        Address.model_validate(dict(r.data)) for r in ctx.cache().case_records(crn, "address")
    ]
    main = next((a for a in addresses if a.status == "main" and a.end_date is None), None)
    if main is None or main.no_fixed_abode:
        return (BY_HAND,)
    street = " ".join(p for p in (main.address_number, main.street_name) if p)
    parts = (main.building_name, street, main.district, main.town, main.county, main.postcode)
    return tuple(p for p in parts if p.strip())


def _languages(ctx: AppContext, crn: str) -> tuple[Language, ...]:
    """Welsh first, then English, for a person supervised in Wales (docs/letters.md)."""
    person = _person(ctx, crn)
    welsh = person.team_code in ctx.cache().letter_kit().welsh_teams
    if welsh or person.language.strip().lower() in WELSH_WORDS:
        return ("cy", "en")
    return ("en",)


def _licence(ctx: AppContext, contact: Contact) -> bool:
    if contact.event_id is None:
        return False
    stored = ctx.cache().record("event", contact.event_id)
    event = None if stored is None else Event.model_validate(dict(stored.data))
    if event is None or event.sentence is None:
        return False
    stype = reference().sentence_types.get(event.sentence.type_code)
    return stype is not None and stype.licence


def _next_appointment(ctx: AppContext, missed: Contact, today: dt.date) -> Meeting | None:
    """The next appointment booked for the person, to be included in a warning."""
    kit = ctx.cache().letter_kit()
    rows = [
        Contact.model_validate(dict(r.data))
        for r in ctx.cache().case_records(missed.crn, "contact")
    ]
    booked = sorted(
        (
            c
            for c in rows
            if c.id != missed.id
            and c.outcome_code is None
            and c.rescheduled_to is None
            and c.start_time is not None
            and c.date > today
            and _is_appointment(c)
        ),
        key=lambda c: (c.date, c.start_time or dt.time()),
    )
    return meeting(booked[0], kit) if booked else None


def _is_appointment(contact: Contact) -> bool:
    ctype = reference().contact_types.get(contact.type_code)
    return ctype is not None and ctype.attendance
