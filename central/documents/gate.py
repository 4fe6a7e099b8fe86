"""A change that refers to documents waits until their bytes are all here and checked.

Called by push (central/sync/push.py) before a mutation is decided: while any document
it names is incomplete, the batch stops there without a result (like a gap), so the
mutation is neither applied nor refused and the laptop sends it again once its upload
is done. The number of documents per change is the policy's, checked with the rules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from central.tables import document_blobs
from domain.documents import DocumentLimits, refuse_too_many

_limits = DocumentLimits()


def configure(limits: DocumentLimits) -> None:
    """The service's policy (set once by `create_app` from its settings)."""
    global _limits  # noqa: PLW0603 - one policy per process, read by push
    _limits = limits


def limits() -> DocumentLimits:
    return _limits


def _refs(args: dict[str, Any]) -> list[dict[str, Any]]:
    found = args.get("documents")
    return [d for d in found if isinstance(d, dict)] if isinstance(found, list) else []


def check_count(args: dict[str, Any]) -> None:
    """ValidationError (a stored rejection) for more documents than the policy allows."""
    refs = _refs(args)
    if refs:
        refuse_too_many(len(refs), _limits)


def awaiting_documents(conn: Connection, args: dict[str, Any]) -> bool:
    """Whether some document the change names is not wholly here with that size and type."""
    refs = _refs(args)
    if not refs:
        return False
    wanted = {(str(d.get("sha256")), d.get("size"), d.get("media_type")) for d in refs}
    count = conn.execute(
        select(func.count()).where(
            document_blobs.c.sha256.in_([w[0] for w in wanted]),
            document_blobs.c.complete.is_(True),
        )
    ).scalar_one()
    if count < len({w[0] for w in wanted}):
        return True
    rows = conn.execute(
        select(document_blobs.c.sha256, document_blobs.c.size, document_blobs.c.media_type).where(
            document_blobs.c.sha256.in_([w[0] for w in wanted])
        )
    ).all()
    held = {(r.sha256, int(r.size), r.media_type) for r in rows}
    return not wanted <= held
