"""Documents on the demo's synthetic cases: a report (PDF) and a letter (DOCX) each.

Synthetic text only (no names: the CRN, dates and stock wording), made by
`central.seed.document_files`; bytes stored as an upload would leave them (chunks,
checked complete), records in the change feed like every other seeded record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from sqlalchemy import Connection, insert

from central.documents.store import SqlChunkStore
from central.seed.document_files import make_docx, make_pdf
from central.tables import document_blobs, records
from central.versions import reserve_versions
from domain.documents import DOCX, PDF, Document
from sync.protocol import DOCUMENT_CHUNK_BYTES

SEED_ACTOR = "seed"
_NAMESPACE = uuid.UUID("8a3f2c56-3d2e-4c39-9a43-6f1f7d4c9e10")

_REPORT = (
    "Pre-sentence report (synthetic demo document)",
    "Case reference {crn}. Prepared {day}.",
    "Offence analysis: the offence was committed on impulse; responsibility accepted.",
    "Assessment of risk: factors include accommodation and employment.",
    "Proposal: community order with a rehabilitation activity requirement.",
)
_LETTER = (
    "Appointment letter (synthetic demo document)",
    "Case reference {crn}.",
    "Please attend your probation office on {day} at 10:00.",
    "If you cannot attend, telephone the office before the appointment.",
)


def seed_documents(
    conn: Connection,
    caseloads: dict[str, list[str]],
    *,
    per_officer: int,
    rng: random.Random,
    today: dt.date,
    now: dt.datetime,
) -> int:
    """Give the first `per_officer` cases of each caseload two documents; returns how
    many records were written."""
    made: list[tuple[Document, bytes]] = []
    for crns in caseloads.values():
        for crn in crns[:per_officer]:
            day = today - dt.timedelta(days=rng.randint(3, 400))
            fill = {"crn": crn, "day": day.strftime("%d %B %Y")}
            report = make_pdf([line.format(**fill) for line in _REPORT])
            letter = make_docx([line.format(**fill) for line in _LETTER])
            for name, kind, content in (
                ("Pre-sentence report.pdf", PDF, report),
                ("Appointment letter.docx", DOCX, letter),
            ):
                made.append((_document(crn, name, kind, content, day), content))
    if not made:
        return 0
    store = SqlChunkStore()
    for document, content in made:
        _store_bytes(conn, store, document, content, now)
    first = reserve_versions(conn, len(made))
    conn.execute(
        insert(records),
        [
            {
                "id": str(d.id),
                "kind": "document",
                "crn": d.crn,
                "version": first + n,
                "deleted": False,
                "data": d.model_dump(mode="json"),
                "field_versions": {},
                "updated_at": now,
                "updated_by": SEED_ACTOR,
            }
            for n, (d, _) in enumerate(made)
        ],
    )
    return len(made)


def _document(crn: str, name: str, kind: str, content: bytes, day: dt.date) -> Document:
    sha = hashlib.sha256(content).hexdigest()
    return Document(
        id=uuid.uuid5(_NAMESPACE, f"{crn}/{sha}"),
        crn=crn,
        name=name,
        media_type=kind,
        size=len(content),
        sha256=sha,
        added_on=day,
        added_by=SEED_ACTOR,
    )


def _store_bytes(
    conn: Connection, store: SqlChunkStore, document: Document, content: bytes, now: dt.datetime
) -> None:
    conn.execute(
        insert(document_blobs).values(
            sha256=document.sha256,
            size=document.size,
            media_type=document.media_type,
            received_bytes=document.size,
            complete=True,
            created_at=now,
            created_by=SEED_ACTOR,
        )
    )
    for number, start in enumerate(range(0, len(content), DOCUMENT_CHUNK_BYTES)):
        store.put(conn, document.sha256, number, content[start : start + DOCUMENT_CHUNK_BYTES])
