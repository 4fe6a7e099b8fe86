"""Appointments as iCalendar (RFC 5545) for the officer's own calendar (Outlook).

One appointment keeps one calendar identity through every change: its UID is that of
the first appointment of its reschedule chain (a reschedule books a new contact and
points the old one at it), and SEQUENCE counts the reschedules, so a calendar replaces
the entry instead of adding a second. A repeating booking is ONE series: a master event
with an RRULE (every frequency is a fixed number of days, so the rule is exact), and
each occurrence moved or cancelled later is an override with the series' UID and a
RECURRENCE-ID of its original start (RFC 5545 3.8.4.4). Times are Europe/London wall
times with the zone's VTIMEZONE written out as its two yearly rules, as Outlook writes
it. Privacy by default: CRN, type and place only (initials if the officer allows),
CLASS:PRIVATE, never the name or notes. Shared by the laptop's "Add to my calendar" and
the central service's calendar feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from domain.calendar import LONDON
from domain.contacts import Contact, SeriesRef
from domain.reference import reference
from domain.rules.repeating import STEP_DAYS

PRODID = "-//Fieldcase//Probation appointments//EN"
TZID = "Europe/London"
UID_DOMAIN = "fieldcase.probation"
Method = Literal["PUBLISH", "CANCEL"]
_RULES = {"daily": ("DAILY", 1), "weekly": ("WEEKLY", 1), "fortnightly": ("WEEKLY", 2)}
_RULES |= {"four_weekly": ("WEEKLY", 4)}


@dataclass(frozen=True, slots=True)
class Privacy:
    """What an entry may say; `initials` maps a CRN to the person's initials when allowed."""

    initials: Mapping[str, str] | None = None
    places: Mapping[str, str] | None = None  # location code -> office name


@dataclass(frozen=True, slots=True)
class Entry:
    """One appointment as the calendar knows it, after following its reschedules."""

    uid: str
    recurrence_id: dt.datetime | None  # its original start, when it is in a series
    sequence: int
    current: Contact  # where and when it now is
    cancelled: bool
    series: SeriesRef | None = None  # the booking's rule, when it is in a series


def london_vtimezone() -> Timezone:
    """Europe/London's VTIMEZONE: BST from the last Sunday of March 01:00 GMT to the last
    Sunday of October 02:00 BST (the UK rule since 1996)."""
    zone = Timezone()
    zone.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", dt.timedelta(0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("dtstart", dt.datetime(1996, 3, 31, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(0))
    winter.add("dtstart", dt.datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def uid_of(record_id: UUID) -> str:
    return f"{record_id}@{UID_DOMAIN}"


def is_cancelled(contact: Contact) -> bool:
    """Not going to happen: an acceptable absence recorded for it (e.g. holiday, court)."""
    outcome = reference().outcomes.get(contact.outcome_code or "")
    return outcome is not None and outcome.acceptable_absence


def entries(contacts: Iterable[Contact]) -> dict[UUID, Entry]:
    """Each live appointment (the end of its reschedule chain) by its contact id."""
    rows = [c for c in contacts if _is_appointment(c)]
    before = {c.rescheduled_to: c for c in rows if c.rescheduled_to is not None}
    found: dict[UUID, Entry] = {}
    for tip in (c for c in rows if c.rescheduled_to is None):
        root, moves = tip, 0
        while root.id in before:
            root, moves = before[root.id], moves + 1
        cancelled = is_cancelled(tip)
        if root.series is not None:
            uid, recurrence = uid_of(root.series.id), _start(root)
        else:
            uid, recurrence = uid_of(root.id), None
        sequence = moves + int(cancelled)
        found[tip.id] = Entry(uid, recurrence, sequence, tip, cancelled, root.series)
    return found


def calendar(
    contacts: Sequence[Contact],
    wanted: Callable[[Entry], bool],
    *,
    privacy: Privacy,
    stamp: dt.datetime,
    method: Method = "PUBLISH",
    name: str = "",
) -> bytes:
    """The iCalendar text of the wanted appointments (series whole, with their overrides)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add_component(london_vtimezone())
    known = entries(contacts)
    chosen = [e for e in known.values() if wanted(e)]
    if method == "CANCEL":
        for entry in (e for e in chosen if e.cancelled):
            cal.add_component(_event(entry, privacy, stamp))
        return bytes(cal.to_ical())
    for entry in (e for e in chosen if e.series is None):
        cal.add_component(_event(entry, privacy, stamp))
    for uid in sorted({e.uid for e in chosen if e.series is not None}):
        for component in _series([e for e in known.values() if e.uid == uid], privacy, stamp):
            cal.add_component(component)
    return bytes(cal.to_ical())


def _series(members: list[Entry], privacy: Privacy, stamp: dt.datetime) -> list[Event]:
    """The master with its RRULE, then one override per occurrence moved or cancelled."""
    ordered = sorted(members, key=lambda e: e.recurrence_id or stamp)
    changed = [e for e in ordered if e.cancelled or _moved(e)]
    return [_master(ordered[0], privacy, stamp), *(_event(e, privacy, stamp) for e in changed)]


def _master(first: Entry, privacy: Privacy, stamp: dt.datetime) -> Event:
    """The series as booked: its first date at the booked time, and the booking's rule."""
    series = first.series
    assert series is not None
    assert first.recurrence_id is not None
    # Aware arithmetic keeps the wall time: 10:00 stays 10:00 across a clock change.
    start = first.recurrence_id - dt.timedelta(days=STEP_DAYS[series.frequency] * series.index)
    length = _length(first.current)
    event = _base(first.uid, 0, first.current, privacy, stamp)
    _wall(event, "dtstart", start)
    _wall(event, "dtend", start + length)
    freq, interval = _RULES[series.frequency]
    event.add("rrule", vRecur(freq=freq, interval=interval, count=series.count))
    return event


def _event(entry: Entry, privacy: Privacy, stamp: dt.datetime) -> Event:
    event = _base(entry.uid, entry.sequence, entry.current, privacy, stamp)
    start = _start(entry.current)
    _wall(event, "dtstart", start)
    _wall(event, "dtend", start + _length(entry.current))
    if entry.recurrence_id is not None:
        _wall(event, "recurrence-id", entry.recurrence_id)
    if entry.cancelled:
        event.add("status", "CANCELLED")
    return event


def _base(uid: str, sequence: int, contact: Contact, privacy: Privacy, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("summary", summary(contact, privacy))
    place = _place(contact, privacy)
    if place:
        event.add("location", place)
    event.add("class", "PRIVATE")
    event.add("transp", "OPAQUE")
    return event


def _wall(event: Event, name: str, when: dt.datetime) -> None:
    """A London wall time with TZID=Europe/London, whatever zone object the platform has."""
    event.add(name, when.replace(tzinfo=None), parameters={"TZID": TZID})


def summary(contact: Contact, privacy: Privacy) -> str:
    """ "X320741 Planned Office Visit" (with initials only when the officer allows)."""
    ctype = reference().contact_types.get(contact.type_code)
    words = (ctype.description if ctype else contact.type_code).removesuffix(" (NS)")
    initials = (privacy.initials or {}).get(contact.crn, "")
    return " ".join(p for p in (contact.crn, initials, words) if p)


def _place(contact: Contact, privacy: Privacy) -> str:
    code = contact.location_code or ""
    return (privacy.places or {}).get(code, code)


def _moved(entry: Entry) -> bool:
    return entry.recurrence_id is not None and entry.recurrence_id != _start(entry.current)


def _start(contact: Contact) -> dt.datetime:
    assert contact.start_time is not None
    return dt.datetime.combine(contact.date, contact.start_time, tzinfo=LONDON)


def _length(contact: Contact) -> dt.timedelta:
    """Wall-clock length (an appointment never spans a clock change at 1-2 am)."""
    assert contact.start_time is not None
    end = contact.end_time or contact.start_time
    minutes = (end.hour * 60 + end.minute) - (
        contact.start_time.hour * 60 + contact.start_time.minute
    )
    return dt.timedelta(minutes=max(minutes, 0))


def _is_appointment(contact: Contact) -> bool:
    ctype = reference().contact_types.get(contact.type_code)
    return ctype is not None and ctype.attendance and contact.start_time is not None
