"""Limited Access Offenders: is this user excluded from, or restricted out of, this case.

The entity and the decision live in `domain.access` (the sync protocol carries
them); the rules layer re-exports them so every rule is found in one place.
"""

from __future__ import annotations

from domain.access import (
    AccessDecision,
    AccessReason,
    LimitedAccess,
    decide_access,
    is_excluded,
    is_restricted,
)

__all__ = [
    "AccessDecision",
    "AccessReason",
    "LimitedAccess",
    "decide_access",
    "is_excluded",
    "is_restricted",
]
