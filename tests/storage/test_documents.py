"""Documents in the cache: encrypted at rest, searchable offline, evicted with the case,
and the changes waiting for their bytes kept back without holding back the rest."""

from __future__ import annotations

import uuid
from pathlib import Path

from central.seed.document_files import make_docx, make_pdf
from domain.documents import DOCX, PDF, DocumentRef
from domain.mutations import AppendContactNote, AttachDocuments, RecordContact
from storage import documents, outbox
from storage.db import CacheDb
from storage.document_outbox import first_waiting_seq, text_first
from storage.document_text import extract
from storage.profile import Profile
from storage.pulled import apply_pull_page, evict
from storage.queries.search import search
from storage.write import apply_local_mutation
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args, make_case

MARKER = "Quixotic Zanzibar evidence"
PDF_BYTES = make_pdf(["Letter from the surgery", f"{MARKER}: unwell on Monday"])
DOCX_BYTES = make_docx(["Payslip for November", "Employer: Marmalade Foundry Limited"])


def _blob(content: bytes, media_type: str) -> documents.NewBlob:
    return documents.NewBlob(
        documents.sha256_of(content), media_type, content, extract(media_type, content)
    )


def _ref(blob: documents.NewBlob, name: str) -> DocumentRef:
    return DocumentRef(
        document_id=uuid.uuid4(),
        name=name,
        media_type=blob.media_type,
        size=len(blob.content),
        sha256=blob.sha256,
    )


def attach_to_new_contact(cdb: CacheDb, crn: str, *named: tuple[str, bytes, str]) -> int:
    blobs = [_blob(content, kind) for _, content, kind in named]
    refs = [_ref(b, name) for b, (name, _, _) in zip(blobs, named, strict=True)]
    args = RecordContact.model_validate({**contact_args(crn), "documents": refs})
    change = documents.attach(
        cdb, "record_contact", args, blobs, actor=OFFICER, today=TODAY, now=NOW
    )
    return change.seq


def test_no_plaintext_byte_of_a_document_reaches_any_profile_file(
    profile: Profile, cdb: CacheDb, case: CaseData
) -> None:
    attach_to_new_contact(cdb, case.crn, ("gp.pdf", PDF_BYTES, PDF), ("pay.docx", DOCX_BYTES, DOCX))
    files = [p for p in Path(profile.folder).rglob("*") if p.is_file()]
    assert files
    samples = [MARKER.encode(), PDF_BYTES[:64], PDF_BYTES[-64:], DOCX_BYTES[30:94]]
    assert not any(sample in path.read_bytes() for path in files for sample in samples)
    cdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not any(sample in path.read_bytes() for path in files for sample in samples)
    assert documents.stored_bytes(cdb) == len(PDF_BYTES) + len(DOCX_BYTES)


def test_words_inside_a_pdf_and_a_docx_are_found_offline(cdb: CacheDb, case: CaseData) -> None:
    attach_to_new_contact(cdb, case.crn, ("gp.pdf", PDF_BYTES, PDF), ("pay.docx", DOCX_BYTES, DOCX))
    [pdf_hit] = search(cdb, "zanzibar")
    assert (pdf_hit.crn, pdf_hit.detail) == (case.crn, "Found in a document: gp.pdf")
    [docx_hit] = search(cdb, "marmalade found")  # the last word as it is being typed
    assert docx_hit.detail == "Found in a document: pay.docx"
    assert search(cdb, "nonexistentword") == []


def test_eviction_takes_the_documents_bytes_and_text_with_the_case(
    cdb: CacheDb, case: CaseData
) -> None:
    attach_to_new_contact(cdb, case.crn, ("gp.pdf", PDF_BYTES, PDF))
    sha = documents.sha256_of(PDF_BYTES)
    documents.mark_uploaded(cdb, sha)
    assert documents.case_documents(cdb, case.crn)[0].on_laptop
    evict(cdb, [case.crn])
    assert documents.case_documents(cdb, case.crn) == []
    assert documents.content(cdb, sha) is None
    assert cdb.one("SELECT count(*) FROM document_blob") == 0
    assert search(cdb, "zanzibar") == []


def test_bytes_not_yet_sent_stay_through_an_eviction(cdb: CacheDb, case: CaseData) -> None:
    """The change that refers to them stays queued (the server decides), so must they."""
    attach_to_new_contact(cdb, case.crn, ("gp.pdf", PDF_BYTES, PDF))
    evict(cdb, [case.crn])
    assert documents.content(cdb, documents.sha256_of(PDF_BYTES)) == PDF_BYTES
    assert [t.sha256 for t in documents.pending_uploads(cdb)] == [documents.sha256_of(PDF_BYTES)]


def test_a_change_waits_until_its_bytes_are_confirmed(cdb: CacheDb, case: CaseData) -> None:
    before = apply_local_mutation(
        cdb, "record_contact", contact_args(case.crn), actor=OFFICER, today=TODAY, now=NOW
    ).seq
    waiting = attach_to_new_contact(cdb, case.crn, ("gp.pdf", PDF_BYTES, PDF))
    assert first_waiting_seq(cdb) == waiting > before
    sha = documents.sha256_of(PDF_BYTES)
    documents.record_sent(cdb, sha, 1000)
    assert first_waiting_seq(cdb) == waiting
    documents.mark_uploaded(cdb, sha)
    assert first_waiting_seq(cdb) is None


def test_small_changes_go_ahead_of_documents_but_not_within_their_case(cdb: CacheDb) -> None:
    a, b = make_case("X320741"), make_case("Y100200", surname="Other")
    apply_pull_page(cdb, snapshots=[a.snapshot(), b.snapshot()], cursor="c1", last_applied_seq=0)
    attach_to_new_contact(cdb, a.crn, ("gp.pdf", PDF_BYTES, PDF))
    contact_on_a = outbox.pending(cdb)[0].args["contact_id"]
    for crn in (b.crn, a.crn, b.crn):
        apply_local_mutation(
            cdb, "record_contact", contact_args(crn), actor=OFFICER, today=TODAY, now=NOW
        )
    note = AppendContactNote(contact_id=uuid.UUID(contact_on_a), text="Letter checked.")
    apply_local_mutation(cdb, "append_contact_note", note, actor=OFFICER, today=TODAY, now=NOW)
    assert text_first(cdb) == 2
    order = [(r.seq, r.name, r.crns[0]) for r in outbox.pending(cdb)]
    assert [seq for seq, _, _ in order] == [1, 2, 3, 4, 5]
    assert [(name, crn) for _, name, crn in order] == [
        ("record_contact", b.crn),
        ("record_contact", b.crn),
        ("record_contact", a.crn),  # with the document: waits
        ("record_contact", a.crn),  # after it in its case: keeps its place behind it
        ("append_contact_note", a.crn),
    ]
    assert first_waiting_seq(cdb) == 3
    assert text_first(cdb) == 0  # nothing more to move


def test_attaching_later_to_a_recorded_contact(cdb: CacheDb, case: CaseData) -> None:
    blob = _blob(PDF_BYTES, PDF)
    contact = case.contacts[0]
    args = AttachDocuments(crn=case.crn, contact_id=contact.id, documents=[_ref(blob, "gp.pdf")])
    documents.attach(cdb, "attach_documents", args, [blob], actor=OFFICER, today=TODAY, now=NOW)
    [row] = documents.case_documents(cdb, case.crn)
    assert (row.contact_id, row.name, row.on_laptop, row.sent) == (
        str(contact.id),
        "gp.pdf",
        True,
        False,
    )
    documents.set_pinned(cdb, row.id, True)
    assert documents.document(cdb, row.id).pinned  # type: ignore[union-attr]


def test_the_keep_policy_wants_the_last_12_months_and_pinned_ones(
    cdb: CacheDb, case: CaseData
) -> None:
    attach_to_new_contact(cdb, case.crn, ("gp.pdf", PDF_BYTES, PDF))
    [row] = documents.case_documents(cdb, case.crn)
    cdb.execute("UPDATE document_blob SET content = NULL")  # only listed here
    assert [t.sha256 for t in documents.wanted_downloads(cdb, today=TODAY)] == [row.sha256]
    later = TODAY.replace(year=TODAY.year + 2)
    assert documents.wanted_downloads(cdb, today=later) == []
    documents.set_pinned(cdb, row.id, True)
    assert len(documents.wanted_downloads(cdb, today=later)) == 1
