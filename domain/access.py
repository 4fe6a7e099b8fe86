"""Limited Access Offenders: exclusion and restriction lists on a case."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model import Entity
from domain.people import Crn


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


def decide_access(username: str, lao: LimitedAccess | None) -> AccessDecision:
    """May `username` see the case? Exclusion wins over restriction."""
    if lao is None:
        return AccessDecision(True)
    if username in lao.excluded_users:
        return AccessDecision(False, lao.exclusion_message)
    if lao.restricted_to_users and username not in lao.restricted_to_users:
        return AccessDecision(False, lao.restriction_message)
    return AccessDecision(True)
