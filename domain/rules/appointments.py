"""Checks on an appointment before it is booked: errors that block, warnings that inform.

Errors are the national system's rules (end after start, a location where the
type needs one, an event unless the type is person-level, at most one
requirement or licence condition, a past date needs an outcome). Warnings are
what an officer wants to know but may override: a weekend, a bank holiday (by
name), or a clash with another appointment in their diary (overlapping, or
less than an hour apart, measured in real time so a clock change counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from domain.calendar import bank_holiday_name, elapsed_minutes, is_weekend, time_exists
from domain.contacts import Contact
from domain.errors import ValidationError
from domain.reference import ContactType
from domain.rules import _lookup
from domain.rules.outcomes import allowed_outcomes

CLASH_GAP_MINUTES = 60


@dataclass(frozen=True, slots=True)
class AppointmentDraft:
    """What the officer has entered so far on the arrange-appointment form."""

    type_code: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    location_code: str | None = None
    event_id: UUID | None = None
    requirement_id: UUID | None = None
    licence_condition_id: UUID | None = None
    outcome_code: str | None = None


@dataclass(frozen=True, slots=True)
class AppointmentCheck:
    errors: tuple[ValidationError, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """May be booked (warnings do not block)."""
        return not self.errors


def check_appointment(
    draft: AppointmentDraft,
    diary: Iterable[Contact],
    *,
    today: dt.date,
    names: Mapping[str, str] | None = None,
) -> AppointmentCheck:
    """Every error and warning for `draft` against the officer's `diary`.

    A clash says whose appointment it is (`names`: CRN -> the person's name, where the
    caller knows it; the CRN alone otherwise), so the officer can judge it.
    """
    try:
        ctype = _lookup.contact_type(draft.type_code)
    except ValidationError as error:
        return AppointmentCheck(errors=(error,))
    if not ctype.attendance:
        message = f"'{ctype.description}' is not an appointment type."
        return AppointmentCheck(errors=(ValidationError(message, field="type_code"),))
    errors = [*_time_errors(draft), *_link_errors(draft, ctype), *_outcome_errors(draft, today)]
    warnings = [*_day_warnings(draft), *_clash_warnings(draft, diary, names or {})]
    return AppointmentCheck(errors=tuple(errors), warnings=tuple(warnings))


def _time_errors(draft: AppointmentDraft) -> list[ValidationError]:
    if draft.end_time > draft.start_time:
        return []
    return [
        ValidationError(
            f"The end time ({draft.end_time:%H:%M}) must be after the start time "
            f"({draft.start_time:%H:%M}).",
            field="end_time",
        )
    ]


def _link_errors(draft: AppointmentDraft, ctype: ContactType) -> list[ValidationError]:
    errors: list[ValidationError] = []
    if ctype.location == "required" and not draft.location_code:
        errors.append(
            ValidationError(f"Choose a location for '{ctype.description}'.", field="location_code")
        )
    if not ctype.person_level and draft.event_id is None:
        errors.append(
            ValidationError(
                f"Choose the event (sentence) this '{ctype.description}' is for.",
                field="event_id",
            )
        )
    if draft.requirement_id is not None and draft.licence_condition_id is not None:
        errors.append(
            ValidationError(
                "Link the appointment to a requirement or a licence condition, not both.",
                field="requirement_id",
            )
        )
    elif (draft.requirement_id or draft.licence_condition_id) and draft.event_id is None:
        errors.append(
            ValidationError(
                "Choose the event the requirement or licence condition belongs to.",
                field="event_id",
            )
        )
    return errors


def _outcome_errors(draft: AppointmentDraft, today: dt.date) -> list[ValidationError]:
    if draft.outcome_code is None:
        if draft.date < today:
            return [
                ValidationError(
                    "This appointment is in the past: record what happened (its outcome).",
                    field="outcome_code",
                )
            ]
        return []
    allowed = {o.code: o for o in allowed_outcomes(draft.type_code)}
    outcome = allowed.get(draft.outcome_code)
    if outcome is None:
        return [
            ValidationError(
                f"'{draft.outcome_code}' is not an outcome for this type of appointment.",
                field="outcome_code",
            )
        ]
    if draft.date > today and not outcome.acceptable_absence:
        return [
            ValidationError(
                "An appointment in the future can only have an acceptable absence recorded "
                "in advance.",
                field="outcome_code",
            )
        ]
    return []


def _day_warnings(draft: AppointmentDraft) -> list[str]:
    warnings: list[str] = []
    day = f"{draft.date:%A} {draft.date.day} {draft.date:%B %Y}"
    if is_weekend(draft.date):
        warnings.append(f"{day} is a weekend.")
    holiday = bank_holiday_name(draft.date)
    if holiday is not None:
        warnings.append(f"{day} is a bank holiday ({holiday}).")
    for label, moment in (("start", draft.start_time), ("end", draft.end_time)):
        if not time_exists(draft.date, moment):
            warnings.append(
                f"The {label} time {moment:%H:%M} does not exist on {day}: the clocks go "
                "forward an hour at 01:00."
            )
    return warnings


def _clash_warnings(
    draft: AppointmentDraft, diary: Iterable[Contact], names: Mapping[str, str]
) -> list[str]:
    start = dt.datetime.combine(draft.date, draft.start_time)
    end = dt.datetime.combine(draft.date, draft.end_time)
    warnings: list[str] = []
    for other in sorted(_same_day_appointments(draft.date, diary), key=_start_of):
        other_start = _start_of(other)
        other_end = dt.datetime.combine(other.date, other.end_time or _time_of(other))
        when = f"{other_start:%H:%M}"
        if other.end_time is not None:
            when += f"-{other_end:%H:%M}"
        who = f"{names[other.crn]}, {other.crn}" if other.crn in names else other.crn
        when += f" ({who})"
        if start < other_end and other_start < end:
            warnings.append(f"Overlaps another appointment at {when}.")
        elif _gap_minutes(start, end, other_start, other_end) < CLASH_GAP_MINUTES:
            warnings.append(f"Less than an hour from another appointment at {when}.")
    return warnings


def clashes(day: dt.date, start: dt.time, end: dt.time, diary: Iterable[Contact]) -> bool:
    """Whether a slot overlaps, or comes within an hour of, an appointment in `diary`."""
    draft = AppointmentDraft(type_code="", date=day, start_time=start, end_time=end)
    return bool(_clash_warnings(draft, diary, {}))


def _gap_minutes(
    start: dt.datetime, end: dt.datetime, other_start: dt.datetime, other_end: dt.datetime
) -> int:
    if other_end <= start:
        return elapsed_minutes(other_end, start)
    return elapsed_minutes(end, other_start)


def _same_day_appointments(day: dt.date, diary: Iterable[Contact]) -> list[Contact]:
    rows: list[Contact] = []
    for contact in diary:
        if contact.date != day or contact.start_time is None:
            continue
        outcome = _lookup.outcome_or_none(contact.outcome_code)
        if outcome is not None and outcome.rescheduled:
            continue  # the slot moved to another appointment
        ctype = _lookup.contact_type_or_none(contact.type_code)
        if ctype is not None and ctype.attendance:
            rows.append(contact)
    return rows


def _time_of(contact: Contact) -> dt.time:
    assert contact.start_time is not None
    return contact.start_time


def _start_of(contact: Contact) -> dt.datetime:
    return dt.datetime.combine(contact.date, _time_of(contact))
