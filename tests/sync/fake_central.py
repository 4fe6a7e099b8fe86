"""A small in-memory stand-in for the central service, served over real loopback HTTP.

It keeps the protocol's promises (exactly-once per client seq with stored
results, gaps refused, field-versioned conflicts, scope-driven snapshots and
evictions, paged cursors, checksums, revoked devices) in a few lines, so the
engine's tests run in milliseconds; tests/e2e runs against the real service.
Mutations it understands: `set_field` {crn, record_id, field, value,
base_version}, `add_record` {crn, record_id}, and anything else is rejected.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from sync.protocol import (
    PROTOCOL_VERSION,
    CaseRequest,
    CaseSnapshot,
    MutationEnvelope,
    MutationResult,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordChange,
    ResultsRequest,
    ResultsResponse,
    StoredResult,
    case_checksum,
)

Answer = tuple[int, Any, dict[str, str]]
Hook = Callable[[str, bytes], Answer | None]


@dataclass
class Central:
    """The server's whole state; tests edit it directly (central edits, reallocation)."""

    records: dict[str, dict[uuid.UUID, RecordChange]] = field(default_factory=dict)
    log: list[RecordChange] = field(default_factory=list)
    scope: dict[str, set[str]] = field(default_factory=dict)  # username -> crns
    passwords: dict[str, str] = field(default_factory=dict)
    last_seq: dict[uuid.UUID, int] = field(default_factory=dict)
    results: dict[tuple[uuid.UUID, int], MutationResult] = field(default_factory=dict)
    applied: list[tuple[uuid.UUID, int, uuid.UUID]] = field(default_factory=list)
    access: dict[str, tuple[str, str]] = field(default_factory=dict)  # token -> user, device
    refresh: dict[str, tuple[str, str]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    expires_in: int = 900
    lock: threading.RLock = field(default_factory=threading.RLock)
    hook: Hook | None = None
    protocol_headers: list[str | None] = field(default_factory=list)

    def put(self, crn: str, record_id: uuid.UUID, data: dict[str, Any]) -> RecordChange:
        """A central edit (or creation) of one record: bumps its version, logs it."""
        with self.lock:
            case = self.records.setdefault(crn, {})
            old = case.get(record_id)
            change = RecordChange(
                kind="contact",
                id=record_id,
                crn=crn,
                version=(old.version + 1) if old else 1,
                data={**(old.data or {} if old else {}), **data},
            )
            case[record_id] = change
            self.log.append(change)
            return change

    def checksum(self, crn: str) -> str:
        return case_checksum((r.kind, r.id, r.version) for r in self.records.get(crn, {}).values())

    def snapshot(self, crn: str) -> CaseSnapshot:
        records = list(self.records.get(crn, {}).values())
        return CaseSnapshot(crn=crn, records=records, checksum=self.checksum(crn))

    def apply(self, client: uuid.UUID, m: MutationEnvelope) -> MutationResult:
        args = m.args
        crn, record_id = str(args.get("crn", "")), uuid.UUID(str(args.get("record_id")))
        if m.name == "add_record":
            if record_id not in self.records.get(crn, {}):
                self.put(crn, record_id, {"by": str(client)})
            return MutationResult(seq=m.seq, status="applied")
        if m.name == "set_field":
            current = self.records.get(crn, {}).get(record_id)
            if current is None:
                return MutationResult(
                    seq=m.seq,
                    status="rejected",
                    code="not_found",
                    message="That record no longer exists.",
                )
            if current.version != args["base_version"]:
                return MutationResult(
                    seq=m.seq, status="conflict", code="conflict", message="Changed centrally."
                )
            self.put(crn, record_id, {str(args["field"]): args["value"]})
            return MutationResult(seq=m.seq, status="applied")
        return MutationResult(
            seq=m.seq, status="rejected", code="unknown_mutation", message="Not understood."
        )

    def push(self, user: str, request: PushRequest) -> Answer:
        results = []
        client = request.client_id
        for m in request.mutations:
            last = self.last_seq.get(client, 0)
            if m.seq <= last:
                results.append(self.results[(client, m.seq)])
                continue
            if m.seq != last + 1:
                return _problem(409, "sequence_gap", "Mutations must arrive in order.")
            if str(m.args.get("crn")) not in self.scope.get(user, set()):
                result = MutationResult(
                    seq=m.seq, status="rejected", code="forbidden", message="Not your case."
                )
            else:
                result = self.apply(client, m)
            self.results[(client, m.seq)] = result
            self.last_seq[client] = m.seq
            self.applied.append((client, m.seq, m.id))
            results.append(result)
        answer = PushResponse(
            protocol_version=PROTOCOL_VERSION,
            last_applied_seq=self.last_seq.get(client, 0),
            results=results,
        )
        return 200, answer.model_dump(mode="json"), {}

    def stored(self, request: ResultsRequest) -> Answer:
        """POST /v1/sync/results: stored results after a seq, with the mutation ids."""
        client = request.client_id
        last = self.last_seq.get(client, 0)
        ids = {seq: mid for cid, seq, mid in self.applied if cid == client}
        upper = min(request.up_to_seq, last)
        answer = ResultsResponse(
            protocol_version=PROTOCOL_VERSION,
            last_applied_seq=last,
            results=[
                StoredResult(mutation_id=ids[seq], result=self.results[(client, seq)])
                for seq in range(request.after_seq + 1, upper + 1)
            ],
        )
        return 200, answer.model_dump(mode="json"), {}

    def pull(self, user: str, request: PullRequest) -> Answer:
        scope = self.scope.get(user, set())
        held = set(request.held_cases)
        start = int(request.cursor or 0)
        entering = sorted(scope - held)[: request.limit]
        evicted = sorted(held - scope)
        budget = request.limit - len(entering)
        window = self.log[start : start + max(budget, 0)]
        end = start + len(window)
        changes = [c for c in window if c.crn in scope and c.crn in held]
        has_more = end < len(self.log) or len(entering) < len(scope - held)
        answer = PullResponse(
            protocol_version=PROTOCOL_VERSION,
            snapshots=[self.snapshot(crn) for crn in entering],
            changes=changes,
            evicted=evicted,
            checksums={} if has_more else {crn: self.checksum(crn) for crn in scope},
            cursor=str(end),
            has_more=has_more,
            last_applied_seq=self.last_seq.get(request.client_id, 0),
        )
        return 200, answer.model_dump(mode="json"), {}

    def token(self, form: dict[str, str]) -> Answer:
        device = form.get("device_id", "")
        if device in self.revoked:
            return _problem(403, "device_revoked", "Revoked.", action="wipe")
        if form.get("grant_type") == "password":
            user = form.get("username", "")
            if self.passwords.get(user) != form.get("password"):
                return _oauth_error("invalid_grant")
        else:
            owner = self.refresh.pop(form.get("refresh_token", ""), None)
            if owner is None or owner[1] != device:
                return _oauth_error("invalid_grant")
            user = owner[0]
        access, refresh = secrets.token_hex(8), secrets.token_hex(8)
        self.access[access] = (user, device)
        self.refresh[refresh] = (user, device)
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": refresh,
        }
        return 200, body, {}

    def handle(self, path: str, body: bytes, bearer: str | None) -> Answer:
        with self.lock:
            if path == "/healthz":
                return 200, {"status": "ok", "protocol_version": PROTOCOL_VERSION}, {}
            if path == "/oauth/token":
                form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                return self.token(form)
            who = self.access.get(bearer or "")
            if who is None:
                return _problem(401, "token_expired", "Refresh it.")
            if who[1] in self.revoked:
                return _problem(403, "device_revoked", "Revoked.", action="wipe")
            user = who[0]
            if path == "/v1/me":
                return (
                    200,
                    {
                        "officer": {"username": user},
                        "policy": {"idle_lock_minutes": 15, "max_offline_days": 7},
                    },
                    {},
                )
            if path == "/v1/sync/push":
                return self.push(user, PushRequest.model_validate_json(body))
            if path == "/v1/sync/results":
                return self.stored(ResultsRequest.model_validate_json(body))
            if path == "/v1/sync/pull":
                return self.pull(user, PullRequest.model_validate_json(body))
            if path == "/v1/sync/case":
                crn = CaseRequest.model_validate_json(body).crn
                if crn not in self.scope.get(user, set()):
                    return _problem(404, "not_found", "Not in your scope.")
                return 200, self.snapshot(crn).model_dump(mode="json"), {}
            return _problem(404, "not_found", "No such endpoint.")


def _problem(status: int, code: str, message: str, action: str | None = None) -> Answer:
    body: dict[str, Any] = {"code": code, "message": message}
    if action:
        body["action"] = {"kind": action, "message": message}
    return status, body, {}


def _oauth_error(error: str) -> Answer:
    return 400, {"code": error, "message": error, "error": error}, {}


class _Handler(BaseHTTPRequestHandler):
    central: Central

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        bearer = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        self.central.protocol_headers.append(self.headers.get("X-Fieldcase-Protocol"))
        hooked = self.central.hook(self.path, body) if self.central.hook else None
        status, payload, shared = hooked or self.central.handle(self.path, body, bearer)
        headers = dict(shared)
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        truncate = headers.pop("X-Test-Truncate", None) is not None
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw[: len(raw) // 2] if truncate else raw)
        if truncate:
            self.close_connection = True

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is not an access log."""


@contextmanager
def serve(central: Central) -> Iterator[str]:
    """Serve `central` on a free loopback port; yields the base URL."""
    handler = type("Handler", (_Handler,), {"central": central})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve_tls(central: Central, cert: str, key: str) -> Iterator[str]:
    """Like `serve`, over TLS with the given certificate (for CA-bundle tests)."""
    import ssl

    handler = type("Handler", (_Handler,), {"central": central})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
