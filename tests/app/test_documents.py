"""Document use cases over the real cache: refusals keep nothing, opening is audited,
an officer's temporary copies go when the app locks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.document_files import OpenedCopies
from app.usecases.documents import (
    DocumentNotHere,
    NewFile,
    attach,
    case_documents,
    fetch_document,
    open_document,
    pin_document,
    record_contact_with_documents,
)
from central.seed.document_files import make_docx, make_pdf, make_png
from domain.documents import MB, DocumentLimits
from domain.errors import ValidationError
from domain.mutations import RecordContact
from tests.storage.builders import TODAY
from tests.ui.forms.conftest import World, make_world

CRN = "X100001"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


def _queued(world: World) -> list[tuple[str, dict]]:
    rows = world.writer.query("SELECT name, args FROM outbox ORDER BY seq")
    return [(r["name"], json.loads(r["args"])) for r in rows]


def _contact() -> RecordContact:
    return RecordContact(
        contact_id=uuid.uuid4(), crn=CRN, type_code="CTOA", date=TODAY, notes="Brought a GP letter"
    )


def test_a_contact_recorded_with_its_evidence_is_one_change(world: World) -> None:
    ctx = world.runner().ctx
    files = [NewFile("C:\\Users\\me\\Desktop\\gp letter.pdf", make_pdf(["Unwell"]))]
    attached = record_contact_with_documents(ctx, _contact(), files)
    [(name, args)] = _queued(world)
    assert name == "record_contact"
    assert [d["document_id"] for d in args["documents"]] == [str(attached.document_ids[0])]
    [item] = case_documents(ctx, CRN)
    assert (item.name, item.media_type, item.on_laptop, item.sent) == (
        "gp letter.pdf",  # the folders never leave the laptop
        "application/pdf",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ([NewFile("virus.pdf", b"MZ\x90\x00" + bytes(64))], "'virus.pdf' is not a PDF"),
        ([NewFile("scan.pdf", make_pdf(["x"], padding=5 * MB))], "at most 5 MB"),
        ([NewFile(f"{n}.png", make_png()) for n in range(6)], "at most 5 documents"),
    ],
)
def test_a_refused_file_stores_nothing_at_all(world: World, files, words: str) -> None:
    ctx = world.runner().ctx
    with pytest.raises(ValidationError, match=words):
        record_contact_with_documents(
            ctx, _contact(), [NewFile("ok.docx", make_docx(["x"])), *files]
        )
    assert _queued(world) == []
    assert world.writer.one("SELECT count(*) FROM document_blob") == 0


def test_the_servers_policy_sets_the_limits(world: World) -> None:
    ctx = world.runner().ctx
    ctx._document_limits = DocumentLimits(max_bytes=MB, max_files=2)
    with pytest.raises(ValidationError, match="at most 2 documents"):
        attach(ctx, CRN, [NewFile(f"{n}.png", make_png()) for n in range(3)])
    attach(ctx, CRN, [NewFile(f"{n}.png", make_png(n + 1, 1)) for n in range(2)])
    assert len(case_documents(ctx, CRN)) == 2


def test_opening_a_document_is_audited_like_a_case_view(world: World) -> None:
    ctx = world.runner().ctx
    attached = attach(ctx, CRN, [NewFile("photo.png", make_png())])
    opened = open_document(ctx, str(attached.document_ids[0]))
    assert opened.in_app  # an image: shown in Fieldcase's own window
    assert opened.content == make_png()
    name, args = _queued(world)[-1]
    assert name == "document_viewed"
    assert args["document_id"] == str(attached.document_ids[0])


class _Fetcher:
    def __init__(self, content: bytes) -> None:
        self.content = content
        self.asked: list[str] = []

    def fetch(self, document_id: str, sha256: str, size: int) -> bytes:
        self.asked.append(document_id)
        return self.content


def test_a_document_only_listed_here_is_fetched_when_online(world: World) -> None:
    ctx = world.runner().ctx
    report = make_pdf(["Pre-sentence report"])
    attached = attach(ctx, CRN, [NewFile("report.pdf", report)])
    document_id = str(attached.document_ids[0])
    world.writer.execute("UPDATE document_blob SET content = NULL")
    with pytest.raises(DocumentNotHere, match="Connect to the network"):
        fetch_document(ctx, document_id)  # offline: no fetcher
    with pytest.raises(DocumentNotHere, match="Connect to the network"):
        open_document(ctx, document_id)
    ctx.documents = _Fetcher(report)
    fetched = fetch_document(ctx, document_id)
    opened = open_document(ctx, document_id, fetched)
    assert (opened.content, opened.in_app) == (report, False)
    assert opened.path is not None
    assert opened.path.read_bytes() == report
    assert case_documents(ctx, CRN)[0].on_laptop  # kept: readable offline from now on
    assert fetch_document(ctx, document_id) is None
    pin_document(ctx, document_id, True)
    assert case_documents(ctx, CRN)[0].pinned


def test_temporary_copies_are_private_and_removed(tmp_path: Path) -> None:
    copies = OpenedCopies(tmp_path)
    path = copies.write("../../gp letter", "application/pdf", b"%PDF-1.4 x")
    assert path.name == "gp letter.pdf"
    assert path.is_relative_to(copies.folder)
    assert path.stat().st_mode & 0o077 == 0
    copies.clear()
    assert not path.exists()
    assert not copies.folder.exists()


def test_locking_removes_the_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import backend, document_files

    copies = OpenedCopies(tmp_path)
    monkeypatch.setattr(document_files, "_copies", copies)
    path = copies.write("letter", "application/pdf", b"%PDF-1.4 x")
    live = backend.LiveBackend.__new__(backend.LiveBackend)
    monkeypatch.setattr(live, "close", lambda: None, raising=False)
    live.lock()
    assert not path.exists()
