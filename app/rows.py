"""The frozen rows the screens show: the app layer's read contract with `ui/`.

Every query a screen makes returns these, so a view model never holds anything a
worker thread could change, and the widgets never learn how the cache stores
things. The cache's own rows are mapped onto these in `app/usecases/`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Colour = Literal["red", "amber", "green", "white"]


@dataclass(frozen=True, slots=True)
class RiskBadge:
    """One risk flag as shown: always text AND colour, never colour alone."""

    text: str
    colour: Colour
    group: str = "other"
    review_due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    crn: str
    name: str
    tier: str
    risk: RiskBadge | None
    sentence: str
    next_appointment: dt.datetime | None
    last_contact: dt.date | None
    compliance: str
    waiting_to_send: bool = False
    is_cover: bool = False  # on this laptop because the officer covers a colleague

    @property
    def search_text(self) -> str:
        """What the caseload filter matches against (name, CRN, tier, sentence, risk)."""
        risk = self.risk.text if self.risk else ""
        return f"{self.name} {self.crn} {self.tier} {self.sentence} {risk}".casefold()


@dataclass(frozen=True, slots=True)
class CaseloadPage:
    rows: tuple[CaseloadRow, ...]
    offset: int
    total: int

    @property
    def complete(self) -> bool:
        return self.offset + len(self.rows) >= self.total or not self.rows


@dataclass(frozen=True, slots=True)
class CaseloadUpdate:
    """The caseload rows of the cases a change touched: `rows` for those still held
    (changed, or new to the caseload), and the asked-for cases with no row, `gone`."""

    asked: frozenset[str]
    rows: tuple[CaseloadRow, ...]

    @property
    def gone(self) -> frozenset[str]:
        return self.asked - {r.crn for r in self.rows}


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: str
    crn: str
    date: dt.date
    start_time: dt.time | None
    type_code: str
    type_text: str
    outcome_text: str
    notes: str
    sensitive: bool = False
    alert: bool = False
    waiting_to_send: bool = False
    is_appointment: bool = False
    place: str = ""  # the office's name (its code if unknown here); "" when there is none


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """What the contact log shows; `text` is full-text search over notes and type."""

    text: str = ""
    type_code: str | None = None
    appointments_only: bool = False
    sensitive_only: bool = False


@dataclass(frozen=True, slots=True)
class ContactPage:
    rows: tuple[ContactRow, ...]
    offset: int
    total: int


@dataclass(frozen=True, slots=True)
class Progress:
    """Completed (and booked) against ordered, in the requirement's own units."""

    label: str
    done: float
    ordered: float
    units: str
    scheduled: float = 0.0


@dataclass(frozen=True, slots=True)
class SentenceRow:
    event_number: int
    offence: str
    sentence: str
    start_date: dt.date | None
    expected_end: dt.date | None
    requirements: tuple[str, ...] = ()
    licence_conditions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    badge: RiskBadge
    registered_on: dt.date
    next_review: dt.date | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """Everything the case view shows on opening (the contact log pages separately)."""

    crn: str
    name: str
    date_of_birth: dt.date
    age: int
    tier: str
    badges: tuple[RiskBadge, ...]
    limited_access: str = ""
    next_appointment: dt.datetime | None = None
    next_place: str = ""  # where the next appointment is, in words
    compliance: tuple[str, ...] = ()
    progress: tuple[Progress, ...] = ()
    sentence_summary: str = ""
    last_contacts: tuple[ContactRow, ...] = ()
    sentences: tuple[SentenceRow, ...] = ()
    registrations: tuple[RegistrationRow, ...] = ()
    personal: tuple[tuple[str, str], ...] = ()
    waiting_to_send: int = 0


@dataclass(frozen=True, slots=True)
class DiaryRow:
    contact_id: str
    crn: str
    name: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    type_text: str
    location: str
    outcome_text: str
    waiting_to_send: bool = False
    is_cover: bool = False  # a colleague's case this officer covers (Today, the diary)


@dataclass(frozen=True, slots=True)
class SearchHit:
    crn: str
    name: str
    date_of_birth: dt.date | None
    detail: str
    on_this_laptop: bool


@dataclass(frozen=True, slots=True)
class FieldChoice:
    """One field of a conflict: the officer picks one of the three values."""

    field: str
    original: Any
    yours: Any
    central: Any
    label: str = ""  # the field in words ("Phone number")
    original_known: bool = True  # False: this laptop no longer knows the value before


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """A field-level clash on one record; resolving it sends a new mutation."""

    id: str
    crn: str
    what: str
    kind: str
    record_id: str
    central_version: int
    fields: tuple[FieldChoice, ...]
    created_at: dt.datetime
    person: str = ""  # the person's name, as on their case
    changed_by: str = ""  # who made the central change: a name, or "you, on another laptop"
    changed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class RejectionRow:
    id: str
    crn: str
    what: str
    reason: str
    officer_text: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DraftItem:
    """An unsaved form kept on this laptop: which form, whose case, when last typed."""

    kind: str
    crn: str
    person: str
    saved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Attention:
    conflicts: tuple[ConflictRow, ...] = ()
    rejections: tuple[RejectionRow, ...] = ()
    sync_errors: tuple[str, ...] = field(default=())
    drafts: tuple[DraftItem, ...] = ()

    @property
    def count(self) -> int:
        return len(self.conflicts) + len(self.rejections) + len(self.sync_errors)
