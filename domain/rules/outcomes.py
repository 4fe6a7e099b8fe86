"""Which outcomes a contact type allows and which enforcement actions an outcome allows.

Enforcement lists show only the actions that fit (practitioners asked for
that): none after a compliant or acceptable outcome, and licences and community
orders get different letters (licences are warned, then recalled).
"""

from __future__ import annotations

from domain.reference import EnforcementAction, Outcome, reference
from domain.rules import _lookup


def allowed_outcomes(contact_type_code: str) -> list[Outcome]:
    """Outcomes an officer may pick for a contact of this type, in reference order.

    Only attendance (appointment) types take an outcome; a type that lists its
    outcomes (as the national system links them) offers only those. Outcomes set
    by another action (the rescheduled ones, set by rescheduling) are never offered.
    """
    ctype = _lookup.contact_type(contact_type_code)
    if not ctype.attendance:
        return []
    linked = set(ctype.outcomes)
    return [
        o
        for o in reference().outcomes.values()
        if not o.system_only and (not linked or o.code in linked)
    ]


def allowed_enforcement_actions(outcome_code: str, *, licence: bool) -> list[EnforcementAction]:
    """Enforcement actions that may follow this outcome on a licence or a community order."""
    outcome = _lookup.outcome(outcome_code)
    if outcome.complied or outcome.acceptable_absence or outcome.rescheduled:
        return []
    actions = [_lookup.enforcement_action(code) for code in outcome.enforcement_actions]
    if licence:
        return [a for a in actions if not a.community_only]
    return [a for a in actions if not a.licence_only]


def outcome_flags(outcome_code: str) -> tuple[bool | None, bool | None]:
    """The (attended, complied) flags a contact takes from its outcome; None = not recorded."""
    outcome = _lookup.outcome(outcome_code)
    return outcome.attended, outcome.complied


def is_failure(outcome_code: str) -> bool:
    """True when the outcome is a failure to comply (attended or not).

    A failure to attend awaiting evidence (AFTA) is not one yet: it becomes an
    unacceptable absence or an acceptable one when the evidence is judged.
    """
    return _lookup.outcome(outcome_code).complied is False
