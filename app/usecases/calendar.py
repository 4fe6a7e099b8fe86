"""Appointments to the officer's own calendar: one entry, or the whole week, as a .ics file.

Works offline from the cache: the file is written to the private export folder and the
UI hands it to the default handler (Outlook on an officer's laptop). The entry's
identity and sequence come from the contact log (`domain.ics`), so the same appointment
added again after a reschedule replaces the entry, and a cancelled one removes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from app.context import AppContext
from app.exports import export_folder
from domain.contacts import Contact
from domain.errors import FieldcaseError
from domain.ics import Entry, Method, Privacy, calendar, entries
from domain.people import Person

log = logging.getLogger(__name__)


class NotInCalendar(FieldcaseError):
    title = "Not added to the calendar"


@dataclass(frozen=True, slots=True)
class IcsFile:
    path: Path
    method: str  # PUBLISH or CANCEL
    appointments: int


def appointment_ics(ctx: AppContext, contact_id: UUID, *, initials: bool = False) -> IcsFile:
    """The .ics of one appointment as it now is (after any reschedule), or its cancellation."""
    stored = ctx.cache().record("contact", contact_id)
    if stored is None:
        raise NotInCalendar("This appointment is no longer on this laptop.")
    crn = stored.crn
    contacts = _contacts(ctx, [crn])
    known = entries(contacts)
    tip = _tip(contacts, contact_id)
    entry = known.get(tip)
    if entry is None:
        raise NotInCalendar("Only appointments with a start time can go to the calendar.")
    method: Method = "CANCEL" if entry.cancelled else "PUBLISH"
    data = calendar(
        contacts,
        lambda e: e.current.id == tip,
        privacy=_privacy(ctx, [crn], initials=initials),
        stamp=ctx.now(),
        method=method,
    )
    path = export_folder() / f"{crn}-{entry.current.date}-{tip.hex[:8]}.ics"
    path.write_bytes(data)
    log.info("calendar file written (%s)", method)
    return IcsFile(path, method, 1)


def week_ics(ctx: AppContext, monday: dt.date, *, initials: bool = False) -> IcsFile:
    """Every appointment in the officer's diary from `monday` for seven days, in one file."""
    sunday = monday + dt.timedelta(days=6)
    diary = ctx.cache().diary_contacts(monday, sunday)
    ids = {c.id for c in diary}
    crns = sorted({c.crn for c in diary})
    contacts = _contacts(ctx, crns)

    def in_week(entry: Entry) -> bool:
        return entry.current.id in ids and not entry.cancelled

    data = calendar(
        contacts,
        in_week,
        privacy=_privacy(ctx, crns, initials=initials),
        stamp=ctx.now(),
        name=f"Probation appointments w/c {monday:%d %b %Y}",
    )
    path = export_folder() / f"appointments-week-{monday}.ics"
    path.write_bytes(data)
    count = sum(1 for e in entries(contacts).values() if in_week(e))
    log.info("week calendar file written (%d appointments)", count)
    return IcsFile(path, "PUBLISH", count)


def _contacts(ctx: AppContext, crns: list[str]) -> list[Contact]:
    cache = ctx.cache()
    return [
        Contact.model_validate(dict(r.data))
        for crn in crns
        for r in cache.case_records(crn, "contact")
    ]


def _tip(contacts: list[Contact], contact_id: UUID) -> UUID:
    """Where the appointment now is: follow its reschedules forward."""
    by_id = {c.id: c for c in contacts}
    current = by_id.get(contact_id)
    seen = set()
    while current is not None and current.rescheduled_to is not None and current.id not in seen:
        seen.add(current.id)
        current = by_id.get(current.rescheduled_to, current)
    return current.id if current is not None else contact_id


def _privacy(ctx: AppContext, crns: list[str], *, initials: bool) -> Privacy:
    cache = ctx.cache()
    places = {o.code: o.description for o in cache.letter_kit().offices}
    if not initials:
        return Privacy(places=places)
    found = {}
    for crn in crns:
        rows = cache.case_records(crn, "person")
        if rows:
            person = Person.model_validate(dict(rows[0].data))
            found[crn] = f"{person.first_name[:1]}.{person.surname[:1]}."
    return Privacy(initials=found, places=places)
