"""HTTP endpoints of documents: start and continue an upload, download with ranges.

`PUT` bodies are read as they arrive and refused as soon as they pass the chunk size or
their first bytes are not an accepted type, so a 2 GB body or a renamed executable
costs the server one chunk's worth of reading, never the whole. Downloads are allowed
only through a `document` record of a case in the officer's scope, are audited (each
download; opening it on the laptop is audited by its own `document_viewed` change), and
honour `Range: bytes=a-b` (206 with Content-Range).
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from central.audit import record_audit
from central.auth.deps import CurrentPrincipal, Principal
from central.db import transaction
from central.documents import gate, uploads
from central.documents.store import SqlChunkStore, read_range
from central.errors import ApiError
from central.state import AppState, app_state
from central.sync.scope import crn_in_scope
from central.tables import records
from domain.documents import head_type
from sync.protocol import DOCUMENT_CHUNK_BYTES, UploadStart, UploadStatus

router = APIRouter(tags=["documents"])
STORE = SqlChunkStore()
SHA = re.compile(r"[0-9a-f]{64}")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@router.post("/v1/documents/uploads", response_model=UploadStatus)
def begin_upload(
    start: UploadStart,
    principal: CurrentPrincipal,
    state: Annotated[AppState, Depends(app_state)],
) -> UploadStatus:
    """Announce a document's bytes; the answer says from where to send (or that none are
    needed: the same bytes are already here)."""
    with transaction(state.engine) as conn:
        return uploads.begin(conn, STORE, start, principal.username, gate.limits())


async def _read_chunk(request: Request, offset: int) -> bytes:
    """The body, refused while reading once it passes a chunk or starts like no accepted
    type."""
    parts: list[bytes] = []
    size = 0
    async for piece in request.stream():
        size += len(piece)
        if size > DOCUMENT_CHUNK_BYTES:
            raise ApiError(413, "chunk_too_large", "A chunk is at most 1 MiB.")
        parts.append(piece)
        if offset == 0 and len(parts) == 1 and len(piece) >= 16 and head_type(piece) is None:
            raise uploads.not_accepted()
    return b"".join(parts)


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.put(
    "/v1/documents/uploads/{sha256}",
    response_model=UploadStatus,
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/octet-stream": _BINARY}}
    },
)
async def put_chunk(
    sha256: str,
    offset: int,
    request: Request,
    principal: CurrentPrincipal,
    state: Annotated[AppState, Depends(app_state)],
) -> UploadStatus:
    """One chunk at `offset`; answered with what the server now holds."""
    if not SHA.fullmatch(sha256) or offset < 0:
        raise ApiError(400, "bad_request", "Not a document address.")
    if offset >= gate.limits().max_bytes:
        raise uploads.too_large(gate.limits())
    data = await _read_chunk(request, offset)

    def store() -> UploadStatus:
        with transaction(state.engine) as conn:
            return uploads.append(conn, STORE, sha256, offset, data)

    return await run_in_threadpool(store)


def _document(
    state: AppState, principal: Principal, document_id: uuid.UUID, *, audit: bool
) -> tuple[str, int]:
    """The sha256 and size of a document the officer may read (404 for any other)."""
    missing = ApiError(404, "not_found", "No such document.")
    with transaction(state.engine, write=audit) as conn:
        row = conn.execute(
            records.select().where(records.c.id == str(document_id), records.c.kind == "document")
        ).first()
        if row is None or row.deleted or not crn_in_scope(conn, principal, row.crn):
            raise missing
        blob = uploads.complete_blob(conn, str(row.data["sha256"]))
        if blob is None:
            raise missing
        if audit:  # once per download, not once per range of it
            record_audit(
                conn, principal, "document_downloaded", row.crn, record_id=str(document_id)
            )
        return str(row.data["sha256"]), int(blob.size)


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    if not header:
        return None
    found = _RANGE.fullmatch(header.strip())
    if found is None or (not found.group(1) and not found.group(2)):
        raise ApiError(416, "bad_range", "Only one byte range is supported.")
    if not found.group(1):  # the last N bytes
        start, end = max(size - int(found.group(2)), 0), size - 1
    else:
        start = int(found.group(1))
        end = min(int(found.group(2)), size - 1) if found.group(2) else size - 1
    if start > end or start >= size:
        raise ApiError(416, "bad_range", f"The document has {size} bytes.")
    return start, end


@router.get(
    "/v1/documents/{document_id}/content",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": _BINARY}},
        206: {"description": "One byte range", "content": {"application/octet-stream": _BINARY}},
    },
)
def download(
    document_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    state: Annotated[AppState, Depends(app_state)],
) -> Response:
    """The bytes of a document, whole or one range of them."""
    asked = request.headers.get("range")
    first = asked is None or asked.strip().startswith("bytes=0-")
    sha256, size = _document(state, principal, document_id, audit=first)
    wanted = _range(asked, size)
    start, end = wanted if wanted is not None else (0, size - 1)
    with state.engine.connect() as conn:
        body = b"".join(read_range(STORE, conn, sha256, start, end))
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{sha256}"'}
    if wanted is None:
        return Response(body, 200, headers, media_type="application/octet-stream")
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(body, 206, headers, media_type="application/octet-stream")
