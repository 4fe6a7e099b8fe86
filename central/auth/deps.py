"""`current_principal`: the FastAPI dependency every protected route uses.

It checks the bearer token, then the device, the user and the sign-in session
(token family) in the database on every request, so that a revoked laptop is
told to wipe itself at its next contact, and a disabled account, a reset password
or a revoked session stops at once, not when its token expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import bindparam, select

from central.auth import tokens
from central.errors import ApiError, device_revoked
from central.state import AppState, app_state
from central.tables import devices, staff, token_families, users

bearer = OAuth2PasswordBearer(tokenUrl="/oauth/token", auto_error=False)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, from which laptop: what scope, LAO and audit decisions need."""

    username: str
    staff_code: str | None
    team_code: str | None
    device_id: str


# Built once: the same statement every request (SQLAlchemy caches its compiled form too,
# but building the joins per request cost more than running them).
_PRINCIPAL = (
    select(
        users.c.active,
        users.c.staff_code,
        staff.c.team_code,
        devices.c.revoked_at,
        token_families.c.id.label("session_id"),
        token_families.c.revoked_at.label("session_ended_at"),
    )
    .select_from(users.join(devices, devices.c.username == users.c.username))
    .outerjoin(staff, staff.c.code == users.c.staff_code)
    .outerjoin(
        token_families,
        (token_families.c.id == bindparam("sid")) & (token_families.c.device_id == devices.c.id),
    )
    .where(users.c.username == bindparam("username"), devices.c.id == bindparam("device"))
)


def _unauthorised(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def current_principal(
    state: Annotated[AppState, Depends(app_state)],
    token: Annotated[str | None, Depends(bearer)],
) -> Principal:
    if not token:
        raise _unauthorised("not_authenticated", "Send 'Authorization: Bearer <access token>'.")
    try:
        claims = tokens.decode_access_token(state.jwt_secret, token)
    except tokens.TokenExpired as exc:
        raise _unauthorised("token_expired", "Access token expired; refresh it.") from exc
    except tokens.TokenInvalid as exc:
        raise _unauthorised("invalid_token", "Access token is not valid; sign in.") from exc
    params = {"username": claims.username, "device": claims.device_id, "sid": claims.session_id}
    with state.engine.connect() as conn:
        row = conn.execute(_PRINCIPAL, params).first()
    if row is None or not row.active:
        raise _unauthorised("invalid_token", "The account or device no longer exists; sign in.")
    if row.revoked_at is not None:
        raise device_revoked()
    if row.session_id is None or row.session_ended_at is not None:
        raise _unauthorised("session_ended", "This sign-in was ended; sign in again.")
    return Principal(claims.username, row.staff_code, row.team_code, claims.device_id)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
