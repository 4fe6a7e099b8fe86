"""The two OAuth 2 grants: password (first sign-in on a device) and refresh token.

Refresh tokens rotate: each is used once and answered with a new one of the
same family. A second use of a spent token means it was copied, so the whole
family is revoked (RFC 6819 §5.2.2.3) and the laptop must sign in again.
Failures that change state (a counted failed sign-in, a revoked family) are
committed before the error is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from central.auth import dpop, sign_in, tokens
from central.auth.devices import device_pending, enrol_device
from central.auth.sessions import find_family, open_family, revoke_families
from central.db import as_utc, transaction
from central.errors import ApiError, device_revoked
from central.state import AppState
from central.tables import devices, refresh_tokens, users


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    refresh_token: str
    expires_in: int


def oauth_error(error: str, message: str, status: int = 400) -> ApiError:
    """An RFC 6749 §5.2 error that is also a Problem (`code`/`message`)."""
    return ApiError(status, error, message, extra={"error": error, "error_description": message})


def _issue(
    conn: Connection, state: AppState, *, username: str, device_id: str, family: str, now: datetime
) -> TokenGrant:
    settings = state.settings
    refresh = tokens.new_refresh_token()
    conn.execute(
        refresh_tokens.insert().values(
            token_hash=tokens.refresh_token_hash(refresh),
            family_id=family,
            device_id=device_id,
            username=username,
            issued_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access = tokens.issue_access_token(
        state.jwt_secret, username, device_id, now, lifetime, session_id=family
    )
    return TokenGrant(access, refresh, int(lifetime.total_seconds()))


def password_grant(
    state: AppState,
    *,
    username: str,
    password: str,
    device_id: str,
    device_name: str,
    proof: dpop.Proof,
    now: datetime,
    source: str = "",
) -> TokenGrant:
    """Sign in on a device, enrolling it (bound to the proof's key) on its first use.

    The password is checked before the write transaction (`central.auth.sign_in`), so the
    hash never runs under the write lock. A device waiting for approval is enrolled
    (committed, audited) but gets no tokens.
    """
    checked = sign_in.check_password(
        state, username, password, device_id=device_id, source=source, now=now
    )
    with transaction(state.engine) as conn:
        sign_in.confirm(conn, checked)
        dpop.spend(conn, proof, now)
        if enrol_device(conn, device_id, username, name=device_name, jkt=proof.jkt, now=now):
            family = open_family(
                conn, username=username, device_id=device_id, jkt=proof.jkt, now=now
            )
            return _issue(
                conn, state, username=username, device_id=device_id, family=family, now=now
            )
    raise device_pending(device_id)


def _bound(conn: Connection, family_id: str, jkt: str, now: datetime) -> ApiError | None:
    """The refusal when the token's session is over or bound to another key.

    A token presented with another laptop's key was copied: its whole session ends.
    """
    family = find_family(conn, family_id)
    if family is None or family.revoked:
        return oauth_error("invalid_grant", "This sign-in has ended; sign in again.")
    if family.jkt != jkt:
        revoke_families(conn, now, family_id=family_id)
        return oauth_error(
            "invalid_grant", "This refresh token is bound to another device's key; sign in again."
        )
    return None


def _spend(
    conn: Connection, token_hash: str, device_id: str, jkt: str, now: datetime
) -> tuple[str, str] | ApiError:
    """Mark the token used and return (username, family), or the error to answer."""
    row = conn.execute(
        select(
            refresh_tokens.c.family_id,
            refresh_tokens.c.device_id,
            refresh_tokens.c.username,
            refresh_tokens.c.expires_at,
        ).where(refresh_tokens.c.token_hash == token_hash)
    ).first()
    if row is None:
        return oauth_error("invalid_grant", "Unknown or revoked refresh token; sign in again.")
    if row.device_id != device_id:
        return oauth_error("invalid_grant", "This refresh token belongs to another device.")
    refused = _bound(conn, str(row.family_id), jkt, now)
    if refused is not None:
        return refused
    spent = conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.token_hash == token_hash, refresh_tokens.c.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if spent == 0:  # replayed: the whole session ends, its access tokens included
        revoke_families(conn, now, family_id=str(row.family_id))
        return oauth_error("invalid_grant", "Refresh token already used; sign in again.")
    expires_at = as_utc(row.expires_at)
    if expires_at is not None and expires_at <= now:
        return oauth_error("invalid_grant", "Refresh token expired; sign in again.")
    return str(row.username), str(row.family_id)


def refresh_grant(
    state: AppState, refresh_token: str, device_id: str, proof: dpop.Proof, now: datetime
) -> TokenGrant:
    """Swap a refresh token for a new pair, proving the key it is bound to; the old one is
    spent."""
    with transaction(state.engine) as conn:
        device = conn.execute(select(devices.c.revoked_at).where(devices.c.id == device_id)).first()
        if device is not None and device.revoked_at is not None:
            raise device_revoked()
        dpop.spend(conn, proof, now)
        token_hash = tokens.refresh_token_hash(refresh_token)
        outcome = _spend(conn, token_hash, device_id, proof.jkt, now)
        if not isinstance(outcome, ApiError):
            username, family = outcome
            active = conn.execute(select(users.c.active).where(users.c.username == username))
            if active.scalar():
                conn.execute(
                    update(devices).where(devices.c.id == device_id).values(last_seen_at=now)
                )
                return _issue(
                    conn, state, username=username, device_id=device_id, family=family, now=now
                )
            outcome = oauth_error("invalid_grant", "This account is disabled.")
    raise outcome
