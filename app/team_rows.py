"""Screen rows of team work: the team caseload, covers and alerts (frozen, Qt-free)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.rules.compliance import CompliancePicture
from storage.cover import CoverItem
from storage.queries.alerts import AlertItem

# The screens show the domain's compliance picture as it is (plain words and counts).
Compliance = CompliancePicture


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


# A cover this laptop holds (its period, reason and cases), as the team screen lists it.
CoverRow = CoverItem


# An alert as the inbox lists it: the storage row is already what the screen shows.
AlertRow = AlertItem
