"""The letter contact a save logs with an enforcement action or a booking, and its audit.

A letter produced with an outcome (EA02, EA03, EA08, LCL) or with a booking (the
appointment letter) is logged in the SAME mutation as a contact of the letter's type
(AWLI, AWL2, CLBR, LCL, CLOB) carrying the letter's record. So the contact log, the
enforcement state and the letter cannot disagree: they are written, replayed, rebased
and rejected together. The respond-by date the letter states IS the enforcement's
deadline: both are counted from the letter's date, not from whenever the server runs.
"""

from __future__ import annotations

import datetime as dt

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.letters.facts import LETTER_CONTACT_TYPE, LETTER_FOR_ACTION, LETTER_WORDS
from domain.letters.record import LetterRecord
from domain.mutations import LetterProduced, derived_id
from domain.rules.enforcement import response_due
from domain.semantics.context import Context, created
from domain.semantics.effects import AuditEntry, Effects, Upsert

# How far a letter's date may run ahead of the applying side's day (laptop clocks drift;
# a day either side of midnight is a normal offline case, more is a mistake).
_CLOCK_SLACK = dt.timedelta(days=1)


def check_enforcement_letter(
    letter: LetterRecord, contact: Contact, enforcement_code: str | None, ctx: Context
) -> dt.date | None:
    """The letter fits this outcome; returns the respond-by date both it and the
    enforcement carry (counted from the letter's date)."""
    kind = LETTER_FOR_ACTION.get(enforcement_code or "")
    if kind != letter.kind:
        raise ValidationError(
            f"A {LETTER_WORDS[letter.kind].lower()} does not go with enforcement action "
            f"'{enforcement_code or 'none'}'.",
            field="letter",
        )
    _check_common(letter, contact, ctx)
    due = response_due(enforcement_code or "", letter.facts.dated)
    if letter.facts.respond_by != due:
        raise ValidationError(
            "The letter's respond-by date is not the enforcement action's deadline; "
            "produce the letter again.",
            field="letter",
        )
    return due


def check_appointment_letter(letter: LetterRecord, contact: Contact, ctx: Context) -> None:
    if letter.kind != "appointment":
        raise ValidationError("Only an appointment letter goes with a booking.", field="letter")
    _check_common(letter, contact, ctx)
    meeting = letter.facts.appointment
    if meeting is None or (meeting.date, meeting.start_time) != (contact.date, contact.start_time):
        raise ValidationError(
            "The appointment letter does not name this appointment's date and time.",
            field="letter",
        )


def _check_common(letter: LetterRecord, contact: Contact, ctx: Context) -> None:
    if letter.facts.crn != contact.crn:
        raise ValidationError("The letter is for another case.", field="letter")
    if letter.facts.dated > ctx.today + _CLOCK_SLACK:
        raise ValidationError("The letter is dated in the future.", field="letter")


def letter_contact(ctx: Context, letter: LetterRecord, about: Contact) -> Upsert | None:
    """The letter's contact (its id derived from the mutation's), or None on a replay."""
    contact_id = derived_id(ctx.mutation_id, "letter")
    if ctx.exists("contact", contact_id, about.crn):
        return None
    when = f"{about.date:%a} {about.date.day} {about.date:%b %Y}"
    words = f"{LETTER_WORDS[letter.kind]} produced ({', '.join(letter.languages)}) about the "
    words += f"appointment on {when}."
    contact = Contact(
        id=contact_id,
        crn=about.crn,
        type_code=LETTER_CONTACT_TYPE[letter.kind],
        date=letter.facts.dated,
        event_id=about.event_id,
        staff_code=ctx.actor.staff_code,
        team_code=ctx.actor.team_code,
        notes=words,
        letter=letter,
    )
    return created("contact", contact, about.crn)


def letter_produced(args: LetterProduced, ctx: Context) -> Effects:
    """Printing, saving or reprinting a letter is audited when it happens (UTC if zone-less)."""
    at = args.produced_at
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return Effects(audit=(AuditEntry("letter_produced", args.crn, (args.contact_id,), at=at),))
