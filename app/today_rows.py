"""The rows of the Today list and the visit briefing: frozen, ready to show or print.

Everything is already in words (the risk that matters at the door, what is outstanding)
so the list, the briefing page and a screen reader say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    name: str
    relationship: str
    phone: str
    flags: tuple[str, ...]  # "Child (aged 6)", "Victim"
    lives_there: bool


@dataclass(frozen=True, slots=True)
class RecentContact:
    date: dt.date
    start_time: dt.time | None
    type_text: str
    outcome_text: str
    notes: str  # the first lines only: a briefing is a page


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One appointment of the day with the risk that matters at the door."""

    contact_id: str
    crn: str
    name: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    type_code: str
    type_text: str
    is_home_visit: bool
    place: str  # the address for a home visit, the office (or "Telephone") otherwise
    phone: str
    access_notes: str
    household: tuple[HouseholdMember, ...]
    staff_risk: tuple[str, ...]  # Risk to Staff, each with its notes: read first
    rosh: str  # "High RoSH: High to known adult; Medium to children, public"
    who_at_risk: str
    mappa: str  # "MAPPA level 2, category 1", or ""
    flags: tuple[str, ...]  # ViSOR, domestic abuse, child concerns and protection, weapons
    restraining_orders: tuple[str, ...]
    conditions: tuple[str, ...]  # licence conditions / requirements bearing on the visit
    outstanding: tuple[str, ...]
    outcome_text: str  # "" until the visit has an outcome
    lone_working: str  # "Going: back by 15:30", "Back safe at 15:10", ""
    lone_overdue: bool
    waiting_to_send: bool
    # Issue 21 (team work) marks a colleague's case the officer covers today.
    is_cover: bool = False

    @property
    def risk_text(self) -> str:
        """The row's risk in one line, most important first (the list's Risk column)."""
        parts = [*(f"RISK TO STAFF: {s}" for s in self.staff_risk), self.rosh, self.mappa]
        return "; ".join(p for p in (*parts, *self.flags) if p)


@dataclass(frozen=True, slots=True)
class BriefingPage:
    """One visit's briefing page: the row, plus what only the printed page carries."""

    visit: VisitRow
    photo: bytes | None
    identity: tuple[tuple[str, str], ...]  # (label, value): CRN, date of birth, ...
    rosh_levels: tuple[tuple[str, str], ...]  # (group, level)
    rosh_summary: tuple[tuple[str, str], ...]  # (heading, text): nature, when, ...
    other_conditions: tuple[str, ...]  # active conditions and requirements not on the row
    recent: tuple[RecentContact, ...]


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: dt.date
    rows: tuple[VisitRow, ...]
    pages: tuple[BriefingPage, ...] = ()  # filled only when a briefing was asked for


@dataclass(frozen=True, slots=True)
class Briefing:
    """A briefing ready to print: the pages and who produced it, when."""

    day: dt.date
    officer: str
    produced_at: dt.datetime
    pages: tuple[BriefingPage, ...]
