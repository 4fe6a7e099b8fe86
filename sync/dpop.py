"""The laptop's proof-of-possession key (DPoP, RFC 9449) for the token endpoint.

Made at the first sign-in on this profile (enrolment) and kept sealed under the
officer's key (storage/vault.py), never in the clear. The server binds the device
and its refresh tokens to the key's thumbprint, and every sign-in and refresh
carries a fresh proof signed with it: a refresh token copied to another computer
cannot be used there without this key, which in turn opens only with the officer's
password. ES256 (P-256) through `cryptography`, proofs as JWTs through PyJWT.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

ALGORITHM = "ES256"


class DeviceKey:
    """An EC P-256 key pair that signs DPoP proofs."""

    def __init__(self, private: ec.EllipticCurvePrivateKey) -> None:
        self._private = private
        self.jwk: dict[str, Any] = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: bytes) -> DeviceKey:
        private = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private, ec.EllipticCurvePrivateKey):
            raise ValueError("not an EC private key")
        return cls(private)

    def to_pem(self) -> bytes:
        """PKCS#8 without a passphrase: the whole PEM is sealed before it is stored."""
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def thumbprint(self) -> str:
        """RFC 7638 (`jkt`): what the server binds the device and its tokens to."""
        members = {name: self.jwk[name] for name in ("crv", "kty", "x", "y")}
        canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()

    def proof(self, method: str, url: str, *, issued_at: float) -> str:
        """A one-time proof for `method` on `url` (without its query or fragment)."""
        parts = urlsplit(url)
        claims = {
            "jti": secrets.token_urlsafe(24),
            "htm": method,
            "htu": urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            "iat": int(issued_at),
        }
        headers = {"typ": "dpop+jwt", "jwk": self.jwk}
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers=headers)
