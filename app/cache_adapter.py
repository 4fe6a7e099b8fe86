"""The `CaseCache` port over the encrypted cache in `storage/`.

One instance per thread (its own SQLCipher connection). Storage's rows are mapped
onto the screen rows of `app.rows`; requirement progress and the Risk tab's
review dates come from the shared domain rules over the case's records.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any
from uuid import UUID

from app.changes import ATTENTION, CASELOAD, OUTBOX, ChangeSet
from app.drafts import Draft, DraftKey
from app.rows import (
    Attention,
    CaseDetail,
    CaseloadPage,
    CaseloadRow,
    ConflictRow,
    ContactFilter,
    ContactPage,
    DiaryRow,
    DraftItem,
    RejectionRow,
    SearchHit,
)
from app.rows_mapping import (
    PROGRESS_CATEGORIES,
    caseload_row,
    contact_row,
    detail_from_overview,
    diary_row,
    mutation_words,
)
from storage import drafts
from storage.queries import caseload as caseload_q
from storage.queries import contacts as contacts_q
from storage.queries import problems
from storage.queries import search as search_q

# The first screen after an unlock is the caseload, and this module is imported for it
# (app/backend.py `AFTER_UNLOCK`). What only the case view, the forms and the writes use
# is imported where it is used: `storage.records` (the mutation semantics, via
# `domain.semantics`), `storage.write` (`domain.mutations`): ~0.1 s of imports with the
# semantics; `storage.queries.case`. tests/app/test_startup_imports.py keeps it so.
if TYPE_CHECKING:
    from app.document_adapter import StorageDocuments
    from app.today_rows import DayPlan
    from domain.actor import Actor
    from domain.contacts import Contact
    from domain.letters.kit import LetterKit
    from domain.mutations import MutationArgs
    from domain.semantics import RecordKind, StoredRecord
    from storage.db import CacheDb
    from storage.queries.rows import ConflictItem


class StorageCache:
    def __init__(
        self,
        cdb: CacheDb,
        actor: Actor,
        clock: Callable[[], dt.datetime],
        *,
        owns_connection: bool = True,
    ) -> None:
        self.cdb = cdb
        self.actor = actor
        self._clock = clock
        self._owns = owns_connection

    def _now(self) -> dt.datetime:
        return self._clock()

    def _today(self) -> dt.date:
        return self._clock().astimezone().date()

    # -- reads ----------------------------------------------------------------
    def _covered(self) -> frozenset[str]:
        """Cases held for a running cover: their rows say so (storage/cover.py)."""
        from storage.cover import covered_crns

        return covered_crns(self.cdb, self._now())

    def caseload_page(self, *, offset: int, limit: int) -> CaseloadPage:
        query = caseload_q.CaseloadQuery(offset=offset, limit=limit)
        page = caseload_q.caseload(self.cdb, query, today=self._today(), now=self._now())
        covered = self._covered()
        rows = tuple(caseload_row(i, is_cover=i.crn in covered) for i in page.rows)
        return CaseloadPage(rows, offset, page.total)

    def caseload_rows(self, crns: Collection[str]) -> tuple[CaseloadRow, ...]:
        found = caseload_q.caseload_rows(self.cdb, crns, today=self._today(), now=self._now())
        covered = self._covered()
        return tuple(caseload_row(i, is_cover=i.crn in covered) for i in found)

    def case_detail(self, crn: str, *, today: dt.date) -> CaseDetail | None:
        from storage import records
        from storage.queries.case import case_overview

        overview = case_overview(self.cdb, crn, today=today)
        if overview is None:
            return None
        data = {
            kind: [json.loads(r["data"]) for r in records.case_rows(self.cdb, crn, kind)]
            for kind in ("requirement", "registration")
        }
        tracked = {
            r["id"]
            for r in data["requirement"]
            if r.get("category_code") in PROGRESS_CATEGORIES and not r.get("termination_date")
        }
        if tracked:  # only contacts counted towards RAR days or unpaid-work hours
            marks = ", ".join("?" * len(tracked))  # the indexed column: no other contact parsed
            rows = self.cdb.query(
                f"SELECT data FROM contact WHERE crn = ? AND requirement_id IN ({marks})"  # noqa: S608
                " ORDER BY seq",
                (crn, *sorted(tracked)),
            )
            data["contact"] = [json.loads(r["data"]) for r in rows]
        return detail_from_overview(overview, data, today=today, offices=self.office_names())

    def contact_page(
        self, crn: str, filters: ContactFilter, *, offset: int, limit: int
    ) -> ContactPage:
        query = contacts_q.ContactQuery(
            type_code=filters.type_code,
            appointments_only=filters.appointments_only,
            sensitive_only=filters.sensitive_only,
            text=filters.text,
        )
        page = contacts_q.contact_page(self.cdb, crn, query, offset=offset, limit=limit)
        offices = self.office_names()
        rows = tuple(contact_row(c, offices) for c in page.rows)
        return ContactPage(rows, page.offset, page.total)

    def diary(self, start: dt.date, end: dt.date) -> list[DiaryRow]:
        staff, covered = self.actor.staff_code, self._covered()
        found = contacts_q.diary(self.cdb, start, end, staff_code=staff, covered=covered)
        offices = self.office_names()
        return [diary_row(d, offices, is_cover=d.crn in covered) for d in found]

    def needs_outcome(self, *, today: dt.date) -> list[DiaryRow]:
        covered = self._covered()
        found = contacts_q.needs_outcome(self.cdb, now=self._now())
        offices = self.office_names()
        return [diary_row(d, offices, is_cover=d.crn in covered) for d in found]

    def day_plan(self, day: dt.date, *, pages: bool) -> DayPlan:
        from app.today_mapping import day_plan
        from storage.queries.today import day_facts

        facts = day_facts(self.cdb, self.actor.staff_code or "", day, with_photos=pages)
        return day_plan(facts, day, self._now(), pages=pages)

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        from storage import records

        return records.CacheReader(self.cdb).case_records(crn, kind)

    def diary_contacts(self, start: dt.date, end: dt.date) -> list[Contact]:
        staff = self.actor.staff_code
        if staff is None:
            return []
        from storage import records

        return records.CacheReader(self.cdb).diary(staff, start, end)

    def search(self, text: str, *, limit: int) -> list[SearchHit]:
        return [
            SearchHit(r.crn, r.name, r.date_of_birth, r.detail, True)
            for r in search_q.search(self.cdb, text, limit=limit)
        ]

    def attention(self) -> Attention:
        conflicts = tuple(self._conflict(c) for c in problems.open_conflicts(self.cdb))
        rejections = tuple(
            RejectionRow(
                id=r.id,
                crn=r.crn,
                what=f"{mutation_words(r.name)} ({r.crn})",
                reason=r.message,
                officer_text=_officer_text(r.args),
                created_at=r.created_at,
            )
            for r in problems.open_rejections(self.cdb)
        )
        return Attention(conflicts, rejections, drafts=self._drafts())

    def _drafts(self) -> tuple[DraftItem, ...]:
        """Unsaved drafts, so none is forgotten until the same form reopens."""
        rows = drafts.every(self.cdb)
        names = {r.crn: r.name for r in self.caseload_rows({d.crn for d in rows})}
        return tuple(DraftItem(d.kind, d.crn, names.get(d.crn, ""), d.saved_at) for d in rows)

    def _conflict(self, item: ConflictItem) -> ConflictRow:
        from app.conflict_rows import conflict_row
        from storage import records

        first = item.fields[0] if item.fields else {}
        kind = str(first.get("kind", ""))
        record_id = str(first.get("record_id", ""))
        held = records.get_row(self.cdb, kind, record_id) if kind and record_id else None
        person = next((r.name for r in self.caseload_rows([item.crn])), "")
        return conflict_row(
            item,
            kind=kind,
            record_id=record_id,
            central_version=int(held["version"]) if held else 0,
            person=person,
            me=self.actor.username,
        )

    # -- writes (run on the app's single writer thread) -------------------------
    def _apply(self, name: str, args: MutationArgs | dict[str, Any]) -> ChangeSet:
        from storage.write import apply_local_mutation

        change = apply_local_mutation(
            self.cdb, name, args, actor=self.actor, today=self._today(), now=self._now()
        )
        return ChangeSet.of(change.cases, change.kinds | {OUTBOX})

    def apply(self, name: str, args: MutationArgs) -> ChangeSet:
        if name == "pin_case":
            return self._keep(args).merge(ChangeSet.of(kinds=[CASELOAD]))
        return self._apply(name, args)

    def _keep(self, args: MutationArgs) -> ChangeSet:
        """The keep, and its lapse by this laptop's clock, in one transaction."""
        from domain.mutations import PinCase
        from storage import kept

        with self.cdb.atomic():
            changes = self._apply("pin_case", args)
            if isinstance(args, PinCase):
                until = self._now() + dt.timedelta(days=kept.KEEP_DAYS)
                kept.record(self.cdb, args.crn, args.reason or "other", args.reason_text, until)
        return changes

    def resolve_conflict(
        self, conflict_id: str, name: str, args: MutationArgs, *, log: MutationArgs | None = None
    ) -> ChangeSet:
        with self.cdb.atomic():
            changes = self._apply(name, args)
            if log is not None:
                changes = changes.merge(self._apply("record_contact", log))
            problems.close_conflict(self.cdb, conflict_id, at=self._now())
        return changes.merge(ChangeSet.of(kinds=[ATTENTION]))

    def retry_rejection(self, rejection_id: str) -> ChangeSet:
        found = [r for r in problems.open_rejections(self.cdb) if r.id == rejection_id]
        if not found:
            return ChangeSet.of(kinds=[ATTENTION])
        with self.cdb.atomic():
            changes = self._apply(found[0].name, found[0].args)
            problems.dismiss_rejection(self.cdb, rejection_id, at=self._now())
        return changes.merge(ChangeSet.of(kinds=[ATTENTION]))

    def discard_rejection(self, rejection_id: str) -> ChangeSet:
        with self.cdb.atomic():
            problems.dismiss_rejection(self.cdb, rejection_id, at=self._now())
        return ChangeSet.of(kinds=[ATTENTION, OUTBOX])

    # -- case-work forms ---------------------------------------------------------
    def record(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        from storage import records

        return records.CacheReader(self.cdb).get(kind, record_id)

    def office_names(self) -> dict[str, str]:
        from storage.local import office_names

        return office_names(self.cdb)

    def letter_kit(self) -> LetterKit:
        from storage.letters import load_kit

        return load_kit(self.cdb)

    def type_usage(self) -> dict[str, int]:
        return contacts_q.type_usage(self.cdb, self.actor.staff_code)

    def documents(self) -> StorageDocuments:
        from app.document_adapter import StorageDocuments

        return StorageDocuments(self.cdb, self.actor, self._clock)

    # -- drafts ------------------------------------------------------------------
    def save_draft(self, key: DraftKey, values: dict[str, Any], *, at: dt.datetime) -> None:
        drafts.save(self.cdb, key.kind, key.crn, key.contact_id, values, at=at)

    def load_draft(self, key: DraftKey) -> Draft | None:
        row = drafts.load(self.cdb, key.kind, key.crn, key.contact_id)
        return None if row is None else Draft(key, row.data, row.saved_at)

    def discard_draft(self, key: DraftKey) -> None:
        drafts.discard(self.cdb, key.kind, key.crn, key.contact_id)

    def close(self) -> None:
        """Close the connection if it is ours (a shared one is closed by its owner)."""
        if self._owns:
            self.cdb.close()


def _officer_text(args: dict[str, Any]) -> str:
    """What the officer typed, so it can be copied even though the change was refused."""
    for key in ("notes", "text", "reason"):
        value = args.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return json.dumps(args, indent=1, sort_keys=True, default=str)
