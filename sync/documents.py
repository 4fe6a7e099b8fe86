"""Moving document bytes: chunked resumable uploads, ranged downloads, the keep policy.

Runs inside a sync (sync/engine.py), after the outbox's other changes were pushed and
the pull is done, so a large upload never holds back small changes or fresh case data:

- **Upload** each document a queued change waits for, oldest change first, a chunk at a
  time from where the server says it stands (a cut connection resumes from the last
  confirmed chunk; a retried chunk whose answer was lost is answered, never stored
  twice). Each confirmed offset is committed, so a crash or a restart resumes too.
  Once the server reports the document complete (its SHA-256 and type checked), the
  changes waiting for it may be pushed; the engine pushes again.
- **Download** what the offline-keep policy wants here (every document of the last 12
  months and every pinned one) and is not, a range at a time; checked against its
  SHA-256 before it is stored; the text search reads is taken then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from uuid import UUID

from domain.documents import sniff
from storage import documents
from storage.db import CacheDb
from storage.document_outbox import text_first
from storage.document_text import extract
from sync.api import SyncApi
from sync.errors import BadAnswerError, ServerRefusedError
from sync.http import parse_model
from sync.progress import Progress
from sync.protocol import DOCUMENT_CHUNK_BYTES, UploadStart, UploadStatus

log = logging.getLogger(__name__)

_OCTETS = {"Content-Type": "application/octet-stream"}
_NO_GZIP = {"Accept-Encoding": "identity"}  # bytes are sent as they are; ranges stay exact


class DocumentTransfers:
    """One sync's document lane over one profile's cache."""

    def __init__(
        self,
        db: Callable[[], CacheDb],
        api: SyncApi,
        progress: Progress,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.db = db
        self._between: Callable[[], None] = lambda: None
        self.api = api
        self.progress = progress
        self.today = today

    def before_push(self) -> None:
        """Let changes that wait for no bytes go ahead of those that do."""
        text_first(self.db())

    # -- upload ----------------------------------------------------------------------
    def upload(self, between: Callable[[], None] = lambda: None) -> int:
        """Send every document a queued change waits for; returns how many completed.

        `between` runs after each chunk: the engine pushes there whatever small changes
        the officer saved meanwhile, so a long upload holds none of them back."""
        todo = documents.pending_uploads(self.db())
        total = sum(t.size for t in todo)
        done = 0
        for transfer in todo:
            self.progress.check()
            self._between = between
            self._upload_one(transfer.sha256, transfer.size, transfer.media_type, done, total)
            done += transfer.size
            self.progress.update("upload", done, total)
        if todo:
            log.info("uploaded %d document(s), %d bytes", len(todo), total)
        return len(todo)

    def _upload_one(self, sha256: str, size: int, media_type: str, base: int, total: int) -> None:
        status = self._begin(sha256, size, media_type)
        content = documents.content(self.db(), sha256)
        if content is None or len(content) != size:
            raise BadAnswerError("A document waiting to be sent is missing from this laptop.")
        while not status.complete:
            self.progress.check()
            offset = status.received_bytes
            if offset >= size:
                raise BadAnswerError("The case service did not accept a document's bytes.")
            chunk = content[offset : offset + DOCUMENT_CHUNK_BYTES]
            status = self._put(sha256, size, media_type, offset, chunk)
            if status.received_bytes <= offset and not status.complete:
                raise BadAnswerError("The case service discarded a document; it will be resent.")
            documents.record_sent(self.db(), sha256, status.received_bytes)
            self.progress.update("upload", base + status.received_bytes, total)
            if not status.complete:
                self._between()
        documents.mark_uploaded(self.db(), sha256)

    def _begin(self, sha256: str, size: int, media_type: str) -> UploadStatus:
        start = UploadStart(sha256=sha256, size=size, media_type=media_type)
        return self.api.call(
            lambda token: self.api.http.post_model(
                "/v1/documents/uploads", start, UploadStatus, token=token
            )
        )

    def _put(
        self, sha256: str, size: int, media_type: str, offset: int, chunk: bytes
    ) -> UploadStatus:
        path = f"/v1/documents/uploads/{sha256}?offset={offset}"

        def send(token: str) -> UploadStatus:
            raw = self.api.http.send_bytes("PUT", path, data=chunk, headers=_OCTETS, token=token)
            return parse_model(raw, UploadStatus)

        try:
            return self.api.call(send)
        except ServerRefusedError as refused:
            if refused.code != "upload_offset":
                raise
            # The server holds a different amount than we thought (an earlier answer
            # was lost, or another process took a chunk): carry on from where it is.
            return self._begin(sha256, size, media_type)

    def _get(self, path: str, headers: dict[str, str]) -> bytes:
        def send(token: str) -> bytes:
            return self.api.http.send_bytes("GET", path, headers=headers, token=token)

        return self.api.call(send)

    # -- download --------------------------------------------------------------------
    def download_wanted(self) -> int:
        """Fetch what the offline-keep policy wants on this laptop; returns how many."""
        todo = documents.wanted_downloads(self.db(), today=self.today())
        total = sum(t.size for t in todo)
        done = 0
        for transfer in todo:
            self.progress.check()
            document_id = documents.a_document_with(self.db(), transfer.sha256)
            if document_id is None:
                continue
            try:
                self.fetch(document_id, transfer.sha256, transfer.size, base=done, total=total)
            except (ServerRefusedError, BadAnswerError) as refused:
                # One document the server will not give (gone, out of scope, damaged) never
                # stops the sync; it stays listed and is tried again next time.
                log.info("document not downloaded (%s)", type(refused).__name__)
            done += transfer.size
        return len(todo)

    def fetch(
        self,
        document_id: UUID | str,
        sha256: str,
        size: int,
        *,
        base: int = 0,
        total: int = 0,
        store: bool = True,
    ) -> bytes:
        """The bytes of one document, a range at a time, checked (and stored here, unless
        the caller stores them on its own writer)."""
        parts: list[bytes] = []
        received = 0
        path = f"/v1/documents/{document_id}/content"
        while received < size:
            self.progress.check()
            end = min(received + DOCUMENT_CHUNK_BYTES, size) - 1
            headers = {**_NO_GZIP, "Range": f"bytes={received}-{end}"}
            part = self._get(path, headers)
            if not part or len(part) > end - received + 1:
                raise BadAnswerError("The case service sent a document's bytes out of order.")
            parts.append(part)
            received += len(part)
            self.progress.update("download", base + received, total or size)
        content = b"".join(parts)
        if hashlib.sha256(content).hexdigest() != sha256 or sniff(content) is None:
            raise BadAnswerError("A downloaded document did not match what was expected.")
        if not store:
            return content
        media_type = sniff(content) or ""
        blob = documents.NewBlob(sha256, media_type, content, extract(media_type, content))
        documents.store_downloaded(self.db(), blob, now=dt.datetime.now(dt.UTC))
        return content
