"""Documents on a case: attach (when recording a contact or later), list, open, pin.

The app-layer verbs for documents; the letters feature stores its generated letters
through `attach` too. Every write runs on the writer thread (TaskRunner), every check
on bytes happens before anything is stored, and a refusal is a `ValidationError` in
plain words that names the file, so the form keeps everything else the officer typed.

    attach(ctx, crn, files, *, contact_id=None) -> Attached
    record_contact_with_documents(ctx, args, files) -> Attached
    case_documents(ctx, crn) -> list[DocumentItem]
    fetch_document(ctx, document_id) -> bytes | None    (online, a read)
    open_document(ctx, document_id, fetched=None) -> OpenedDocument  (audited like a case view)
    pin_document(ctx, document_id, pinned) -> ChangeSet
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from app.changes import ChangeSet
from app.context import AppContext
from app.document_ports import CheckedFile, DocumentItem
from domain.documents import (
    JPEG,
    PNG,
    DocumentRef,
    refuse_too_many,
    refuse_unless_allowed,
)
from domain.errors import FieldcaseError
from domain.mutations import AttachDocuments, DocumentViewed, RecordContact

IN_APP = frozenset({JPEG, PNG})  # shown in Fieldcase's own window; others by their app


@dataclass(frozen=True, slots=True)
class NewFile:
    """Bytes to attach and the name the officer knows them by (no path: just the name)."""

    name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Attached:
    document_ids: tuple[uuid.UUID, ...]
    changes: ChangeSet


@dataclass(frozen=True, slots=True)
class OpenedDocument:
    item: DocumentItem
    content: bytes
    in_app: bool  # an image Qt can show
    path: Path | None = None  # otherwise a private temporary copy for the default app


class DocumentNotHere(FieldcaseError):
    title = "Document not on this laptop"


def check_files(ctx: AppContext, files: Sequence[NewFile]) -> list[CheckedFile]:
    """Each file judged by its content against the server's limits, hashed, its text
    taken; the first refusal names its file (nothing is stored)."""
    from storage.document_text import extract

    limits = ctx.document_limits
    refuse_too_many(len(files), limits)
    checked = []
    for file in files:
        media_type = refuse_unless_allowed(file.name, file.content, limits)
        checked.append(
            CheckedFile(
                name=_plain_name(file.name),
                media_type=media_type,
                sha256=hashlib.sha256(file.content).hexdigest(),
                content=file.content,
                text=extract(media_type, file.content),
            )
        )
    return checked


def _plain_name(name: str) -> str:
    """The file's own name, without folders (they can say more than they should)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "document")[:255]


def _refs(files: Sequence[CheckedFile]) -> list[DocumentRef]:
    return [
        DocumentRef(
            document_id=uuid.uuid4(),
            name=f.name,
            media_type=f.media_type,
            size=len(f.content),
            sha256=f.sha256,
        )
        for f in files
    ]


def attach(
    ctx: AppContext,
    crn: str,
    files: Sequence[NewFile],
    *,
    contact_id: uuid.UUID | None = None,
) -> Attached:
    """Attach documents to a case or one of its contacts (a write: the writer thread)."""
    checked = check_files(ctx, files)
    refs = _refs(checked)
    args = AttachDocuments(crn=crn, contact_id=contact_id, documents=refs)
    changes = ctx.cache().documents().attach("attach_documents", args, checked)
    return Attached(tuple(r.document_id for r in refs), changes)


def record_contact_with_documents(
    ctx: AppContext, args: RecordContact, files: Sequence[NewFile]
) -> Attached:
    """Record a contact and the evidence handed over with it, in one transaction; the
    server applies the contact only once every document has arrived whole."""
    checked = check_files(ctx, files)
    refs = _refs(checked)
    with_docs = args.model_copy(update={"documents": refs})
    changes = ctx.cache().documents().attach("record_contact", with_docs, checked)
    return Attached(tuple(r.document_id for r in refs), changes)


def read_files(ctx: AppContext, paths: Sequence[Path]) -> list[NewFile]:
    """The chosen files' bytes, reading no more of each than the limit allows (a 2 GB
    video chosen by mistake is refused after 5 MB, not read whole)."""
    limits = ctx.document_limits
    refuse_too_many(len(paths), limits)
    files = []
    for path in paths:
        try:
            with path.open("rb") as handle:
                content = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise FieldcaseError(f"'{path.name}' could not be read ({exc.strerror}).") from exc
        files.append(NewFile(path.name, content))
    return files


def attach_paths(
    ctx: AppContext, crn: str, paths: Sequence[Path], *, contact_id: uuid.UUID | None = None
) -> Attached:
    """`attach` for files the officer chose on disk (the form's "Attach files…")."""
    return attach(ctx, crn, read_files(ctx, paths), contact_id=contact_id)


def record_contact_with_paths(
    ctx: AppContext, args: RecordContact, paths: Sequence[Path]
) -> Attached:
    """`record_contact_with_documents` for files chosen on disk (the contact form)."""
    return record_contact_with_documents(ctx, args, read_files(ctx, paths))


def case_documents(ctx: AppContext, crn: str) -> list[DocumentItem]:
    return ctx.cache().documents().case_documents(crn)


def fetch_document(ctx: AppContext, document_id: str) -> bytes | None:
    """The bytes of a document only listed here, from the case system (a read: on the
    pool, so the writer never waits on the network); None when they are here already."""
    item = ctx.cache().documents().document(document_id)
    if item is None:
        raise DocumentNotHere("That document is no longer on this laptop.")
    if item.on_laptop:
        return None
    if ctx.documents is None:
        raise DocumentNotHere(_NOT_HERE)
    return ctx.documents.fetch(item.id, item.sha256, item.size)


def open_document(
    ctx: AppContext, document_id: str, fetched: bytes | None = None
) -> OpenedDocument:
    """The document's bytes (those `fetch_document` brought are kept here), with a
    `document_viewed` audit record queued like a case view (a write)."""
    shelf = ctx.cache().documents()
    item = shelf.document(document_id)
    if item is None:
        raise DocumentNotHere("That document is no longer on this laptop.")
    content = shelf.content(item.sha256)
    if content is None:
        if fetched is None:
            raise DocumentNotHere(_NOT_HERE)
        content = fetched
        shelf.keep(item, content)
        item = replace(item, on_laptop=True)
    viewed = DocumentViewed(crn=item.crn, document_id=uuid.UUID(item.id), viewed_at=ctx.now())
    ctx.cache().apply("document_viewed", viewed)
    if item.media_type in IN_APP:
        return OpenedDocument(item, content, in_app=True)
    from app.document_files import opened_copies

    path = opened_copies().write(item.name, item.media_type, content)
    return OpenedDocument(item, content, in_app=False, path=path)


_NOT_HERE = (
    "This document is kept on the case system, not on this laptop. Connect to the "
    "network and open it again, or pin it to keep it here."
)


def pin_document(ctx: AppContext, document_id: str, pinned: bool) -> ChangeSet:
    """Keep a document on this laptop whatever its age (fetched at the next sync)."""
    return ctx.cache().documents().set_pinned(document_id, pinned)
