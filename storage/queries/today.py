"""The officer's day from the cache: each appointment with what the visit needs to know.

Read set-based: one query for the day's appointments, then one per record kind for the
handful of cases they belong to (never a query per case per kind), so a day of fifteen
visits in a 10,000-case cache reads a few hundred rows through the `crn` indexes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.contacts import Contact
from domain.people import Address, Person
from domain.registrations import Registration
from domain.risk import Photo, RoshSummary
from domain.rules.lone_working import LONE_WORKING_TYPES
from domain.sentences import Event, LicenceCondition, Requirement
from storage.db import CacheDb
from storage.local import office_names
from storage.queries import common

RECENT_CONTACTS = 3
AFTA_LOOKBACK_DAYS = 31  # evidence is due within 5 working days: a month back is plenty


@dataclass(frozen=True, slots=True)
class Visit:
    """One appointment of the day (`waiting_to_send`: made here, not yet sent)."""

    contact: Contact
    waiting_to_send: bool


@dataclass(slots=True)
class CaseFacts:
    """Everything about one case a visit row or briefing page shows."""

    person: Person
    addresses: list[Address] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    licence_conditions: list[LicenceCondition] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    rosh: RoshSummary | None = None
    photo: Photo | None = None
    recent: list[Contact] = field(default_factory=list)  # the last few, newest first
    open_items: list[Contact] = field(default_factory=list)  # outstanding-work contacts


@dataclass(frozen=True, slots=True)
class DayFacts:
    visits: tuple[Visit, ...]
    cases: dict[str, CaseFacts]
    offices: dict[str, str]  # location code -> description
    lone_working: tuple[Contact, ...] = ()  # the officer's "going" and "back safe" that day


_MODELS: dict[str, Any] = {
    "address": Address,
    "event": Event,
    "registration": Registration,
    "licence_condition": LicenceCondition,
    "requirement": Requirement,
}


def day_facts(
    cdb: CacheDb, staff_code: str, day: dt.date, *, with_photos: bool = False
) -> DayFacts:
    """The officer's appointments on `day` in time order, with their cases' facts."""
    codes = common.appointment_types()
    rows = cdb.query(
        f"SELECT data, pending FROM contact WHERE staff_code = ? AND date = ?"  # noqa: S608
        f" AND type_code IN ({common.placeholders(codes)}) ORDER BY start_time, seq",
        (staff_code, day.isoformat(), *codes),
    )
    visits = tuple(Visit(Contact.model_validate_json(r["data"]), bool(r["pending"])) for r in rows)
    crns = sorted({v.contact.crn for v in visits})
    cases = _cases(cdb, crns, day, with_photos=with_photos)
    offices = office_names(cdb)
    held = tuple(v for v in visits if v.contact.crn in cases)
    lone = cdb.query(
        "SELECT data FROM contact WHERE staff_code = ? AND date = ? AND type_code IN (?, ?)",
        (staff_code, day.isoformat(), *LONE_WORKING_TYPES),
    )
    lone_contacts = tuple(Contact.model_validate_json(r["data"]) for r in lone)
    return DayFacts(held, cases, offices, lone_contacts)


def _kind_rows(cdb: CacheDb, kind: str, crns: Sequence[str]) -> list[dict[str, Any]]:
    return cdb.query(
        f"SELECT crn, data FROM {kind} WHERE crn IN (SELECT value FROM json_each(?))"  # noqa: S608
        " ORDER BY seq",
        (json.dumps(list(crns)),),
    )


def _cases(
    cdb: CacheDb, crns: Sequence[str], day: dt.date, *, with_photos: bool
) -> dict[str, CaseFacts]:
    cases = {
        r["crn"]: CaseFacts(Person.model_validate_json(r["data"]))
        for r in _kind_rows(cdb, "person", crns)
    }
    for kind, model in _MODELS.items():
        for r in _kind_rows(cdb, kind, list(cases)):
            getattr(cases[r["crn"]], _plural(kind)).append(model.model_validate_json(r["data"]))
    for r in _kind_rows(cdb, "rosh", list(cases)):
        cases[r["crn"]].rosh = RoshSummary.model_validate_json(r["data"])
    if with_photos:
        for r in _kind_rows(cdb, "photo", list(cases)):
            cases[r["crn"]].photo = Photo.model_validate_json(r["data"])
    for crn, facts in cases.items():
        facts.recent = _recent(cdb, crn, day)
        facts.open_items = _open_items(cdb, crn, day)
    return cases


def _plural(kind: str) -> str:
    return {"address": "addresses"}.get(kind, kind + "s")


def _recent(cdb: CacheDb, crn: str, day: dt.date) -> list[Contact]:
    """The last contacts before the visit day (the `crn, date, start_time` index)."""
    rows = cdb.query(
        "SELECT data FROM contact WHERE crn = ? AND date < ?"
        " ORDER BY date DESC, start_time DESC, seq DESC LIMIT ?",
        (crn, day.isoformat(), RECENT_CONTACTS),
    )
    return [Contact.model_validate_json(r["data"]) for r in rows]


def _open_items(cdb: CacheDb, crn: str, day: dt.date) -> list[Contact]:
    """Contacts that may be outstanding: past ones without an outcome (the open-case
    index), recent failures to attend awaiting evidence, open enforcement reviews."""
    since = (day - dt.timedelta(days=AFTA_LOOKBACK_DAYS)).isoformat()
    rows = cdb.query(
        "SELECT data FROM contact WHERE crn = ? AND outcome_code IS NULL"
        " AND start_time IS NOT NULL AND date < ?"
        " UNION ALL SELECT data FROM contact WHERE crn = ? AND date >= ?"
        " AND outcome_code = 'AFTA'"
        " UNION ALL SELECT data FROM contact WHERE crn = ? AND type_code = 'ARWS'"
        " AND outcome_code IS NULL",
        (crn, day.isoformat(), crn, since, crn),
    )
    return [Contact.model_validate_json(r["data"]) for r in rows]
