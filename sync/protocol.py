"""The wire protocol between the desktop client and the central case service.

Versioned request/response models shared by `sync` (client) and `central`
(server). Every request carries `protocol_version`; a server that no longer
speaks a client's version answers with the `upgrade_required` action and the
client keeps its outbox.

Invariants (DESIGN.md): push is exactly-once per (client_id, seq); pull is
paged and resumable by an opaque cursor; cases entering scope arrive as whole
snapshots, cases leaving scope are listed in `evicted`; per-case checksums let
the client detect drift.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PrivateAttr
from pydantic_core import to_json

# The wire protocol's version; a change an older client cannot read raises it (the server
# then answers that client "upgrade_required", and it keeps its outbox). History:
# 1: the first slice (persons to registrations, contacts).
# 2: the record kinds "document", "rosh" and "photo" (cache migrations m013, m014): a
#    client of protocol 1 that predates them refuses every page carrying one as malformed
#    and never syncs again, where it should be told to update (docs/sync.md "Versions").
PROTOCOL_VERSION = 2
MAX_PUSH_BATCH = 500
MAX_PULL_LIMIT = 5_000
MAX_RESULTS_RANGE = 5_000

RecordKind = Literal[
    "person",
    "address",
    "event",
    "requirement",
    "licence_condition",
    "contact",
    "registration",
    "document",
    "rosh",
    "photo",
]
RECORD_KINDS: tuple[str, ...] = RecordKind.__args__  # type: ignore[attr-defined]


class WireModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MutationEnvelope(WireModel):
    """One queued change: `seq` is the client's own gap-free sequence number."""

    seq: int = Field(ge=1)
    id: UUID
    name: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1)
    args: dict[str, Any]
    created_at: datetime


class PushRequest(WireModel):
    protocol_version: int
    client_id: UUID
    mutations: list[MutationEnvelope] = Field(max_length=MAX_PUSH_BATCH)


class FieldConflict(WireModel):
    """A field changed centrally since the version the officer's edit was based on."""

    kind: RecordKind
    record_id: UUID
    field: str
    original: Any = None
    yours: Any = None
    central: Any = None
    # Who made the central change and when (the record's last writer), so the officer
    # can tell a colleague's change from their own on another laptop.
    changed_by: str | None = None
    changed_by_name: str | None = None
    changed_at: datetime | None = None


ResultStatus = Literal["applied", "conflict", "rejected"]


class MutationResult(WireModel):
    seq: int
    status: ResultStatus
    code: str | None = None
    message: str | None = None
    conflicts: list[FieldConflict] = []


ActionKind = Literal["reset", "upgrade_required", "wipe"]


class ServerAction(WireModel):
    """Something the client must do before anything else."""

    kind: ActionKind
    message: str


class PushResponse(WireModel):
    protocol_version: int
    last_applied_seq: int
    results: list[MutationResult]
    action: ServerAction | None = None


class ResultsRequest(WireModel):
    """Ask for the stored results of seqs `after_seq`+1 .. `up_to_seq` (POST /v1/sync/results).

    Added to protocol 1 without a version change (an older client never asks; a newer
    client told 404 by an older server re-sends those seqs instead, which the server
    answers from the same stored results). A laptop asks when a push answer's
    `last_applied_seq` is beyond the batch it sent: the server applied seqs whose
    answers were lost (a dropped connection, a process killed between a pipelined
    batch's commit on the server and the laptop recording the one before).
    """

    protocol_version: int
    client_id: UUID
    after_seq: int = Field(ge=0, le=2**62)  # within a database's 64-bit integer
    up_to_seq: int = Field(ge=1, le=2**62)


class StoredResult(WireModel):
    """One applied seq's stored result and the id of the mutation it was for, so the
    laptop can tell its own change from another one under the same seq (a profile
    restored from a backup or copied from another laptop). `mutation_id` is None when
    the change was refused for reusing another change's id (`duplicate_mutation_id`)."""

    mutation_id: UUID | None
    result: MutationResult


class ResultsResponse(WireModel):
    """At most MAX_RESULTS_RANGE results, in seq order, none beyond `last_applied_seq`;
    the laptop asks again from the last one for more."""

    protocol_version: int
    last_applied_seq: int
    results: list[StoredResult]


class RecordChange(WireModel):
    """A record as the server now holds it (`deleted` = tombstone, `data` None)."""

    kind: RecordKind
    id: UUID
    crn: str
    version: int
    deleted: bool = False
    data: dict[str, Any] | None = None

    @property
    def has_data(self) -> bool:
        return self.data is not None

    @property
    def data_json(self) -> str | None:
        """`data` as the cache stores it: compact JSON text (a page received keeps the
        server's text instead, sync/pull_page.py)."""
        return None if self.data is None else to_json(self.data).decode()


class CaseSnapshot(WireModel):
    """Every record of one case, sent when the case enters the officer's scope."""

    crn: str
    records: list[RecordChange]
    checksum: str


class PullRequest(WireModel):
    """Ask for the next page. `held_cases` lists the CRNs the client holds, so the server
    can send snapshots for cases entering scope and evict cases leaving it even when an
    earlier answer was lost on the way."""

    protocol_version: int
    client_id: UUID
    cursor: str | None = None
    held_cases: list[str] = Field(default=[], max_length=20_000)
    limit: int = Field(default=1000, ge=1, le=MAX_PULL_LIMIT)


class PullResponse(WireModel):
    protocol_version: int
    snapshots: list[CaseSnapshot] = []
    changes: list[RecordChange] = []
    evicted: list[str] = []
    checksums: dict[str, str] = {}
    cursor: str
    has_more: bool
    last_applied_seq: int
    action: ServerAction | None = None
    # The answer's bytes as the client received them (never sent, never in the schema):
    # a pull from scratch stages them before applying (storage/stage.py) rather than
    # serialising the page again.
    _body: bytes | None = PrivateAttr(default=None)


class CaseRequest(WireModel):
    """Re-fetch one case whose checksum drifted."""

    protocol_version: int
    client_id: UUID
    crn: str


class Problem(WireModel):
    """The body of every 4xx/5xx answer: a stable code and a message a developer can act on."""

    code: str
    message: str
    action: ServerAction | None = None


class SearchResult(WireModel):
    """One case a national search found (GET /v1/search), as the officer may see it."""

    crn: str
    name: str
    date_of_birth: date
    team: str | None
    offender_manager: str | None
    in_caseload: bool  # the officer's own case or one they pinned


class SearchResponse(WireModel):
    results: list[SearchResult]
    truncated: bool  # more cases matched than were sent: the officer should narrow it


# --- document bytes (docs/documents.md): content-addressed, chunked, resumable -------
DOCUMENT_CHUNK_BYTES = 1 << 20  # an upload's chunks; the last may be shorter


class UploadStart(WireModel):
    """Announce the bytes of a document (POST /v1/documents/uploads)."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=1)
    media_type: str = Field(max_length=120)


class UploadStatus(WireModel):
    """How much of a document the server holds: the next chunk starts at `received_bytes`;
    `complete` once every byte arrived and the SHA-256 and the type were checked."""

    sha256: str
    size: int
    received_bytes: int
    complete: bool


def case_checksum(records: Iterable[tuple[str, UUID | str, int]]) -> str:
    """Checksum of a case as (kind, id, version) triples; both sides compute it alike."""
    digest = hashlib.sha256()
    for kind, record_id, version in sorted((k, str(i), v) for k, i, v in records):
        digest.update(f"{kind}:{record_id}:{version}\n".encode())
    return digest.hexdigest()[:32]


# --- team work: the team caseload, cover for a colleague (central/team.py, central/covers.py)


class ComplianceCounts(WireModel):
    """A case's compliance picture (its event needing action most), as
    `domain.rules.compliance.CompliancePicture` counts it over the last 12 months."""

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


class TeamCase(WireModel):
    """One case of the team. A Limited Access case the officer may not see carries only
    its CRN, its offender manager and `withheld` (the message shown instead of it)."""

    crn: str
    staff_code: str | None
    offender_manager: str | None
    name: str | None = None
    tier: str | None = None
    risk: str | None = None
    next_appointment: datetime | None = None  # Europe/London wall-clock, no zone
    next_appointment_type: str | None = None
    compliance: ComplianceCounts | None = None
    open_alerts: int = 0
    withheld: str | None = None


class TeamOfficer(WireModel):
    staff_code: str
    name: str
    username: str | None
    cases: int
    covered_by: str | None = None  # the colleague covering them now, by name


class TeamCaseload(WireModel):
    """`GET /v1/team/caseload`: every case of the signed-in officer's team."""

    team_code: str
    team_name: str
    as_of: datetime
    officers: list[TeamOfficer]
    cases: list[TeamCase]


class CoverRequest(WireModel):
    """`POST /v1/covers`: cover a colleague's cases from `starts_at` to `ends_at`;
    `visits_only` takes just the cases with an appointment in that period."""

    protocol_version: int
    id: UUID
    staff_code: str = Field(pattern=r"^[A-Z0-9]{7}$")
    starts_at: AwareDatetime  # instants: a zone-less time would mean different things
    ends_at: AwareDatetime
    reason: str = Field(min_length=1, max_length=200)
    visits_only: bool = False


class CoverGrant(WireModel):
    """A cover as the server holds it: the cases it brings onto the covering laptop."""

    id: UUID
    staff_code: str
    colleague: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    visits_only: bool
    crns: list[str]
    ended_at: datetime | None = None


class CoverList(WireModel):
    covers: list[CoverGrant]
