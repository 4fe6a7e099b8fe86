"""Documents end to end: the real encrypted cache, the real central service, real HTTP.

Exactly once for bytes: a cut upload resumes from the last confirmed chunk, a lost
answer never stores a chunk twice, and the contact that refers to a document is never
applied on the server before the document has arrived whole and hash checked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from central.seed.document_files import make_pdf
from central.tables import document_blobs, document_chunks, records
from domain.documents import MB, PDF, DocumentRef
from domain.mutations import RecordContact
from storage import documents
from storage.document_text import extract
from sync.cache import EncryptedCache
from sync.client import SyncClient
from sync.documents import DocumentTransfers
from sync.errors import OfflineError
from sync.protocol import DOCUMENT_CHUNK_BYTES
from tests.sync.live import (
    Live,
    encrypted_cache,
    live_central,
    now,
    queue_local,
    record_contact_args,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str) -> Iterator[Live]:
    with live_central(database_url) as running:
        yield running


@contextmanager
def _synced(live: Live, folder: Path) -> Iterator[tuple[str, EncryptedCache, SyncClient]]:
    """An officer's laptop with the real encrypted cache, after its first sync."""
    officer = live.seed.officers[0]
    cache = encrypted_cache(folder, officer)
    laptop = live.laptop(officer, cache)
    try:
        laptop.sync()
        yield officer, cache, laptop
    finally:
        cache.close()


def _attach_with_contact(
    cache: EncryptedCache, live: Live, officer: str, crn: str, content: bytes
) -> tuple[str, str]:
    """What `record_contact_with_documents` does: returns (contact id, document id)."""
    from domain.semantics import Actor

    sha = documents.sha256_of(content)
    blob = documents.NewBlob(sha, PDF, content, extract(PDF, content))
    ref = DocumentRef(
        document_id=uuid.uuid4(),
        name="gp-letter.pdf",
        media_type=PDF,
        size=len(content),
        sha256=sha,
    )
    args = RecordContact.model_validate({**record_contact_args(crn), "documents": [ref]})
    actor = Actor(username=officer, staff_code=live.staff_code(officer), team_code=None)
    documents.attach(
        cache.db(), "record_contact", args, [blob], actor=actor, today=dt.date.today(), now=now()
    )
    return str(args.contact_id), str(ref.document_id)


def _on_server(live: Live, record_id: str) -> bool:
    with live.admin() as conn:
        return (
            conn.execute(select(records.c.id).where(records.c.id == record_id)).first() is not None
        )


def _chunks(live: Live, sha: str) -> int:
    with live.admin() as conn:
        return int(
            conn.execute(select(func.count()).where(document_chunks.c.sha256 == sha)).scalar_one()
        )


def _interrupting(
    monkeypatch: pytest.MonkeyPatch, cut: Callable[[int, int], str | None]
) -> list[int]:
    """Wrap each chunk's PUT: `cut(call, offset)` may say "before" (the connection drops
    before the chunk is sent) or "after" (it is stored, but the answer is lost)."""
    offsets: list[int] = []
    real = DocumentTransfers._put

    def put(self: DocumentTransfers, *args: Any) -> Any:
        offset = args[3]  # (sha256, size, media_type, offset, chunk)
        offsets.append(offset)
        when = cut(len(offsets), offset)
        if when == "before":
            raise OfflineError("connection cut")
        answer = real(self, *args)
        if when == "after":
            raise OfflineError("answer lost")
        return answer

    monkeypatch.setattr(DocumentTransfers, "_put", put)
    return offsets


def test_a_contact_and_its_document_reach_another_laptop(live: Live, tmp_path) -> None:
    officer = live.seed.officers[0]
    first = encrypted_cache(tmp_path / "a", officer)
    laptop = live.laptop(officer, first)
    try:
        laptop.sync()
        crn = sorted(first.pull_state().held_cases)[0]
        content = make_pdf(["Letter from the surgery", "Seen for a sprained ankle"])
        contact_id, document_id = _attach_with_contact(first, live, officer, crn, content)
        summary = laptop.sync()
        assert (summary.pending, summary.rejected) == (0, 0)
        assert _on_server(live, contact_id)
        assert _on_server(live, document_id)
        [row] = documents.case_documents(first.db(), crn)
        assert (row.sent, row.on_laptop) == (True, True)
    finally:
        first.close()
    second = encrypted_cache(tmp_path / "b", officer)
    try:
        summary = live.laptop(officer, second).sync()  # the keep policy brings this year's
        assert summary.refetched == 0  # both sides count the document records in checksums
        [row] = documents.case_documents(second.db(), crn)
        assert row.on_laptop
        assert documents.content(second.db(), row.sha256) == content
        from storage.queries.search import search

        assert [h.crn for h in search(second.db(), "sprained ankle")] == [crn]
    finally:
        second.close()


def test_a_cut_upload_resumes_and_the_contact_waits_while_small_changes_go(
    live: Live, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _synced(live, tmp_path / "p") as (officer, cache, laptop):
        crn, other = sorted(cache.pull_state().held_cases)[:2]
        content = make_pdf(["A scanned court order"], padding=3 * DOCUMENT_CHUNK_BYTES)
        sha = documents.sha256_of(content)
        contact_id, _ = _attach_with_contact(cache, live, officer, crn, content)
        later = record_contact_args(other, notes="Phoned after the visit")
        queue_local(cache, live, officer, "record_contact", later)
        offsets = _interrupting(monkeypatch, lambda call, _o: "before" if call == 3 else None)
        with pytest.raises(OfflineError):
            laptop.sync()
        assert _on_server(live, later["contact_id"])  # the small change went first
        assert not _on_server(live, contact_id)  # the contact waits for its document
        assert _chunks(live, sha) == 2
        assert documents.pending_uploads(cache.db())[0].sent_bytes == 2 * DOCUMENT_CHUNK_BYTES
        summary = laptop.sync()
        # In chunks: the third was cut before it was sent; the next sync resumed there.
        assert [o // DOCUMENT_CHUNK_BYTES for o in offsets] == [0, 1, 2, 2, 3]
        assert summary.pending == 0
        assert _on_server(live, contact_id)
        assert _chunks(live, sha) == -(-len(content) // DOCUMENT_CHUNK_BYTES)


def test_a_lost_answer_never_stores_the_bytes_twice(
    live: Live, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _synced(live, tmp_path / "p") as (officer, cache, laptop):
        crn = sorted(cache.pull_state().held_cases)[0]
        content = make_pdf(["A payslip"], padding=DOCUMENT_CHUNK_BYTES + 10)
        sha = documents.sha256_of(content)
        contact_id, _ = _attach_with_contact(cache, live, officer, crn, content)
        # The last chunk is stored and completes the document, but its answer is lost.
        _interrupting(monkeypatch, lambda call, _o: "after" if call == 2 else None)
        with pytest.raises(OfflineError):
            laptop.sync()
        assert not _on_server(live, contact_id)
        laptop.sync()
        assert _on_server(live, contact_id)
        assert _chunks(live, sha) == 2
        with live.admin() as conn:
            blobs = conn.execute(select(document_blobs).where(document_blobs.c.sha256 == sha))
            assert [(b.complete, b.received_bytes) for b in blobs] == [(True, len(content))]


def _http(live: Live, officer: str) -> httpx.Client:
    token = live.server.token(officer)
    return httpx.Client(
        base_url=live.server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def test_the_server_enforces_size_and_type_while_reading(live: Live) -> None:
    officer = live.seed.officers[0]
    with _http(live, officer) as http:
        big = {"sha256": "b" * 64, "size": 5 * MB + 1, "media_type": PDF}
        assert http.post("/v1/documents/uploads", json=big).status_code == 413
        exe = b"MZ\x90\x00" + bytes(100)
        start = {"sha256": documents.sha256_of(exe), "size": len(exe), "media_type": PDF}
        assert http.post("/v1/documents/uploads", json=start).json()["received_bytes"] == 0
        refused = http.put(f"/v1/documents/uploads/{start['sha256']}?offset=0", content=exe)
        assert (refused.status_code, refused.json()["code"]) == (415, "document_type_refused")
        pdf = make_pdf(["x"], padding=2 * DOCUMENT_CHUNK_BYTES)
        start = {"sha256": documents.sha256_of(pdf), "size": len(pdf), "media_type": PDF}
        http.post("/v1/documents/uploads", json=start)
        over = http.put(f"/v1/documents/uploads/{start['sha256']}?offset=0", content=pdf)
        assert over.status_code == 413  # more than a chunk: refused while reading
        ahead = http.put(
            f"/v1/documents/uploads/{start['sha256']}?offset={DOCUMENT_CHUNK_BYTES}",
            content=pdf[DOCUMENT_CHUNK_BYTES : 2 * DOCUMENT_CHUNK_BYTES],
        )
        assert (ahead.status_code, ahead.json()["code"]) == (409, "upload_offset")


def test_more_documents_than_the_policy_allows_is_refused_by_the_server(
    live: Live, tmp_path
) -> None:
    with _synced(live, tmp_path / "p") as (officer, cache, laptop):
        crn = sorted(cache.pull_state().held_cases)[0]
        files = [make_pdf([f"Page {n}"]) for n in range(6)]
        blobs = [documents.NewBlob(documents.sha256_of(f), PDF, f, "") for f in files]
        refs = [
            DocumentRef(
                document_id=uuid.uuid4(),
                name=f"{n}.pdf",
                media_type=PDF,
                size=len(f),
                sha256=b.sha256,
            )
            for n, (f, b) in enumerate(zip(files, blobs, strict=True))
        ]
        args = RecordContact.model_validate({**record_contact_args(crn), "documents": refs})
        from domain.semantics import Actor

        actor = Actor(username=officer, staff_code=live.staff_code(officer), team_code=None)
        documents.attach(
            cache.db(), "record_contact", args, blobs, actor=actor, today=dt.date.today(), now=now()
        )
        summary = laptop.sync()
        assert summary.rejected == 1
        assert not _on_server(live, str(args.contact_id))


def test_downloads_honour_ranges_and_scope(live: Live, tmp_path) -> None:
    officer, stranger = live.seed.officers[0], live.seed.officers[1]
    cache = encrypted_cache(tmp_path / "p", officer)
    laptop = live.laptop(officer, cache)
    try:
        laptop.sync()
        crn = sorted(cache.pull_state().held_cases)[0]
        content = make_pdf(["Pre-sentence report"], padding=DOCUMENT_CHUNK_BYTES)
        _, document_id = _attach_with_contact(cache, live, officer, crn, content)
        laptop.sync()
    finally:
        cache.close()
    path = f"/v1/documents/{document_id}/content"
    with _http(live, officer) as http:
        whole = http.get(path)
        assert (whole.status_code, whole.content) == (200, content)
        part = http.get(
            path, headers={"Range": f"bytes={DOCUMENT_CHUNK_BYTES - 5}-{DOCUMENT_CHUNK_BYTES + 4}"}
        )
        assert part.status_code == 206
        assert part.content == content[DOCUMENT_CHUNK_BYTES - 5 : DOCUMENT_CHUNK_BYTES + 5]
        assert part.headers["content-range"] == (
            f"bytes {DOCUMENT_CHUNK_BYTES - 5}-{DOCUMENT_CHUNK_BYTES + 4}/{len(content)}"
        )
    with _http(live, stranger) as http:
        assert http.get(path).status_code == 404  # another officer's case


def test_a_change_saved_during_a_long_upload_goes_between_its_chunks(
    live: Live, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_on_server: list[bool] = []
    with _synced(live, tmp_path / "p") as (officer, cache, laptop):
        crn, other = sorted(cache.pull_state().held_cases)[:2]
        content = make_pdf(["A long scan"], padding=3 * DOCUMENT_CHUNK_BYTES)
        contact_id, _ = _attach_with_contact(cache, live, officer, crn, content)
        meanwhile = record_contact_args(other, notes="Saved while the scan was sending")

        def cut(call: int, _offset: int) -> None:
            if call == 2:  # the officer saves a note while chunk 2 travels
                queue_local(cache, live, officer, "record_contact", meanwhile)
            if call == 4:  # the last chunk: the note must be there already
                seen_on_server.append(_on_server(live, meanwhile["contact_id"]))
                seen_on_server.append(_on_server(live, contact_id))
            return

        _interrupting(monkeypatch, cut)
        laptop.sync()
        assert seen_on_server == [True, False]  # the note went; the contact still waited
        assert _on_server(live, contact_id)


def test_an_unfinished_upload_announced_differently_starts_again(live: Live) -> None:
    pdf = make_pdf(["Two chunks"], padding=DOCUMENT_CHUNK_BYTES)
    sha = documents.sha256_of(pdf)
    with _http(live, live.seed.officers[0]) as http:
        start = {"sha256": sha, "size": len(pdf), "media_type": PDF}
        http.post("/v1/documents/uploads", json=start)
        first = http.put(
            f"/v1/documents/uploads/{sha}?offset=0", content=pdf[:DOCUMENT_CHUNK_BYTES]
        )
        assert first.json()["received_bytes"] == DOCUMENT_CHUNK_BYTES
        wrong = {**start, "size": len(pdf) + 1}
        assert http.post("/v1/documents/uploads", json=wrong).json()["received_bytes"] == 0
        assert http.post("/v1/documents/uploads", json=start).json()["received_bytes"] == 0
        for offset in (0, DOCUMENT_CHUNK_BYTES):
            chunk = pdf[offset : offset + DOCUMENT_CHUNK_BYTES]
            answer = http.put(f"/v1/documents/uploads/{sha}?offset={offset}", content=chunk)
            assert answer.status_code == 200, answer.text
        assert answer.json()["complete"] is True
    assert _chunks(live, sha) == 2


def test_a_document_the_server_will_not_give_never_stops_the_sync(live: Live, tmp_path) -> None:
    with _synced(live, tmp_path / "p") as (_officer, cache, laptop):
        crn = sorted(cache.pull_state().held_cases)[0]
        missing = {
            "id": str(uuid.uuid4()),
            "crn": crn,
            "name": "lost.pdf",
            "media_type": PDF,
            "size": 10,
            "sha256": "c" * 64,
            "added_on": dt.date.today().isoformat(),
        }
        with live.admin() as conn:  # a record whose bytes the server does not hold
            from central.versions import reserve_versions

            version = reserve_versions(conn, 1)
            conn.execute(
                records.insert().values(
                    id=missing["id"],
                    kind="document",
                    crn=crn,
                    version=version,
                    deleted=False,
                    data=missing,
                    field_versions={},
                    updated_at=now(),
                    updated_by="test",
                )
            )
        summary = laptop.sync()
        assert summary.pulled >= 1
        [row] = documents.case_documents(cache.db(), crn)
        assert (row.name, row.on_laptop) == ("lost.pdf", False)
