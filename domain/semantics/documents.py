"""attach_documents, and the documents a recorded contact brings: `document` records.

A document record holds what the officer sees in the list (name, type, size, the day it
was added) and the SHA-256 of its bytes, which travel separately (chunked, resumable)
and are addressed by that hash. Ids are chosen on the laptop, so a replay adds nothing.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from domain.contacts import Contact
from domain.documents import Document, DocumentRef
from domain.errors import ValidationError
from domain.mutations import AttachDocuments, DocumentViewed
from domain.semantics.context import Context, created
from domain.semantics.effects import AuditEntry, Effects, Upsert
from domain.semantics.merge import record_gone


def document_upserts(
    ctx: Context, crn: str, contact_id: UUID | None, refs: list[DocumentRef]
) -> tuple[Upsert, ...]:
    """One created record per document not already held (a replay creates none)."""
    found = []
    for ref in refs:
        if ctx.exists("document", ref.document_id, crn):
            continue
        document = Document(
            id=ref.document_id,
            crn=crn,
            contact_id=contact_id,
            name=ref.name,
            media_type=ref.media_type,
            size=ref.size,
            sha256=ref.sha256,
            added_on=ctx.judged_on,
            added_by=ctx.actor.staff_code or ctx.actor.username,
        )
        found.append(created("document", document, crn))
    return tuple(found)


def attach_documents(args: AttachDocuments, ctx: Context) -> Effects:
    if len({r.document_id for r in args.documents}) != len(args.documents):
        raise ValidationError("The same document was listed twice.", field="documents")
    if args.contact_id is not None:
        found = ctx.load("contact", args.contact_id, Contact)
        if found is None:
            return Effects(conflicts=(record_gone("contact", args.contact_id, None),))
        if found[1].crn != args.crn:
            raise ValidationError("That contact belongs to another case.", field="contact_id")
    return Effects(upserts=document_upserts(ctx, args.crn, args.contact_id, args.documents))


def document_viewed(args: DocumentViewed, ctx: Context) -> Effects:
    """Audited like a case view, at the time it was opened; a zone-less time is UTC."""
    viewed = args.viewed_at
    if viewed.tzinfo is None:
        viewed = viewed.replace(tzinfo=dt.UTC)
    entry = AuditEntry("document_viewed", args.crn, (args.document_id,), at=viewed)
    return Effects(audit=(entry,))
