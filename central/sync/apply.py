"""Running one mutation for an officer: scope checks, the shared semantics, the writes.

The rules themselves live in `domain.semantics` (the same code the laptop runs); this
module only decides whether the officer may touch the case at all, and writes the
returned effects: records with new feed versions, pins, and the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, delete

from central import keeps
from central.auth.deps import Principal
from central.documents.gate import check_count
from central.sync.reader import SqlCaseReader
from central.sync.scope import OUT_OF_SCOPE, ScopeCache, crn_visible
from central.tables import pins
from domain.calendar import LONDON
from domain.errors import FieldcaseError, RuleViolation, ValidationError
from domain.semantics import Actor, Effects, apply_mutation
from domain.semantics.args import mutation_model, validate_model
from sync.protocol import FieldConflict, MutationEnvelope, MutationResult

_CRN = re.compile(r"[A-Z][0-9]{6}")
# Mutations about a case the officer may not hold yet (a pin brings it into scope).
_VISIBLE_ENOUGH = frozenset({"pin_case", "case_viewed", "briefing_saved"})


class OutOfScope(FieldcaseError):
    """The case is not the officer's to change; worded to reveal nothing about it."""

    title = "Not in your caseload"
    code = "out_of_scope"

    def __init__(self) -> None:
        super().__init__(OUT_OF_SCOPE)


@dataclass(frozen=True, slots=True)
class Clock:
    """The server's own time for a mutation; the client's clock never decides anything."""

    now: dt.datetime

    @property
    def today(self) -> dt.date:
        # London's offset is whole minutes and changes on a minute, so the date of the
        # minute is the date of the moment (and a push batch asks for one minute only).
        return _london_date(self.now.replace(second=0, microsecond=0))


@lru_cache(maxsize=8)
def _london_date(minute: dt.datetime) -> dt.date:
    return minute.astimezone(LONDON).date()


def _target_crn(args: dict[str, Any]) -> str | None:
    crn = args.get("crn")
    return crn if isinstance(crn, str) else None


def check_target(
    conn: Connection,
    principal: Principal,
    env: MutationEnvelope,
    scope: ScopeCache | None = None,
) -> ScopeCache:
    """Refuse before reading anything when the mutation names a case out of reach."""
    scope = ScopeCache(conn, principal) if scope is None else scope
    crn = _target_crn(env.args)
    if crn is None or env.name == "unpin_case":
        return scope
    allowed = (
        crn_visible(conn, principal.username, crn)
        if env.name in _VISIBLE_ENOUGH
        else scope.allows(crn)
    )
    if not allowed:
        raise OutOfScope()
    return scope


def compute(
    conn: Connection,
    principal: Principal,
    env: MutationEnvelope,
    clock: Clock,
    *,
    scope: ScopeCache | None = None,
    make_reader: Callable[[Callable[[str], bool]], SqlCaseReader] | None = None,
) -> tuple[Effects, SqlCaseReader]:
    """The effects of `env` for `principal`, or a typed error saying why it is refused.

    The arguments are judged before the scope: a malformed CRN is reported as malformed
    rather than as out of reach. They are validated once: `apply_mutation` does it
    before anything else, so only a refusal of the target has to validate them first.
    A push batch passes its own `scope` (shared by the batch) and `make_reader` (reads
    through what the batch already read and wrote).
    """
    check_count(env.args)  # documents per change: the service's policy
    try:
        scope = check_target(conn, principal, env, scope)
    except OutOfScope:
        validate_model(mutation_model(env.name, env.version), env.args)
        raise
    reader = SqlCaseReader(conn, scope.allows) if make_reader is None else make_reader(scope.allows)
    effects = apply_mutation(
        env.name,
        env.version,
        env.args,
        mutation_id=env.id,
        actor=Actor(principal.username, principal.staff_code, principal.team_code),
        reader=reader,
        today=clock.today,
        now=clock.now,
        detect_conflicts=True,
    )
    if any(not scope.allows(upsert.crn) for upsert in effects.upserts):
        raise OutOfScope()
    return effects, reader


def audit_items(
    env: MutationEnvelope, effects: Effects, now: dt.datetime
) -> list[tuple[str, str, str | None, dict[str, Any], dt.datetime | None]]:
    """A mutation's audit entries as (action, crn, record_id, detail, claimed), to batch.

    `claimed` is a time the laptop gave for the event (a case viewed offline), or None;
    the entry's own time is always the server's (`central.audit`)."""
    items = []
    for entry in effects.audit:
        ids = [str(i) for i in entry.record_ids]
        detail: dict[str, Any] = {"mutation_id": str(env.id), "seq": env.seq, "record_ids": ids}
        if entry.action == "pin_case":
            detail.update(keeps.keep_detail(env.args))
        claimed = entry.at if entry.at is not None and entry.at != now else None
        items.append((entry.action, entry.crn, ids[0] if len(ids) == 1 else None, detail, claimed))
    return items


def write_pins(
    conn: Connection,
    principal: Principal,
    env: MutationEnvelope,
    effects: Effects,
    now: dt.datetime,
) -> bool:
    """A mutation's pins (keeps, with their reason and lapse) and unpins; True
    when a keep waits for approval (`central.keeps`)."""
    waiting = False
    for crn in effects.pins:
        status = keeps.keep(
            conn, principal.username, principal.team_code, crn, args=env.args, now=now
        )
        waiting = waiting or status == keeps.PENDING
    for crn in effects.unpins:
        conn.execute(
            delete(pins).where(and_(pins.c.username == principal.username, pins.c.crn == crn))
        )
    return waiting


def awaiting_approval(result: MutationResult) -> MutationResult:
    """An applied keep that waits for approval says so (the case is not in scope yet)."""
    return result.model_copy(update={"code": "pending_approval", "message": keeps.PENDING_MESSAGE})


def result_of(seq: int, effects: Effects) -> MutationResult:
    """Applied, or a conflict listing every field held back with both values."""
    if not effects.conflicts:
        # A push answers hundreds: pydantic's validating constructor is the quick one
        # here (model_construct runs its default-filling in Python, half as fast again).
        return MutationResult(seq=seq, status="applied")
    conflicts = [
        FieldConflict(
            kind=c.kind,
            record_id=c.record_id,
            field=c.field,
            original=c.original,
            yours=c.yours,
            central=c.central,
        )
        for c in effects.conflicts
    ]
    fields = ", ".join(sorted({c.field for c in effects.conflicts}))
    message = (
        f"Someone else changed {fields} since you last synced; your other changes were "
        "saved. Choose which value to keep."
    )
    return MutationResult(
        seq=seq, status="conflict", code="field_conflict", message=message, conflicts=conflicts
    )


def rejected(seq: int, exc: FieldcaseError) -> MutationResult:
    """A stored refusal with the plain message the officer will read."""
    return MutationResult(seq=seq, status="rejected", code=error_code(exc), message=exc.message)


def error_code(exc: FieldcaseError) -> str:
    if isinstance(exc, ValidationError):
        return "validation_error"
    if isinstance(exc, RuleViolation):
        return "rule_violation"
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) else "rejected"


def refusal_audit(
    env: MutationEnvelope, result: MutationResult
) -> tuple[str, dict[str, Any]] | None:
    """The (crn, detail) of the audit entry this refusal leaves, if any: an attempt on a
    case out of reach (e.g. Limited Access) goes on that case's trail."""
    crn = _target_crn(env.args)
    if result.code != OutOfScope.code or crn is None or not _CRN.fullmatch(crn):
        return None
    return crn, {"mutation": env.name[:64], "mutation_id": str(env.id), "seq": env.seq}
