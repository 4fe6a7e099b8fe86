"""In-memory stand-ins for the cache and the session backend (synthetic people only).

They implement the app's ports (`app.ports.CaseCache`, `app.session.SessionBackend`)
so the app layer and the widgets can be tested without storage or a server.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from app.changes import OUTBOX, ChangeSet
from app.context import AppContext, Officer
from app.drafts import Draft, DraftKey
from app.ports import CaseCache
from app.rows import (
    Attention,
    CaseDetail,
    CaseloadPage,
    CaseloadRow,
    ConflictRow,
    ContactFilter,
    ContactPage,
    ContactRow,
    DiaryRow,
    FieldChoice,
    Progress,
    RegistrationRow,
    RejectionRow,
    RiskBadge,
    SearchHit,
    SentenceRow,
)
from app.session import Policy
from app.today_rows import DayPlan
from domain.contacts import Contact
from domain.errors import FieldcaseError
from domain.letters.kit import LetterKit
from domain.mutations import MutationArgs
from domain.semantics import RecordKind, StoredRecord

FIRST = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arthur", "Ivy", "Jack"]
LAST = ["Hughes", "Patel", "Evans", "Khan", "Roberts", "Walker", "Wright", "Ahmed", "Lewis"]
RISKS = [
    RiskBadge("Very High RoSH", "red", "rosh"),
    RiskBadge("High RoSH", "red", "rosh"),
    RiskBadge("Medium RoSH", "amber", "rosh"),
    RiskBadge("Low RoSH", "green", "rosh"),
    None,
]
TODAY = dt.date(2026, 11, 20)
_CONTACTS = uuid5(NAMESPACE_URL, "https://fieldcase.invalid/tests/fake-contacts")


def contact_id(crn: str, i: int) -> str:
    """A fake contact's id: a real UUID (the forms parse it), the same on every call."""
    return str(uuid5(_CONTACTS, f"{crn}/{i}"))


def caseload_rows(n: int) -> list[CaseloadRow]:
    rows = []
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        rows.append(
            CaseloadRow(
                crn=f"X{100000 + i:06d}",
                name=name,
                tier="B2" if i % 3 else "A1",
                risk=RISKS[i % len(RISKS)],
                sentence="ORA Community Order" if i % 2 else "Licence",
                next_appointment=dt.datetime(2026, 11, 23, 10, 0) + dt.timedelta(hours=i),
                last_contact=TODAY - dt.timedelta(days=i % 30),
                compliance="Compliant" if i % 4 else "1 failure to comply in the last 12 months",
                waiting_to_send=i % 7 == 0,
            )
        )
    return rows


def contacts_for(crn: str, n: int) -> list[ContactRow]:
    return [
        ContactRow(
            id=contact_id(crn, i),
            crn=crn,
            date=TODAY - dt.timedelta(days=i),
            start_time=dt.time(9 + i % 8, 0),
            type_code="CHVS" if i % 2 else "COAP",
            type_text="Home Visit to Case (NS)" if i % 2 else "Planned Office Visit (NS)",
            outcome_text="Attended and complied" if i % 5 else "Unacceptable absence",
            notes=f"Discussed progress at visit {i}." + (" Housing concern." if i % 3 == 0 else ""),
            sensitive=i % 10 == 0,
            waiting_to_send=i == 0,
            is_appointment=True,
        )
        for i in range(n)
    ]


def contact_record(row: ContactRow, *, version: int = 1) -> StoredRecord:
    """The stored record behind a fake contact-log row (what a form reads)."""
    contact = Contact(
        id=UUID(row.id),
        crn=row.crn,
        type_code=row.type_code,
        date=row.date,
        start_time=row.start_time,
        end_time=(dt.datetime.combine(row.date, row.start_time) + dt.timedelta(minutes=30)).time()
        if row.start_time
        else None,
        outcome_code=None
        if row.outcome_text in ("", "Booked")
        else _OUTCOME_CODES.get(row.outcome_text, "ATTC"),
        notes=row.notes,
        sensitive=row.sensitive,
    )
    return StoredRecord("contact", contact.id, row.crn, version, contact.model_dump(mode="json"))


_OUTCOME_CODES = {"Attended and complied": "ATTC", "Unacceptable absence": "UAAB"}


def detail_for(row: CaseloadRow, contacts: list[ContactRow]) -> CaseDetail:
    badges = (
        RiskBadge("Risk to staff", "red", "staff"),
        row.risk or RiskBadge("No RoSH level recorded", "white", "rosh"),
        RiskBadge("MAPPA level 2, category 1", "amber", "mappa"),
        RiskBadge("Domestic abuse perpetrator", "amber", "other"),
    )
    return CaseDetail(
        crn=row.crn,
        name=row.name,
        date_of_birth=dt.date(1990, 5, 17),
        age=36,
        tier=row.tier,
        badges=badges,
        next_appointment=row.next_appointment,
        compliance=(row.compliance, "No unacceptable absences", "2 reschedules (service)"),
        progress=(
            Progress("RAR days", 8, 20, "days", scheduled=2),
            Progress("Unpaid work hours", 42.5, 120, "hours"),
        ),
        sentence_summary=f"{row.sentence}, 12 months from 3 March 2026",
        last_contacts=tuple(contacts[:5]),
        sentences=(
            SentenceRow(
                1,
                "Theft from a shop",
                row.sentence,
                dt.date(2026, 3, 3),
                dt.date(2027, 3, 2),
                ("RAR 20 days", "Unpaid work 120 hours"),
            ),
        ),
        registrations=tuple(
            RegistrationRow(b, dt.date(2026, 3, 10), dt.date(2026, 12, 10)) for b in badges
        ),
        personal=(("Mobile", "07700 900123"), ("Main address", "12 Example Road, Leeds LS1 1AA")),
        waiting_to_send=1,
    )


@dataclass
class FakeCache:
    """A thread-safe in-memory cache; records every applied mutation."""

    rows: list[CaseloadRow] = field(default_factory=lambda: caseload_rows(30))
    contacts_per_case: int = 120
    applied: list[tuple[str, MutationArgs]] = field(default_factory=list)
    attention_items: Attention = field(default_factory=Attention)
    national_hits: list[SearchHit] = field(default_factory=list)
    offices: dict[str, str] = field(default_factory=dict)  # the letter kit's, code -> name
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    records: dict[tuple[RecordKind, UUID], StoredRecord] = field(default_factory=dict)
    usage: dict[str, int] = field(default_factory=lambda: {"COAP": 40, "CHVS": 12, "CTOB": 5})
    drafts: dict[DraftKey, Draft] = field(default_factory=dict)
    rows_asked: list[frozenset[str]] = field(default_factory=list)  # caseload_rows calls
    pages_asked: list[int] = field(default_factory=list)  # caseload_page offsets

    def office_names(self) -> dict[str, str]:
        return dict(self.offices)

    def letter_kit(self) -> LetterKit:
        return LetterKit()

    def caseload_page(self, *, offset: int, limit: int) -> CaseloadPage:
        with self.lock:
            self.pages_asked.append(offset)
        ordered = sorted(self.rows, key=lambda r: (r.name.split()[-1], r.name))
        return CaseloadPage(tuple(ordered[offset : offset + limit]), offset, len(ordered))

    def caseload_rows(self, crns: Collection[str]) -> tuple[CaseloadRow, ...]:
        with self.lock:
            self.rows_asked.append(frozenset(crns))
        return tuple(r for r in self.rows if r.crn in crns)

    def _row(self, crn: str) -> CaseloadRow | None:
        return next((r for r in self.rows if r.crn == crn), None)

    def case_detail(self, crn: str, *, today: dt.date) -> CaseDetail | None:
        row = self._row(crn)
        if row is None:
            return None
        return detail_for(row, contacts_for(crn, self.contacts_per_case))

    def contact_page(
        self, crn: str, filters: ContactFilter, *, offset: int, limit: int
    ) -> ContactPage:
        rows = contacts_for(crn, self.contacts_per_case)
        text = filters.text.casefold()
        rows = [
            r
            for r in rows
            if (not text or text in f"{r.notes} {r.type_text}".casefold())
            and (not filters.sensitive_only or r.sensitive)
            and (filters.type_code is None or r.type_code == filters.type_code)
        ]
        return ContactPage(tuple(rows[offset : offset + limit]), offset, len(rows))

    def day_plan(self, day: dt.date, *, pages: bool) -> DayPlan:
        return DayPlan(day, ())

    def diary(self, start: dt.date, end: dt.date) -> list[DiaryRow]:
        out = []
        for i, row in enumerate(self.rows[:12]):
            day = start + dt.timedelta(days=i % ((end - start).days + 1))
            out.append(
                DiaryRow(
                    f"d{i}",
                    row.crn,
                    row.name,
                    day,
                    dt.time(9 + i % 8),
                    dt.time(10 + i % 8),
                    "Planned Office Visit (NS)",
                    "Leeds Probation Office",
                    "",
                )
            )
        return out

    def needs_outcome(self, *, today: dt.date) -> list[DiaryRow]:
        return [
            replace(d, date=today - dt.timedelta(days=10 - i))
            for i, d in enumerate(self.diary(today, today)[:4])
        ]

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        """Records added with `add_record`, and for contacts the fake contact log too."""
        held = [r for (k, _), r in self.records.items() if k == kind and r.crn == crn]
        if kind == "contact" and self._row(crn) is not None:
            ids = {r.id for r in held}
            rows = contacts_for(crn, self.contacts_per_case)
            held += [contact_record(c) for c in rows if UUID(c.id) not in ids]
        return held

    # -- what the case-work forms read ----------------------------------------------
    def add_record(self, record: StoredRecord) -> None:
        with self.lock:
            self.records[(record.kind, record.id)] = record

    def record(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        held = self.records.get((kind, record_id))
        if held is not None or kind != "contact":
            return held
        for row in self.rows:  # a contact of the fake log: its record is made on demand
            for contact in contacts_for(row.crn, self.contacts_per_case):
                if contact.id == str(record_id):
                    return contact_record(contact)
        return None

    def type_usage(self) -> dict[str, int]:
        return dict(self.usage)

    # -- drafts ------------------------------------------------------------------------
    def save_draft(self, key: DraftKey, values: dict[str, Any], *, at: dt.datetime) -> None:
        with self.lock:
            self.drafts[key] = Draft(key, dict(values), at)

    def load_draft(self, key: DraftKey) -> Draft | None:
        return self.drafts.get(key)

    def discard_draft(self, key: DraftKey) -> None:
        with self.lock:
            self.drafts.pop(key, None)

    def diary_contacts(self, start: dt.date, end: dt.date) -> list[Contact]:
        return []

    def search(self, text: str, *, limit: int) -> list[SearchHit]:
        needle = text.casefold()
        return [
            SearchHit(r.crn, r.name, dt.date(1990, 5, 17), r.sentence, True)
            for r in self.rows
            if needle in r.search_text
        ][:limit]

    def attention(self) -> Attention:
        return self.attention_items

    def apply(self, name: str, args: MutationArgs) -> ChangeSet:
        with self.lock:
            self.applied.append((name, args))
        crn = getattr(args, "crn", "")
        return ChangeSet.of([crn] if crn else [], [OUTBOX])

    def resolve_conflict(
        self, conflict_id: str, name: str, args: MutationArgs, *, log: MutationArgs | None = None
    ) -> ChangeSet:
        self.apply(name, args)
        if log is not None:
            self.apply("record_contact", log)
        self.attention_items = replace(
            self.attention_items,
            conflicts=tuple(c for c in self.attention_items.conflicts if c.id != conflict_id),
        )
        return ChangeSet.of(kinds=["attention", OUTBOX])

    def retry_rejection(self, rejection_id: str) -> ChangeSet:
        return self._drop_rejection(rejection_id, retried=True)

    def discard_rejection(self, rejection_id: str) -> ChangeSet:
        return self._drop_rejection(rejection_id, retried=False)

    def _drop_rejection(self, rejection_id: str, *, retried: bool) -> ChangeSet:
        with self.lock:
            if retried:
                self.applied.append(("retry", rejection_id))  # type: ignore[arg-type]
        self.attention_items = replace(
            self.attention_items,
            rejections=tuple(r for r in self.attention_items.rejections if r.id != rejection_id),
        )
        return ChangeSet.of(kinds=["attention", OUTBOX])

    def close(self) -> None:
        self.closed = True


def _conforms(cache: FakeCache) -> CaseCache:
    """mypy checks here that the fake still has every method of the port."""
    return cache


def sample_attention() -> Attention:
    at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    conflict = ConflictRow(
        id="k1",
        crn="X100001",
        what="Contact details (X100001)",
        kind="person",
        record_id="00000000-0000-4000-8000-000000000001",
        central_version=7,
        fields=(
            FieldChoice(
                "mobile", "07700 900001", "07700 900002", "07700 900003", label="Mobile number"
            ),
            FieldChoice(
                "email",
                "o.h@example.invalid",
                "oh2@example.invalid",
                "oh3@example.invalid",
                label="Email address",
            ),
        ),
        created_at=at,
        person="Oliver Hughes",
        changed_by="you, on another laptop",
        changed_at=at,
    )
    rejection = RejectionRow(
        id="r1",
        crn="X100002",
        what="Contact recorded for Isla Hughes on 18 November",
        reason="This case was transferred to another officer before your note arrived.",
        officer_text="Home visit: discussed housing, all well.",
        created_at=at,
    )
    return Attention((conflict,), (rejection,), ("The server was busy; retrying in 2 minutes.",))


@dataclass
class FakeNationalSearch:
    """National search as the server would answer it, or failing as the network would."""

    hits: list[SearchHit] = field(default_factory=list)
    error: Exception | None = None
    asked: list[str] = field(default_factory=list)

    def search(self, text: str, *, limit: int) -> list[SearchHit]:
        self.asked.append(text)
        if self.error is not None:
            raise self.error
        needle = text.casefold()
        return [h for h in self.hits if needle in h.name.casefold()][:limit]


@dataclass
class FakeBackend:
    """A session backend with scripted behaviour for sign-in, unlock and first sync."""

    cache: FakeCache = field(default_factory=FakeCache)
    password: str = "correct horse"
    cached: bool = False
    synced: bool = False
    pending: int = 0
    last_sync: dt.datetime | None = None
    policy: Policy = field(default_factory=Policy)
    total_pages: int = 5
    pages_done: int = 0
    page_gate: threading.Event | None = None
    signed_out: bool = False
    locked: bool = False
    national: FakeNationalSearch | None = None

    def has_cache(self) -> bool:
        return self.cached

    def remembered_user(self) -> str:
        return "officer1"

    def _check(self, password: str) -> tuple[Officer, Policy]:
        if password != self.password:
            raise FieldcaseError("That password is not right. Try again.", title="Wrong password")
        return Officer("officer1", "Sam Officer", "N07A001"), self.policy

    def sign_in(self, server_url: str, username: str, password: str) -> tuple[Officer, Policy]:
        result = self._check(password)
        self.cached = True
        return result

    def unlock(self, username: str, password: str) -> tuple[Officer, Policy]:
        return self._check(password)

    def first_sync_done(self) -> bool:
        return self.synced

    def first_sync(
        self, on_progress: Callable[[int, int], None], cancelled: threading.Event
    ) -> None:
        while self.pages_done < self.total_pages:
            if cancelled.is_set():
                return
            if self.page_gate is not None:
                self.page_gate.wait(5)
                self.page_gate.clear()
            self.pages_done += 1
            on_progress(self.pages_done, self.total_pages)
        self.synced = True

    def last_successful_sync(self) -> dt.datetime | None:
        return self.last_sync

    def pending_count(self) -> int:
        return self.pending

    def open_context(self, officer: Officer) -> AppContext:
        return AppContext(lambda: self.cache, officer, national=self.national)

    def lock(self) -> None:
        self.locked = True

    def sign_out(self) -> None:
        self.signed_out = True
