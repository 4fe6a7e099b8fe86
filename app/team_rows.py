"""Screen rows of team work: the team caseload, covers and alerts (frozen, Qt-free)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Compliance:
    """A case's compliance picture in the national summary's terms (last 12 months)."""

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
    actions: tuple[str, ...] = ()
    action_score: int = 0

    @property
    def needs_action(self) -> str:
        """One plain line for a list: what to do, or "Nothing due"."""
        if self.breach_in_progress and not self.actions:
            return "Breach in progress"
        return "; ".join(self.actions) if self.actions else "Nothing due"

    @property
    def failures_text(self) -> str:
        return f"{self.failures_to_comply} of {self.failure_limit}"

    def lines(self) -> list[tuple[str, str]]:
        """Label and value, in the national compliance summary's order."""
        return [
            ("Acceptable absences", str(self.acceptable_absences)),
            ("Unacceptable absences", str(self.unacceptable_absences)),
            ("Absences awaiting evidence", str(self.awaiting_evidence)),
            ("Attended but failed to comply", str(self.attended_failed_to_comply)),
            ("Outcomes not recorded", str(self.outcomes_not_recorded)),
            ("Rescheduled by staff", str(self.rescheduled_by_staff)),
            ("Rescheduled by the person", str(self.rescheduled_by_person)),
            ("Warning letters sent", str(self.warning_letters)),
            ("Breach in progress", "Yes" if self.breach_in_progress else "No"),
            ("Previous breaches", str(self.previous_breaches)),
            ("Failures to comply", f"{self.failures_text} allowed"),
        ]


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One case of the team. `withheld` (Limited Access) means only the CRN, the offender
    manager and the message are known; every other field is empty."""

    crn: str
    offender_manager: str
    staff_code: str
    name: str = ""
    tier: str = ""
    risk: str = ""
    next_appointment: dt.datetime | None = None
    next_appointment_type: str = ""
    compliance: Compliance | None = None
    open_alerts: int = 0
    withheld: str = ""
    on_this_laptop: bool = False

    @property
    def action_score(self) -> int:
        return self.compliance.action_score if self.compliance else -1

    @property
    def search_text(self) -> str:
        return f"{self.name} {self.crn} {self.offender_manager} {self.tier} {self.risk}".casefold()


@dataclass(frozen=True, slots=True)
class TeamOfficerRow:
    staff_code: str
    name: str
    cases: int
    covered_by: str = ""
    is_me: bool = False


@dataclass(frozen=True, slots=True)
class TeamAnswer:
    """The team caseload and where it came from: the server now, or the copy kept here."""

    team_name: str
    as_of: dt.datetime
    officers: tuple[TeamOfficerRow, ...]
    rows: tuple[TeamRow, ...]
    offline_note: str = ""


@dataclass(frozen=True, slots=True)
class CoverRow:
    id: str
    staff_code: str
    colleague: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    visits_only: bool
    cases: int


@dataclass(frozen=True, slots=True)
class AlertRow:
    contact_id: str
    crn: str
    name: str
    date: dt.date
    type_text: str
    notes: str
    recorded_by: str
    waiting_to_send: bool = False
