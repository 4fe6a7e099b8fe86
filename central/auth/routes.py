"""`POST /oauth/token`: the OAuth 2 token endpoint (RFC 6749), form-encoded."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from central.auth import dpop
from central.auth.grants import TokenGrant, oauth_error, password_grant, refresh_grant
from central.config import CLIENT_ID
from central.db import utcnow
from central.state import AppState, app_state

router = APIRouter(tags=["auth"])

OptionalField = Annotated[str | None, Form()]


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    refresh_token: str


def _device_id(value: str | None) -> str:
    if not value:
        raise oauth_error("invalid_request", "device_id is required (a UUID chosen by the client).")
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise oauth_error("invalid_request", "device_id must be a UUID.") from exc


def _required(name: str, value: str | None) -> str:
    if not value:
        raise oauth_error("invalid_request", f"{name} is required for this grant type.")
    return value


def _proof(request: Request, header: str | None, now: datetime, public: str | None) -> dpop.Proof:
    """The request's DPoP proof, checked against this very request (and the service's
    public address, when a proxy in front rewrites the Host header)."""
    host = urlsplit(public).netloc if public else request.headers.get("host", "")
    return dpop.verify(header, method=request.method, path=request.url.path, host=host, now=now)


def _answer(grant: TokenGrant) -> JSONResponse:
    body = TokenResponse(
        access_token=grant.access_token,
        expires_in=grant.expires_in,
        refresh_token=grant.refresh_token,
    )
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    return JSONResponse(body.model_dump(), headers=headers)


@router.post(
    "/oauth/token",
    response_model=TokenResponse,
    responses={400: {}, 401: {}, 403: {}, 429: {}},
)
def token(
    request: Request,
    state: Annotated[AppState, Depends(app_state)],
    *,
    dpop_proof: Annotated[str | None, Header(alias="DPoP")] = None,
    grant_type: OptionalField = None,
    client_id: OptionalField = None,
    username: OptionalField = None,
    password: OptionalField = None,
    device_id: OptionalField = None,
    device_name: OptionalField = None,
    refresh_token: OptionalField = None,
) -> JSONResponse:
    """Sign in (`grant_type=password`) or refresh (`grant_type=refresh_token`).

    Both need a DPoP proof (RFC 9449) in the `DPoP` header: sign-in binds the device
    and its tokens to the proof's key, and every refresh must prove that key again.
    """
    if client_id is None:
        raise oauth_error("invalid_client", "client_id is required.", status=401)
    if client_id != CLIENT_ID:
        raise oauth_error("invalid_client", f"Unknown client_id; use {CLIENT_ID}.", status=401)
    now = utcnow()
    if grant_type == "password":
        fields = _required("username", username), _required("password", password)
        device = _device_id(device_id)
        grant = password_grant(
            state,
            username=fields[0],
            password=fields[1],
            device_id=device,
            device_name=device_name or "",
            proof=_proof(request, dpop_proof, now, state.settings.public_url),
            now=now,
            source=request.client.host if request.client else "",
        )
    elif grant_type == "refresh_token":
        token_value, device = _required("refresh_token", refresh_token), _device_id(device_id)
        proof = _proof(request, dpop_proof, now, state.settings.public_url)
        grant = refresh_grant(state, token_value, device, proof, now)
    elif not grant_type:
        raise oauth_error("invalid_request", "grant_type is required.")
    else:
        raise oauth_error(
            "unsupported_grant_type", "grant_type must be 'password' or 'refresh_token'."
        )
    return _answer(grant)
