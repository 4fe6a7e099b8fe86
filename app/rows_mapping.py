"""Storage's frozen rows -> the screen rows of `app.rows` (pure functions, no I/O).

Requirement progress and registration review dates are computed here with the
shared domain rules, from the case's records the adapter read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from app.places import place_words
from app.rows import (
    CaseDetail,
    CaseloadRow,
    ContactRow,
    DiaryRow,
    Progress,
    RegistrationRow,
    RiskBadge,
    SentenceRow,
)
from domain.contacts import Contact
from domain.registrations import Registration
from domain.rules.progress import rar_progress, unpaid_work_progress
from domain.rules.risk import risk_badges
from domain.sentences import Requirement
from storage.queries.rows import CaseloadItem, ContactItem, DiaryItem, RiskFlag

if TYPE_CHECKING:  # the case view's query: not imported for the caseload (start-up)
    from domain.people import Person
    from storage.queries.case import CaseOverview

RAR, UNPAID_WORK = "F", "W"
PROGRESS_CATEGORIES = frozenset({RAR, UNPAID_WORK})

_WORDS = {
    "record_contact": "Contact",
    "arrange_appointment": "Appointment",
    "record_outcome": "Outcome",
    "correct_outcome": "Corrected outcome",
    "reschedule_appointment": "Rescheduled appointment",
    "append_contact_note": "Note",
    "update_contact_details": "Contact details",
    "update_address": "Address",
    "pin_case": "Keep case on this laptop",
    "unpin_case": "Release case",
    "case_viewed": "Case view record",
    "briefing_saved": "Briefing record",
    "letter_produced": "Letter printed record",
}


def mutation_words(name: str) -> str:
    return _WORDS.get(name, name.replace("_", " ").capitalize())


def _colour(value: str) -> Any:
    return value if value in {"red", "amber", "green", "white"} else "white"


def badge(flag: RiskFlag) -> RiskBadge:
    return RiskBadge(flag.text, _colour(flag.colour), flag.group)


def caseload_row(item: CaseloadItem, *, is_cover: bool = False) -> CaseloadRow:
    return CaseloadRow(
        crn=item.crn,
        name=item.name,
        tier=item.tier,
        risk=badge(item.risk) if item.risk else None,
        sentence=item.sentence,
        next_appointment=item.next_appointment,
        last_contact=item.last_contact,
        compliance=item.compliance,
        waiting_to_send=item.waiting_to_send,
        is_cover=is_cover,
    )


def contact_row(item: ContactItem, offices: Mapping[str, str]) -> ContactRow:
    return ContactRow(
        id=item.id,
        crn=item.crn,
        date=item.date,
        start_time=item.start_time,
        type_code=item.type_code,
        type_text=item.type_text,
        outcome_text=item.outcome_text,
        notes=item.notes,
        sensitive=item.sensitive,
        alert=item.alert,
        waiting_to_send=item.waiting_to_send,
        is_appointment=item.is_appointment,
        place=place_words(item.location_code, offices),
    )


def diary_row(item: DiaryItem, offices: Mapping[str, str], *, is_cover: bool = False) -> DiaryRow:
    return DiaryRow(
        contact_id=item.contact_id,
        crn=item.crn,
        name=item.name,
        date=item.date,
        start_time=item.start_time,
        end_time=item.end_time,
        type_text=item.type_text,
        location=place_words(item.location_code, offices),
        outcome_text=item.outcome_text,
        waiting_to_send=item.waiting_to_send,
        is_cover=is_cover,
    )


def progress_rows(
    requirements: Iterable[Requirement], contacts: list[Contact], today: dt.date
) -> tuple[Progress, ...]:
    found: list[Progress] = []
    for requirement in requirements:
        if requirement.termination_date is not None:
            continue
        if requirement.category_code == RAR:
            rar = rar_progress(requirement, contacts, today=today)
            found.append(
                Progress(
                    "RAR days",
                    rar.completed_days,
                    rar.ordered_days,
                    "days",
                    scheduled=rar.scheduled_days,
                )
            )
        elif requirement.category_code == UNPAID_WORK:
            upw = unpaid_work_progress(requirement, contacts)
            found.append(
                Progress(
                    "Unpaid work hours", upw.completed_minutes / 60, upw.ordered_hours, "hours"
                )
            )
    return tuple(found)


def registration_rows(
    registrations: list[Registration], today: dt.date
) -> tuple[RegistrationRow, ...]:
    by_id = {r.id: r for r in registrations}
    rows = []
    for found in risk_badges(registrations, today=today):
        registration = by_id[found.registration_id]
        shown = RiskBadge(
            found.label if found.review_overdue else found.text, _colour(found.colour), found.group
        )
        rows.append(
            RegistrationRow(
                shown, registration.registered_on, registration.next_review_date, registration.notes
            )
        )
    return tuple(rows)


def personal_rows(person: Person, address: str) -> tuple[tuple[str, str], ...]:
    aliases = ", ".join(f"{a.first_name} {a.surname}" for a in person.aliases)
    language = person.language + (" (interpreter needed)" if person.interpreter_required else "")
    return (
        ("Preferred name", person.preferred_name),
        ("Gender", person.gender),
        ("Phone", person.phone),
        ("Mobile", person.mobile),
        ("Email", person.email),
        ("Main address", address),
        ("Language", language),
        ("Aliases", aliases),
    )


def detail_from_overview(
    overview: CaseOverview,
    data: dict[str, list[dict[str, Any]]],
    *,
    today: dt.date,
    offices: Mapping[str, str],
) -> CaseDetail:
    person = overview.person
    contacts = [Contact.model_validate(c) for c in data.get("contact", [])]
    requirements = [Requirement.model_validate(r) for r in data.get("requirement", [])]
    registrations = [Registration.model_validate(r) for r in data.get("registration", [])]
    nxt = overview.next_appointment
    events = overview.events
    return CaseDetail(
        crn=person.crn,
        name=person.full_name,
        date_of_birth=person.date_of_birth,
        age=person.age_on(today),
        tier=person.tier,
        badges=tuple(badge(flag) for flag in overview.risks),
        limited_access=person.limited_access_message,
        next_appointment=(
            dt.datetime.combine(nxt.date, nxt.start_time or dt.time()) if nxt else None
        ),
        next_place=place_words(nxt.location_code, offices) if nxt else "",
        compliance=tuple(f"Event {e.number}: {e.compliance}" for e in events),
        progress=progress_rows(requirements, contacts, today),
        sentence_summary="; ".join(f"Event {e.number}: {e.sentence}" for e in events),
        last_contacts=tuple(contact_row(c, offices) for c in overview.recent_contacts),
        sentences=tuple(
            SentenceRow(
                e.number, e.offence, e.sentence, e.start_date, e.expected_end, e.requirements
            )
            for e in events
        ),
        registrations=registration_rows(registrations, today),
        personal=personal_rows(
            person, overview.main_address.one_line if overview.main_address else ""
        ),
        waiting_to_send=overview.waiting_to_send,
    )
