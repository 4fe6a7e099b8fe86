"""DPoP proofs (RFC 9449) on the token endpoint: refresh tokens bound to the laptop's key.

At its first sign-in a laptop sends a proof signed with a key pair it made and keeps
(wrapped under the officer's key); the server remembers the key's thumbprint (`jkt`,
RFC 7638) with the device and the sign-in's token family. Every later refresh must
carry a fresh proof from the same key, so a refresh token copied off one laptop is
useless on another. A proof is checked for its signature, type and algorithm, the
method and address it was made for (`htm`/`htu`), its age (`iat` within WINDOW_S of
the server's clock) and its id (`jti`, never seen before within the window).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from jwt.algorithms import ECAlgorithm
from sqlalchemy import Connection, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central.errors import ApiError
from central.tables import dpop_proofs

TYP = "dpop+jwt"
ALGORITHMS = ("ES256",)
# How far a proof's `iat` may be from the server's clock. A laptop whose clock is off by
# more is told the server's time in the error and signs again (sync/dpop.py).
WINDOW_S = 300
MAX_JTI = 64


@dataclass(frozen=True, slots=True)
class Proof:
    """A verified proof: the key's thumbprint and the proof's one-time id."""

    jkt: str
    jti: str


def invalid_proof(message: str, now: datetime) -> ApiError:
    """RFC 9449 §7.1's error, with the server's clock for a laptop whose clock drifted."""
    return ApiError(
        400,
        "invalid_dpop_proof",
        message,
        extra={
            "error": "invalid_dpop_proof",
            "error_description": message,
            "server_time": int(now.timestamp()),
        },
    )


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638: SHA-256 of the required members in lexical order, base64url."""
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def _public_key(header: Mapping[str, Any]) -> tuple[EllipticCurvePublicKey, str]:
    """The header's public key and its thumbprint; ValueError for anything else."""
    if header.get("typ") != TYP or header.get("alg") not in ALGORITHMS:
        raise ValueError("wrong typ or alg")
    jwk = header.get("jwk")
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("jwk must be a P-256 public key")
    if "d" in jwk:
        raise ValueError("jwk holds a private key")
    key = ECAlgorithm.from_jwk(jwk)
    if not isinstance(key, EllipticCurvePublicKey):
        raise ValueError("jwk is not a public key")
    return key, thumbprint(jwk)


def verify(proof: str | None, *, method: str, path: str, host: str, now: datetime) -> Proof:
    """Check a proof made for `method` on `path` at `host`; ApiError when it is not one.

    The scheme of `htu` is not compared: behind a TLS-terminating proxy the service sees
    plain HTTP while the laptop signed its https:// address. Host and path are compared.
    """
    if not proof:
        raise invalid_proof("A DPoP proof (RFC 9449) is required on the token endpoint.", now)
    try:
        key, jkt = _public_key(jwt.get_unverified_header(proof))
        claims = jwt.decode(
            proof,
            key,
            algorithms=list(ALGORITHMS),
            options={"require": ["jti", "htm", "htu", "iat"], "verify_iat": False},
        )
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise invalid_proof("The DPoP proof is not valid.", now) from exc
    htu, jti, iat = claims["htu"], claims["jti"], claims["iat"]
    target = urlsplit(htu) if isinstance(htu, str) else None
    if (
        claims["htm"] != method
        or target is None
        or target.path != path
        or (target.netloc or "").lower() != host.lower()
    ):
        raise invalid_proof("The DPoP proof was made for another request.", now)
    if not isinstance(jti, str) or not 16 <= len(jti) <= MAX_JTI:
        raise invalid_proof("The DPoP proof's jti must be 16 to 64 characters.", now)
    if not isinstance(iat, int | float) or abs(iat - now.timestamp()) > WINDOW_S:
        raise invalid_proof("The DPoP proof is too old or from the future.", now)
    return Proof(jkt=jkt, jti=jti)


def spend(conn: Connection, proof: Proof, now: datetime) -> None:
    """Remember the proof's id; a second use within the window is a replay, refused.

    Ids older than twice the window are dropped here, since their proofs are refused
    on age anyway.
    """
    conn.execute(delete(dpop_proofs).where(dpop_proofs.c.seen_at < now - 2 * _WINDOW))
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(dpop_proofs).values(jti=proof.jti, seen_at=now)
    added = conn.execute(statement.on_conflict_do_nothing().returning(dpop_proofs.c.jti))
    if added.first() is None:
        raise invalid_proof("This DPoP proof was already used.", now)


_WINDOW = timedelta(seconds=WINDOW_S)
