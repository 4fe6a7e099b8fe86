"""What the app layer needs from the cache, as a narrow Protocol.

The use cases speak only to this port; `app/cache_adapter.py` maps it onto
`storage/`, and tests use an in-memory fake. Each thread gets its own
`CaseCache` (its own SQLite connection), handed out by `AppContext.cache()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from app.changes import ChangeSet
from app.drafts import Draft, DraftKey
from app.rows import (
    Attention,
    CaseDetail,
    CaseloadPage,
    CaseloadRow,
    ContactFilter,
    ContactPage,
    DiaryRow,
    SearchHit,
)

if TYPE_CHECKING:  # annotations only: the domain's models and semantics load after unlock
    from app.document_ports import DocumentShelf
    from app.today_rows import DayPlan
    from domain.contacts import Contact
    from domain.letters.kit import LetterKit
    from domain.mutations import MutationArgs
    from domain.semantics import RecordKind, StoredRecord


class CaseCache(Protocol):
    """One thread's view of the encrypted cache."""

    def caseload_page(self, *, offset: int, limit: int) -> CaseloadPage:
        """One page of the caseload in name order; `total` counts every case."""
        ...

    def caseload_rows(self, crns: Collection[str]) -> tuple[CaseloadRow, ...]:
        """The caseload rows of just these cases, read set-based (not a query per case);
        a CRN not held (evicted, never arrived) has no row."""
        ...

    def case_detail(self, crn: str, *, today: dt.date) -> CaseDetail | None: ...

    def contact_page(
        self, crn: str, filters: ContactFilter, *, offset: int, limit: int
    ) -> ContactPage: ...

    def diary(self, start: dt.date, end: dt.date) -> list[DiaryRow]: ...

    def needs_outcome(self, *, today: dt.date) -> list[DiaryRow]: ...

    def day_plan(self, day: dt.date, *, pages: bool) -> DayPlan:
        """The officer's appointments on `day` with their risk at the door (app/today_rows);
        with `pages`, each visit's briefing page too (photo included)."""
        ...

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        """Every cached record of one kind in one case (what a form pre-fills from)."""
        ...

    def diary_contacts(self, start: dt.date, end: dt.date) -> list[Contact]:
        """The officer's cached appointments as domain contacts, for clash warnings."""
        ...

    def search(self, text: str, *, limit: int) -> list[SearchHit]: ...

    def attention(self) -> Attention: ...

    def office_names(self) -> dict[str, str]:
        """Location code -> office name, for the offices the letter kit brought."""
        ...

    def letter_kit(self) -> LetterKit:
        """The letter templates, offices and Welsh teams the central service last sent."""
        ...

    def apply(self, name: str, args: MutationArgs) -> ChangeSet:
        """Apply one mutation to the cache and queue it, in one transaction."""
        ...

    def resolve_conflict(
        self, conflict_id: str, name: str, args: MutationArgs, *, log: MutationArgs | None = None
    ) -> ChangeSet:
        """Apply the officer's choice as a new mutation, record `log` (the contact saying
        what was kept) and close the conflict, atomically."""
        ...

    def retry_rejection(self, rejection_id: str) -> ChangeSet:
        """Queue the rejected change again as a new mutation."""
        ...

    def discard_rejection(self, rejection_id: str) -> ChangeSet: ...

    def close(self) -> None: ...

    # -- what the case-work forms read ------------------------------------------------
    def record(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        """One held record with the version the officer's copy is at (a form's base)."""
        ...

    def type_usage(self) -> dict[str, int]:
        """Contacts per type recorded by this officer (the type picker's order)."""
        ...

    def documents(self) -> DocumentShelf:
        """The documents held in this cache (app/usecases/documents.py)."""
        ...

    # -- drafts: unsaved forms, local to this laptop, never synced -------------------
    def save_draft(self, key: DraftKey, values: dict[str, Any], *, at: dt.datetime) -> None: ...

    def load_draft(self, key: DraftKey) -> Draft | None: ...

    def discard_draft(self, key: DraftKey) -> None: ...


class DocumentFetcher(Protocol):
    """Brings one document's bytes to this laptop; needs the network (sync provides it)."""

    def fetch(self, document_id: str, sha256: str, size: int) -> bytes: ...


class NationalSearch(Protocol):
    """Search beyond the caseload; needs the network (the sync layer provides it)."""

    def search(self, text: str, *, limit: int) -> list[SearchHit]: ...
