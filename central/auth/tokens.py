"""Access tokens (short-lived HS256 JWTs) and refresh tokens (random, stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

ISSUER = "fieldcase-central"
ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    username: str
    device_id: str
    session_id: str  # the sign-in's token family, checked on every request


class TokenExpired(Exception):
    """The access token was genuine but is past its `exp`: the client should refresh."""


class TokenInvalid(Exception):
    """The access token is malformed, forged or missing a claim."""


def issue_access_token(
    secret: bytes,
    username: str,
    device_id: str,
    now: datetime,
    lifetime: timedelta,
    *,
    session_id: str,
) -> str:
    claims = {
        "iss": ISSUER,
        "sub": username,
        "did": device_id,
        "sid": session_id,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(secret: bytes, token: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "did", "sid", "exp", "iat", "jti", "iss"]},
            leeway=5,
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired from exc
    except jwt.PyJWTError as exc:
        raise TokenInvalid(str(exc)) from exc
    sub, did, sid = claims["sub"], claims["did"], claims["sid"]
    if not all(isinstance(value, str) for value in (sub, did, sid)):
        raise TokenInvalid("sub, did and sid must be strings")
    return AccessClaims(username=sub, device_id=did, session_id=sid)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_hash(token: str) -> str:
    """What the database keeps: a stolen database backup yields no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()
