"""Reference data: the national system's codes, read from versioned JSON files.

Screens and rules ask this module, never hard-code a code. The files live in
`domain/refdata/` and each carries a `version`, so a client and a server can
tell whether they speak the same codes.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict

Requirement = Literal["required", "optional", "not_applicable"]


class _Ref(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Coded(_Ref):
    code: str


class ContactType(_Coded):
    description: str
    category: str
    attendance: bool = False
    national_standards: bool = False
    outcome_required: bool = False
    location: Requirement = "not_applicable"
    person_level: bool = True
    rar_eligible: bool = False
    unpaid_work: bool = False
    system_generated: bool = False
    # The national SENSITIVE_CONTACT default: a new contact of this type starts sensitive.
    sensitive: bool = False
    # Outcomes the national system links to this type (R_CONTACT_TYPE_OUTCOME) where our
    # sources show them; empty means every outcome an officer may pick.
    outcomes: tuple[str, ...] = ()
    usage_rank: int = 1000


class Outcome(_Coded):
    description: str
    plain_words: str
    attended: bool | None
    complied: bool | None
    acceptable_absence: bool = False
    holding: bool = False
    rescheduled: bool = False
    enforceable: bool = False
    enforcement_actions: tuple[str, ...] = ()
    # Set only by another action (rescheduling books the new appointment too), never picked.
    system_only: bool = False


class EnforcementAction(_Coded):
    description: str
    response_days: int | None = None
    working_days: bool = False
    licence_only: bool = False
    community_only: bool = False
    starts_breach: bool = False


class RequirementCategory(_Coded):
    description: str
    units: Literal["days", "hours", "months", "sessions", "none"]


class RegisterType(_Coded):
    description: str
    group: Literal["rosh", "mappa", "safeguarding", "staff", "other"]
    colour: Literal["red", "amber", "green", "white"]
    review_period_months: int | None = None
    severity: int = 0
    levels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class SentenceType(_Coded):
    description: str
    licence: bool = False
    custodial: bool = False
    ftc_limit: int = 2
    ftc_window_months: int = 12


class ReferenceData(_Ref):
    version: str
    contact_types: dict[str, ContactType]
    outcomes: dict[str, Outcome]
    enforcement_actions: dict[str, EnforcementAction]
    requirement_categories: dict[str, RequirementCategory]
    register_types: dict[str, RegisterType]
    sentence_types: dict[str, SentenceType]

    def contact_type(self, code: str) -> ContactType:
        return self.contact_types[code]

    def outcome(self, code: str) -> Outcome:
        return self.outcomes[code]

    def enforcement_action(self, code: str) -> EnforcementAction:
        return self.enforcement_actions[code]

    def register_type(self, code: str) -> RegisterType:
        return self.register_types[code]

    def sentence_type(self, code: str) -> SentenceType:
        return self.sentence_types[code]

    def appointment_types(self) -> list[ContactType]:
        """Attendance types an officer may book, most used first."""
        rows = (t for t in self.contact_types.values() if t.attendance and not t.system_generated)
        return sorted(rows, key=lambda t: (t.usage_rank, t.description))


_FILES: dict[str, type[_Coded]] = {
    "contact_types": ContactType,
    "outcomes": Outcome,
    "enforcement_actions": EnforcementAction,
    "requirement_categories": RequirementCategory,
    "register_types": RegisterType,
    "sentence_types": SentenceType,
}


def _read(name: str) -> dict[str, object]:
    text = resources.files("domain.refdata").joinpath(f"{name}.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


@cache
def reference() -> ReferenceData:
    """The reference data shipped with this build (read once, then shared)."""
    versions: list[str] = []
    tables: dict[str, dict[str, _Coded]] = {}
    for name, model in _FILES.items():
        raw = _read(name)
        versions.append(f"{name}@{raw['version']}")
        items = raw["items"]
        assert isinstance(items, list)
        rows = [model.model_validate(item) for item in items]
        tables[name] = {row.code: row for row in rows}
    return ReferenceData.model_validate({"version": ";".join(versions), **tables})
