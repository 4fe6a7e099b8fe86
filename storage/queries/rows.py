"""The frozen rows storage hands to app/ (which maps them onto its screen rows).

Frozen so a row passed to a worker or a view can never change under it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RiskFlag:
    """Highest risk as words AND colour (colour alone is lost on a printout)."""

    text: str
    colour: str
    group: str


@dataclass(frozen=True, slots=True)
class CaseloadItem:
    crn: str
    name: str
    tier: str
    risk: RiskFlag | None
    sentence: str
    next_appointment: dt.datetime | None
    last_contact: dt.date | None
    compliance: str
    waiting_to_send: bool


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    offset: int
    total: int


@dataclass(frozen=True, slots=True)
class ContactItem:
    id: str
    crn: str
    date: dt.date
    start_time: dt.time | None
    type_code: str
    type_text: str
    outcome_code: str | None
    outcome_text: str
    notes: str
    sensitive: bool
    alert: bool
    is_appointment: bool
    national_standards: bool
    requirement_id: str | None
    version: int
    waiting_to_send: bool
    location_code: str = ""


@dataclass(frozen=True, slots=True)
class DiaryItem:
    contact_id: str
    crn: str
    name: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    type_text: str
    location_code: str
    outcome_text: str
    version: int
    waiting_to_send: bool


@dataclass(frozen=True, slots=True)
class SearchResult:
    crn: str
    name: str
    date_of_birth: dt.date | None
    detail: str


@dataclass(frozen=True, slots=True)
class ConflictItem:
    id: str
    seq: int
    crn: str
    name: str
    args: dict[str, Any]
    fields: tuple[dict[str, Any], ...]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RejectionItem:
    id: str
    seq: int
    crn: str
    name: str
    args: dict[str, Any]
    code: str | None
    message: str
    created_at: dt.datetime
