"""`bench sync`'s document figures: a 5 MB document up and down, against plain HTTP.

- upload_5mb_s: the document lane's upload of one 5 MB PDF (announce, five 1 MiB chunks
  each confirmed and committed on both sides, the server's SHA-256 and type check);
- download_5mb_s: fetching it back to a laptop that lists it (five ranged GETs, the
  hash and type check, text extraction, the encrypted store).

Each as a ratio to a plain HTTP transfer of the same bytes on the same loopback: one
PUT (one GET) to a minimal server in its own process that writes the body to a file and
fsyncs it (a plain upload that lands on disk; reading it back for a GET is from the page
cache). Both servers run in their own process, as the central service does.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

Figure = dict[str, Any]
SIZE = 5_000_000
ROUNDS = 3  # best of: the figures are milliseconds on a machine shared with other work


class _Plain(BaseHTTPRequestHandler):
    """PUT stores the body durably; GET answers it back."""

    folder = Path(".")

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with (self.folder / "body").open("wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        self.send_response(204)
        self.end_headers()

    def do_GET(self) -> None:
        path = self.folder / "body"
        if not path.exists():
            self.send_response(404)
            self.end_headers()
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        return


def serve_plain(port: int, folder: str) -> None:
    _Plain.folder = Path(folder)
    ThreadingHTTPServer(("127.0.0.1", port), _Plain).serve_forever()


@contextmanager
def _plain_server(folder: Path) -> Iterator[str]:
    from tests.support.postgres import free_port

    port = free_port()
    code = f"from bench._documents import serve_plain; serve_plain({port}, {str(folder)!r})"
    server = subprocess.Popen([sys.executable, "-c", code])  # noqa: S603 - our own code
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                requests.get(base + "/nothing", timeout=0.5)
                break
            except requests.ConnectionError:
                time.sleep(0.05)  # a starting process: nothing to wait on
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _plain_times(base: str, content: bytes) -> tuple[float, float]:
    with requests.Session() as http:
        started = time.perf_counter()
        http.put(base + "/body", data=content, timeout=30).raise_for_status()
        up = time.perf_counter() - started
        started = time.perf_counter()
        answer = http.get(base + "/body", timeout=30)
        answer.raise_for_status()
        assert len(answer.content) == len(content)
        return up, time.perf_counter() - started


def _pdf(size: int) -> bytes:
    """A PDF of exactly `size` bytes, most of it a random stream (as a scan's image is;
    never deduplicated)."""
    from central.seed.document_files import make_pdf

    words = ["Scanned order (synthetic)"]
    filler = os.urandom(size - (len(make_pdf(words, filler=bytes(size))) - size))
    made = make_pdf(words, filler=filler)
    return make_pdf(words, filler=filler[: len(filler) - (len(made) - size)])


def _ours(live: Any, folder: Path, content: bytes, n: int) -> tuple[float, float]:
    from bench.sync import _laptop
    from domain.documents import PDF, DocumentRef
    from domain.mutations import RecordContact
    from domain.semantics import Actor
    from storage import documents
    from sync.documents import DocumentTransfers
    from sync.progress import Progress

    client, cache = _laptop(live, folder, f"documents-{n}")
    client.sync()
    officer = live.seed.officers[0]
    crn = cache.pull_state().held_cases[0]
    sha = documents.sha256_of(content)
    ref = DocumentRef(
        document_id=uuid.uuid4(), name="order.pdf", media_type=PDF, size=len(content), sha256=sha
    )
    args = RecordContact(
        contact_id=uuid.uuid4(), crn=crn, type_code="CTOB", date=dt.date.today(), documents=[ref]
    )
    actor = Actor(username=officer, staff_code=live.seed.staff_codes[officer], team_code=None)
    now = dt.datetime.now(dt.UTC)
    blob = documents.NewBlob(sha, PDF, content, "")
    documents.attach(
        cache.db(), "record_contact", args, [blob], actor=actor, today=now.date(), now=now
    )
    progress = Progress()
    lane = DocumentTransfers(cache.db, client.api(progress), progress)
    started = time.perf_counter()
    assert lane.upload() == 1
    up = time.perf_counter() - started
    client.sync()  # the contact and its document record are on the server now
    cache.db().execute("UPDATE document_blob SET content = NULL WHERE sha256 = ?", (sha,))
    started = time.perf_counter()
    lane.fetch(ref.document_id, sha, len(content))
    down = time.perf_counter() - started
    client.close()
    cache.close()
    return up, down


def figures(live: Any, folder: Path) -> Iterable[Figure]:
    ours, plain = [], []
    with _plain_server(folder) as base:
        for n in range(ROUNDS):
            content = _pdf(SIZE)
            plain.append(_plain_times(base, content))
            ours.append(_ours(live, folder, content, n))
    for index, name in ((0, "upload_5mb_s"), (1, "download_5mb_s")):
        value = min(o[index] for o in ours)
        baseline = min(p[index] for p in plain)
        yield {
            "name": name,
            "value": round(value, 4),
            "unit": "s",
            "baseline": round(baseline, 4),
            "ratio": round(value / baseline, 2),
            "target_ratio": 1.5,
            "bytes": SIZE,
            "rounds": ROUNDS,
        }
