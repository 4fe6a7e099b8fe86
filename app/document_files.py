"""Opening a document outside Fieldcase: a temporary copy, and fetching one on demand.

A PDF or Word document is opened by the officer's default application, which needs a
file. The copy is written to a folder of Fieldcase's own, readable by the officer only,
under the session's runtime folder (a memory file system on Linux) or the local, never
roaming temp folder (Windows `%LOCALAPPDATA%\\Temp`), never a synced or backed-up one
(OneDrive's folders are refused). Copies are deleted when the cache locks, the officer
signs out or the app quits, and any left by a crash the next time the app starts.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from domain.documents import EXTENSIONS

if TYPE_CHECKING:
    from app.backend import LiveBackend

log = logging.getLogger(__name__)

_SYNCED_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


def _base() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime and Path(runtime).is_dir() else Path(tempfile.gettempdir())
    for variable in _SYNCED_VARIABLES:
        synced = os.environ.get(variable)
        if synced and base.resolve().is_relative_to(Path(synced).resolve()):
            raise OSError("the temporary folder is inside a synced folder")
    return base


class OpenedCopies:
    """The folder of temporary copies; `clear` removes it whole."""

    def __init__(self, base: Path | None = None) -> None:
        self._base = base
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        base = self._base or _base()
        return base / f"fieldcase-open-{os.getuid() if hasattr(os, 'getuid') else 'user'}"

    def write(self, name: str, media_type: str, content: bytes) -> Path:
        """A private copy named for the officer (its type's extension guaranteed)."""
        with self._lock:
            folder = self.folder
            folder.mkdir(mode=0o700, exist_ok=True)
            stem = Path(name).stem[:80] or "document"
            path = Path(tempfile.mkdtemp(dir=folder)) / (stem + EXTENSIONS.get(media_type, ""))
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
            return path

    def clear(self) -> None:
        with self._lock:
            folder = self.folder
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
                log.info("temporary document copies removed")


_copies = OpenedCopies()
atexit.register(_copies.clear)


def opened_copies() -> OpenedCopies:
    return _copies


class LiveDocumentFetcher:
    """`app.ports.DocumentFetcher` over the signed-in client: one document, now."""

    def __init__(self, backend: LiveBackend) -> None:
        self.backend = backend

    def fetch(self, document_id: str, sha256: str, size: int) -> bytes:
        from sync.api import RetryPolicy, SyncApi
        from sync.documents import DocumentTransfers
        from sync.progress import Progress

        client = self.backend.ensure_client()
        progress = Progress(lambda _report: None)
        api = SyncApi(client.http, client.auth, progress, RetryPolicy(attempts=2, max_s=1.0))
        cache = self.backend.cache
        if cache is None:
            raise OSError("the cache is locked")
        lane = DocumentTransfers(cache.db, api, progress)
        return lane.fetch(document_id, sha256, size, store=False)  # kept by the writer
