"""The one local write path: a named mutation applied to the cache AND queued, atomically.

The semantics (domain.semantics, shared with the server) decide what changes; this module
only writes their Effects and the outbox row in the same transaction, so a crash leaves
either both or neither — nothing is "saved" on screen that is not also queued to send.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from domain.model import Entity
from domain.mutations import SUPPORTED
from domain.semantics import Actor, Effects, apply_mutation
from storage import outbox, records
from storage.db import CacheDb
from storage.deferred import need_id_indexes
from storage.effects import write_effects

log = logging.getLogger(__name__)

OUTBOX_KIND = "outbox"


@dataclass(frozen=True, slots=True)
class LocalChange:
    """What one local write changed (CONVENTIONS §7: refresh by change set)."""

    seq: int
    mutation_id: uuid.UUID
    cases: frozenset[str]
    kinds: frozenset[str]
    warnings: tuple[str, ...] = ()


def _args_json(args: Entity | dict[str, Any]) -> dict[str, Any]:
    if isinstance(args, Entity):
        return args.model_dump(mode="json")
    return dict(args)


def apply_local_mutation(
    cdb: CacheDb,
    name: str,
    args: Entity | dict[str, Any],
    *,
    actor: Actor,
    today: dt.date,
    now: dt.datetime,
    mutation_id: uuid.UUID | None = None,
) -> LocalChange:
    """Run the shared semantics over the cache and commit effects + outbox row together.

    Raises the semantics' typed errors (ValidationError, RuleViolation, UnknownMutation)
    before anything is written.
    """
    mutation_id = mutation_id or uuid.uuid4()
    version = SUPPORTED[name][0] if name in SUPPORTED else 1
    payload = _args_json(args)
    with cdb.atomic():
        need_id_indexes(cdb)  # during a first sync: the semantics read records by id
        effects = apply_mutation(
            name,
            version,
            payload,
            mutation_id=mutation_id,
            actor=actor,
            reader=records.CacheReader(cdb),
            today=today,
            now=now,
            detect_conflicts=False,
        )
        seq = _write_and_queue(cdb, effects, name, version, payload, mutation_id, actor, now)
    log.debug("local mutation queued: seq %d, %d upserts", seq, len(effects.upserts))
    kinds = frozenset({u.kind for u in effects.upserts} | {OUTBOX_KIND})
    cases = frozenset(_crns(effects, payload))
    return LocalChange(seq, mutation_id, cases, kinds, effects.warnings)


def _write_and_queue(  # noqa: PLR0917 - one call site, the mutation's parts in order
    cdb: CacheDb,
    effects: Effects,
    name: str,
    version: int,
    payload: dict[str, Any],
    mutation_id: uuid.UUID,
    actor: Actor,
    now: dt.datetime,
) -> int:
    base = records.versions_of(cdb, ((u.kind, u.id) for u in effects.upserts))
    write_effects(cdb, effects, mutation_id=str(mutation_id))
    return outbox.append(
        cdb,
        mutation_id=mutation_id,
        name=name,
        version=version,
        args=payload,
        crns=_crns(effects, payload),
        base_versions=base,
        actor=asdict(actor),
        created_at=now,
    )


def _crns(effects: Effects, payload: dict[str, Any]) -> set[str]:
    found = set(effects.crns)
    if isinstance(payload.get("crn"), str):
        found.add(payload["crn"])
    return found
