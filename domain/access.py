"""Limited Access Offenders: exclusion and restriction lists on a case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.model import Entity
from domain.people import Crn

AccessReason = Literal["allowed", "excluded", "restricted"]


class LimitedAccess(Entity):
    """The access rules of one case.

    An *exclusion* list bars the named users; a *restriction* list (when not
    empty) admits only the named users. Each carries the message shown instead
    of the case.
    """

    crn: Crn
    excluded_users: frozenset[str] = frozenset()
    restricted_to_users: frozenset[str] = frozenset()
    exclusion_message: str = "You are excluded from viewing this case."
    restriction_message: str = "This case is restricted. Please contact a manager."


@dataclass(frozen=True, slots=True)
class AccessDecision:
    allowed: bool
    message: str = ""
    reason: AccessReason = "allowed"


def _named(username: str, users: frozenset[str]) -> bool:
    """Usernames compare without case: the national directory does not tell case apart."""
    wanted = username.casefold()
    return any(user.casefold() == wanted for user in users)


def is_excluded(username: str, lao: LimitedAccess | None) -> bool:
    """True when the user is on the case's exclusion list."""
    return lao is not None and _named(username, lao.excluded_users)


def is_restricted(username: str, lao: LimitedAccess | None) -> bool:
    """True when the case is restricted and the user is not one of the named users."""
    return (
        lao is not None
        and bool(lao.restricted_to_users)
        and not _named(username, lao.restricted_to_users)
    )


def decide_access(username: str, lao: LimitedAccess | None) -> AccessDecision:
    """May `username` see the case? Exclusion wins over restriction."""
    if lao is None:
        return AccessDecision(True)
    if is_excluded(username, lao):
        return AccessDecision(False, lao.exclusion_message, "excluded")
    if is_restricted(username, lao):
        return AccessDecision(False, lao.restriction_message, "restricted")
    return AccessDecision(True)
