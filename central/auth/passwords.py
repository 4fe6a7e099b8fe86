"""Argon2id password hashes (argon2-cffi), with parameters from one of its profiles.

The default is argon2-cffi's own (RFC 9106 low-memory: 64 MiB, 3 passes), about
half a second on a small server. `FIELDCASE_CENTRAL_ARGON2_PROFILE` may name
another `argon2.profiles` entry; the test suite uses `CHEAPEST` so that hundreds
of sign-ins stay fast. Each hash carries its own parameters, so a hash made
under one profile still verifies under another, and `needs_rehash` upgrades
it at the next successful sign-in.
"""

from __future__ import annotations

import os
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

PROFILE_ENV = "FIELDCASE_CENTRAL_ARGON2_PROFILE"


@cache
def hasher() -> PasswordHasher:
    name = os.environ.get(PROFILE_ENV)
    if not name:
        return PasswordHasher()
    profile = getattr(profiles, name, None)
    if profile is None:
        raise ValueError(f"{PROFILE_ENV}={name} names no argon2.profiles entry")
    return PasswordHasher.from_parameters(profile)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; never raises for a wrong password or bad hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")


def burn_time() -> None:
    """Spend a verification's time when the user does not exist (no timing oracle)."""
    verify_password(_dummy_hash(), "still-not-a-real-password")
