"""Failures to comply, when enforcement must be reviewed, and compliance in plain words.

The count follows the national system: distinct dates with a non-compliant
outcome on national-standards contacts of the event, since the later of the
sentence start and the end of the last breach. Two failures on one day are one
failure. While a breach is in progress new failures do not add to the count
(the court already has the matter). Above the sentence type's limit within its
window (policy: 12 months) a "review enforcement status" task is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from domain.contacts import Contact
from domain.reference import reference
from domain.rules import _lookup
from domain.rules.enforcement import afta_evidence_due
from domain.sentences import Event

StatusKind = Literal["breach", "review", "evidence_overdue", "awaiting_evidence", "failures", "ok"]


def _counting_from(event: Event) -> dt.date | None:
    """First date a failure can count from (None when there is no sentence yet)."""
    if event.sentence is None:
        return None
    start = event.sentence.start_date
    if event.last_breach_end is not None and event.last_breach_end >= start:
        # A failure on the day the breach ended was part of that breach.
        return event.last_breach_end + dt.timedelta(days=1)
    return start


def _is_failure(contact: Contact) -> bool:
    outcome = _lookup.outcome_or_none(contact.outcome_code)
    if outcome is not None:
        return outcome.complied is False
    return contact.outcome_code is not None and contact.complied is False


def _national_standards(contact: Contact) -> bool:
    ctype = _lookup.contact_type_or_none(contact.type_code)
    return ctype is not None and ctype.national_standards


def failure_dates(
    event: Event, contacts: Iterable[Contact], *, since: dt.date | None = None
) -> list[dt.date]:
    """Distinct dates (ascending) of failures to comply that count against the event."""
    start = _counting_from(event)
    if start is None or event.breach_in_progress:
        return []
    if since is not None:
        start = max(start, since)
    dates = {
        c.date
        for c in contacts
        if c.event_id == event.id and c.date >= start and _national_standards(c) and _is_failure(c)
    }
    return sorted(dates)


def failure_to_comply_count(event: Event, contacts: Iterable[Contact]) -> int:
    """Failures to comply that count on this event (0 while a breach is in progress)."""
    return len(failure_dates(event, contacts))


def _window_start(event: Event, today: dt.date) -> dt.date:
    months = _ftc_rule(event)[1]
    year_ago: dt.date = today - relativedelta(months=months)
    return year_ago + dt.timedelta(days=1)


def _ftc_rule(event: Event) -> tuple[int, int]:
    if event.sentence is None:
        return 2, 12
    stype = _lookup.sentence_type(event.sentence.type_code)
    return stype.ftc_limit, stype.ftc_window_months


def enforcement_review_due(event: Event, contacts: Iterable[Contact], *, today: dt.date) -> bool:
    """True when the failures within the sentence type's window exceed its limit."""
    if event.sentence is None or event.breach_in_progress:
        return False
    limit = _ftc_rule(event)[0]
    recent = failure_dates(event, contacts, since=_window_start(event, today))
    return len([d for d in recent if d <= today]) > limit


@dataclass(frozen=True, slots=True)
class ComplianceSummary:
    """Compliance on one event in plain words, for one place on screen."""

    failures_to_comply: int
    window_months: int
    attended: int
    acceptable_absences: int
    unacceptable_absences: int
    failed_to_attend: int
    failed_to_comply_when_attended: int
    awaiting_evidence: int
    evidence_overdue: int
    rescheduled_by_person: int
    rescheduled_by_service: int
    status: str
    status_kind: StatusKind

    @property
    def failures_text(self) -> str:
        n = self.failures_to_comply
        noun = "failure" if n == 1 else "failures"
        return f"{n} {noun} to comply in the last {self.window_months} months"

    @property
    def absences_text(self) -> str:
        return (
            f"{self.acceptable_absences} acceptable and "
            f"{self.unacceptable_absences} unacceptable absences"
        )

    @property
    def pattern_text(self) -> str:
        """Failed to attend vs failed to comply vs rescheduled, the pattern officers look for."""
        rescheduled = self.rescheduled_by_person + self.rescheduled_by_service
        return (
            f"{self.failed_to_attend} failed to attend, "
            f"{self.failed_to_comply_when_attended} attended but failed to comply, "
            f"{rescheduled} rescheduled ({self.rescheduled_by_person} at their request)"
        )


@dataclass
class _Tally:
    attended: int = 0
    acceptable: int = 0
    unacceptable: int = 0
    failed_to_attend: int = 0
    failed_when_attended: int = 0
    awaiting: int = 0
    overdue: int = 0
    resched_person: int = 0
    resched_service: int = 0

    def add(self, contact: Contact, today: dt.date) -> None:
        outcome = _lookup.outcome_or_none(contact.outcome_code)
        if outcome is None:
            return
        if outcome.rescheduled:
            if outcome.code == "RSOF":
                self.resched_person += 1
            else:
                self.resched_service += 1
        elif outcome.holding:
            self.awaiting += 1
            self.overdue += afta_evidence_due(contact.date) < today
        elif outcome.acceptable_absence:
            self.acceptable += 1
        elif outcome.attended is False:
            self.unacceptable += outcome.complied is False
            self.failed_to_attend += outcome.complied is False
        elif outcome.attended:
            self.attended += 1
            self.failed_when_attended += outcome.complied is False


def compliance_summary(
    event: Event, contacts: Iterable[Contact], *, today: dt.date
) -> ComplianceSummary:
    """Counts over the sentence type's window (12 months) up to `today`, and a status line."""
    rows = [c for c in contacts if c.event_id == event.id]
    window_from = _window_start(event, today)
    tally = _Tally()
    for contact in rows:
        if window_from <= contact.date <= today and _is_appointment(contact):
            tally.add(contact, today)
    failures = [d for d in failure_dates(event, rows, since=window_from) if d <= today]
    kind, status = _status(event, rows, today, len(failures), tally)
    return ComplianceSummary(
        failures_to_comply=len(failures),
        window_months=_ftc_rule(event)[1],
        attended=tally.attended,
        acceptable_absences=tally.acceptable,
        unacceptable_absences=tally.unacceptable,
        failed_to_attend=tally.failed_to_attend,
        failed_to_comply_when_attended=tally.failed_when_attended,
        awaiting_evidence=tally.awaiting,
        evidence_overdue=tally.overdue,
        rescheduled_by_person=tally.resched_person,
        rescheduled_by_service=tally.resched_service,
        status=status,
        status_kind=kind,
    )


def _is_appointment(contact: Contact) -> bool:
    ctype = _lookup.contact_type_or_none(contact.type_code)
    return ctype is not None and ctype.attendance


def _status(
    event: Event, rows: list[Contact], today: dt.date, failures: int, tally: _Tally
) -> tuple[StatusKind, str]:
    if event.breach_in_progress:
        return "breach", "Breach in progress"
    if enforcement_review_due(event, rows, today=today):
        return "review", "Review enforcement"
    if tally.overdue:
        return "evidence_overdue", "Evidence overdue: record the outcome"
    if tally.awaiting:
        return "awaiting_evidence", "Waiting for evidence of an absence"
    if failures:
        noun = "failure" if failures == 1 else "failures"
        return "failures", f"{failures} {noun} to comply"
    return "ok", "Compliant"


# --- the compliance picture: nDelius's compliance summary, per event ---------------------

WARNING_LETTERS = frozenset({"EA02", "EA03", "LCL"})
# Breach actions this close together belong to one breach (a breach letter, then the
# breach laid); a later one is a new breach.
SAME_BREACH_DAYS = 28


@dataclass(frozen=True, slots=True)
class CompliancePicture:
    """Compliance on one event over the sentence type's window (12 months), counted as
    nDelius's compliance summary counts it, with what needs doing in plain words."""

    acceptable_absences: int = 0
    unacceptable_absences: int = 0
    awaiting_evidence: int = 0
    evidence_overdue: int = 0
    attended_failed_to_comply: int = 0
    outcomes_not_recorded: int = 0
    rescheduled_by_staff: int = 0
    rescheduled_by_person: int = 0
    warning_letters: int = 0
    breach_in_progress: bool = False
    previous_breaches: int = 0
    failures_to_comply: int = 0
    failure_limit: int = 2
    window_months: int = 12

    @property
    def failures_text(self) -> str:
        return f"{self.failures_to_comply} of {self.failure_limit}"

    @property
    def needs_action(self) -> str:
        """One plain line for a list: what to do, or "Nothing due"."""
        if self.breach_in_progress and not self.actions:
            return "Breach in progress"
        return "; ".join(self.actions) if self.actions else "Nothing due"

    @property
    def over_limit(self) -> bool:
        return self.failures_to_comply > self.failure_limit

    @property
    def actions(self) -> tuple[str, ...]:
        """What the officer should do, most pressing first (empty: nothing)."""
        found = []
        if self.over_limit and not self.breach_in_progress:
            found.append("Review enforcement")
        if self.evidence_overdue:
            found.append("Evidence overdue")
        if self.outcomes_not_recorded:
            n = self.outcomes_not_recorded
            found.append(f"{n} outcome{'s' if n != 1 else ''} to record")
        return tuple(found)

    @property
    def action_score(self) -> int:
        """Higher needs action sooner: the order an SPO sorts the team by."""
        return (
            1000 * (self.over_limit and not self.breach_in_progress)
            + 100 * self.evidence_overdue
            + 10 * self.outcomes_not_recorded
            + 5 * self.awaiting_evidence
            + self.failures_to_comply
        )

    def lines(self) -> list[tuple[str, str]]:
        """Each count with its label, in the order the national summary lists them."""
        breaches = "Yes" if self.breach_in_progress else "No"
        return [
            ("Acceptable absences", str(self.acceptable_absences)),
            ("Unacceptable absences", str(self.unacceptable_absences)),
            ("Absences awaiting evidence", str(self.awaiting_evidence)),
            ("Attended but failed to comply", str(self.attended_failed_to_comply)),
            ("Outcomes not recorded", str(self.outcomes_not_recorded)),
            ("Rescheduled by staff", str(self.rescheduled_by_staff)),
            ("Rescheduled by the person", str(self.rescheduled_by_person)),
            ("Warning letters sent", str(self.warning_letters)),
            ("Breach in progress", breaches),
            ("Previous breaches", str(self.previous_breaches)),
            ("Failures to comply", f"{self.failures_text} allowed"),
        ]


@dataclass
class _Picture:
    acceptable: int = 0
    unacceptable: int = 0
    awaiting: int = 0
    overdue: int = 0
    failed_attended: int = 0
    not_recorded: int = 0
    by_staff: int = 0
    by_person: int = 0
    letters: int = 0
    breach_dates: list[dt.date] | None = None

    def appointment(self, contact: Contact, today: dt.date) -> None:
        outcome = _lookup.outcome_or_none(contact.outcome_code)
        if outcome is None:
            self.not_recorded += contact.outcome_code is None and contact.date < today
        elif outcome.rescheduled:
            self.by_person += outcome.code == "RSOF"
            self.by_staff += outcome.code != "RSOF"
        elif outcome.holding:
            self.awaiting += 1
            self.overdue += afta_evidence_due(contact.date) < today
        elif outcome.acceptable_absence:
            self.acceptable += 1
        elif outcome.attended is False and outcome.complied is False:
            self.unacceptable += 1
        elif outcome.attended and outcome.complied is False:
            self.failed_attended += 1

    def enforcement(self, contact: Contact) -> None:
        code = contact.enforcement_code
        if code is None:
            return
        self.letters += code in WARNING_LETTERS
        action = reference().enforcement_actions.get(code)
        if action is not None and action.starts_breach:
            self.breach_dates = [*(self.breach_dates or []), contact.date]


def _breaches(dates: list[dt.date]) -> int:
    """Breach actions grouped into breaches (actions within SAME_BREACH_DAYS are one)."""
    count, last = 0, None
    for day in sorted(dates):
        if last is None or (day - last).days > SAME_BREACH_DAYS:
            count += 1
        last = day
    return count


def compliance_picture(
    event: Event, contacts: Iterable[Contact], *, today: dt.date
) -> CompliancePicture:
    """The event's compliance summary over its window, up to and including `today`.

    Appointments (attendance contacts) are counted by outcome; an appointment dated
    before today with no outcome is "not recorded". Warning letters and breach actions
    are counted from the enforcement recorded on any of the event's contacts. Previous
    breaches are the breaches begun in the window, less the one still in progress.
    """
    rows = [c for c in contacts if c.event_id == event.id]
    window_from = _window_start(event, today)
    tally = _Picture()
    for contact in rows:
        if not window_from <= contact.date <= today:
            continue
        if _is_appointment(contact):
            tally.appointment(contact, today)
        tally.enforcement(contact)
    breaches = _breaches(tally.breach_dates or [])
    if event.breach_in_progress:
        breaches = max(breaches - 1, 0)
    elif (
        breaches == 0 and event.last_breach_end is not None and event.last_breach_end >= window_from
    ):
        breaches = 1
    limit, months = _ftc_rule(event)
    failures = [d for d in failure_dates(event, rows, since=window_from) if d <= today]
    return CompliancePicture(
        acceptable_absences=tally.acceptable,
        unacceptable_absences=tally.unacceptable,
        awaiting_evidence=tally.awaiting,
        evidence_overdue=tally.overdue,
        attended_failed_to_comply=tally.failed_attended,
        outcomes_not_recorded=tally.not_recorded,
        rescheduled_by_staff=tally.by_staff,
        rescheduled_by_person=tally.by_person,
        warning_letters=tally.letters,
        breach_in_progress=event.breach_in_progress,
        previous_breaches=breaches,
        failures_to_comply=len(failures),
        failure_limit=limit,
        window_months=months,
    )
