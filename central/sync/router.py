"""HTTP endpoints of sync: `POST /v1/sync/push`, `/results`, `/pull`, `/case`.

Handlers only check the caller (protocol version, own device) and translate errors
into Problems; the work is in `push`, `pull` and `scope`. An answer about a case the
officer may not reach reads the same whether the case exists or not.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from central.audit import record_audits
from central.auth.deps import CurrentPrincipal, Principal
from central.db import transaction
from central.errors import ApiError
from central.state import AppState, app_state
from central.sync.batch import ChangedUnderBatch
from central.sync.cursor import BadCursor, decode
from central.sync.pull import CursorAhead, serve_case, serve_pull
from central.sync.push import push
from central.sync.replay import SeqReused
from central.sync.results import stored_results_since
from central.sync.scope import OUT_OF_SCOPE
from sync.protocol import (
    PROTOCOL_VERSION,
    CaseRequest,
    CaseSnapshot,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    ResultsRequest,
    ResultsResponse,
    ServerAction,
)

log = logging.getLogger(__name__)
CRN = re.compile(r"[A-Z][0-9]{6}")
router = APIRouter(prefix="/v1/sync", tags=["sync"])
State = Annotated[AppState, Depends(app_state)]
_ERRORS: dict[int | str, dict[str, object]] = {code: {} for code in (400, 401, 403, 404, 503)}
_PUSH_ERRORS: dict[int | str, dict[str, object]] = {**_ERRORS, 409: {}}


def check_protocol(version: int) -> None:
    """An older client is told to upgrade (it keeps its outbox); a newer one is refused."""
    if version == PROTOCOL_VERSION:
        return
    if version < PROTOCOL_VERSION:
        action = ServerAction(
            kind="upgrade_required",
            message="This version of Fieldcase is out of date. Your unsent work is kept; "
            "install the update to carry on syncing.",
        )
        message = f"Protocol {version} is no longer supported; upgrade the client."
        raise ApiError(400, "upgrade_required", message, action=action)
    raise ApiError(
        400,
        "unsupported_protocol",
        f"This server speaks protocol {PROTOCOL_VERSION}, not {version}; upgrade the server.",
    )


def check_client(principal: Principal, client_id: object) -> str:
    """A laptop pushes and pulls only as itself: client_id is the signed-in device."""
    if str(client_id) != principal.device_id:
        message = "client_id must be the device id this access token was issued to."
        raise ApiError(403, "wrong_client", message)
    return principal.device_id


def _busy(exc: OperationalError | ChangedUnderBatch) -> ApiError:
    cause = exc.orig if isinstance(exc, OperationalError) else exc
    log.info("database busy (%s); asking the client to retry", type(cause).__name__)
    message = "The server is busy; try again shortly."
    return ApiError(503, "busy", message, headers={"Retry-After": "2"})


def _reset(message: str) -> ApiError:
    action = ServerAction(
        kind="reset", message="The server asked Fieldcase to download your cases again."
    )
    return ApiError(400, "bad_cursor", message, action=action)


def _json(model: PushResponse | CaseSnapshot | ResultsResponse) -> Response:
    """Serialise once, without re-validating models built from the database's rows."""
    return Response(model.model_dump_json(), media_type="application/json")


def _audit_downloads(engine: Engine, principal: Principal, crns: list[str]) -> None:
    """A case copied to a laptop is a case view: audited with user and device."""
    with transaction(engine) as conn:
        record_audits(conn, principal, "case_downloaded", [(crn, None, {}) for crn in crns])


@router.post("/push", response_model=PushResponse, responses=_PUSH_ERRORS)
def push_endpoint(body: PushRequest, principal: CurrentPrincipal, state: State) -> Response:
    """Apply queued mutations exactly once, in seq order (DESIGN.md, sync protocol)."""
    check_protocol(body.protocol_version)
    check_client(principal, body.client_id)
    try:
        return _json(push(state.engine, principal, body))
    except (OperationalError, ChangedUnderBatch) as exc:  # run twice already: resend
        raise _busy(exc) from exc
    except SeqReused as exc:  # a protocol violation: nothing of the batch was applied
        log.info("push client=%s refused: %s at seq %d", principal.device_id, exc.code, exc.seq)
        raise ApiError(409, exc.code, exc.message) from exc


@router.post("/results", response_model=ResultsResponse, responses=_ERRORS)
def results_endpoint(body: ResultsRequest, principal: CurrentPrincipal, state: State) -> Response:
    """Stored results of seqs already applied (answers a laptop lost), with their ids."""
    check_protocol(body.protocol_version)
    client_id = check_client(principal, body.client_id)
    try:
        return _json(stored_results_since(state.engine, client_id, body))
    except OperationalError as exc:
        raise _busy(exc) from exc


@router.post("/pull", response_model=PullResponse, responses=_ERRORS)
def pull_endpoint(body: PullRequest, principal: CurrentPrincipal, state: State) -> Response:
    """One page of evictions, snapshots and changes; resume with the returned cursor."""
    check_protocol(body.protocol_version)
    client_id = check_client(principal, body.client_id)
    try:
        cursor = None if body.cursor is None else decode(body.cursor)
    except BadCursor as exc:
        raise _reset("The pull cursor is not valid; pull again without one.") from exc
    started = time.perf_counter()
    try:
        page = serve_pull(state.engine, principal, body, cursor)
        if page.snapshotted:
            _audit_downloads(state.engine, principal, page.snapshotted)
    except CursorAhead as exc:
        raise _reset("The pull cursor is ahead of this server's data; pull again.") from exc
    except OperationalError as exc:
        raise _busy(exc) from exc
    log.info(
        "pull client=%s snapshots=%d changes=%d evicted=%d has_more=%s ms=%.0f",
        client_id,
        len(page.snapshotted),
        page.changes,
        page.evicted,
        page.has_more,
        (time.perf_counter() - started) * 1000,
    )
    # Already the PullResponse JSON (central.sync.wire); `response_model` documents it.
    return Response(page.body, media_type="application/json")


@router.post("/case", response_model=CaseSnapshot, responses=_ERRORS)
def case_endpoint(body: CaseRequest, principal: CurrentPrincipal, state: State) -> Response:
    """Re-fetch one in-scope case whose checksum drifted on the laptop."""
    check_protocol(body.protocol_version)
    check_client(principal, body.client_id)
    if not CRN.fullmatch(body.crn):
        message = "crn must be one letter followed by six digits, for example X320741."
        raise ApiError(422, "invalid_request", message)
    try:
        snapshot = serve_case(state.engine, principal, body.crn)
        if snapshot is not None:
            _audit_downloads(state.engine, principal, [snapshot.crn])
    except OperationalError as exc:
        raise _busy(exc) from exc
    if snapshot is None:
        raise ApiError(404, "not_in_scope", OUT_OF_SCOPE)
    return _json(snapshot)
