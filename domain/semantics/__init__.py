"""What every mutation does, shared by the laptop's cache and the central service.

The client applies a mutation optimistically (`detect_conflicts=False`); the server
re-runs the very same code with its own clock, its own records and conflict detection.
Use `apply_mutation`; read through a `CaseReader`; write the returned `Effects`.

The contract, for both stores:
- Permanent refusals raise `ValidationError` / `RuleViolation` (store them as rejections).
  `UnknownMutation` is a name no build knows (reject); `UnsupportedMutationVersion` with
  `too_old` means the sender must upgrade (keep its outbox), otherwise this build is behind.
- Creates are idempotent: a record id that already exists in the same case is a replay and
  yields no upsert; an id held by another case is refused. Records a mutation creates as a
  side effect take ids from `domain.mutations.derived_id` / `occurrence_id`, so both sides
  make the same rows.
- Field-level merge: a field given in the args whose `field_versions[field]` is above the
  args' `base_version`, and whose current value differs from the new one, comes back as a
  `Conflict` and is not applied; the other fields apply. Outcome and enforcement move
  together, and a reschedule is all or nothing. Appended notes never conflict.
- An edit of a missing or deleted record is a `Conflict` with field `WHOLE_RECORD`.
- `Upsert.changed_fields` are the fields whose JSON changed: the server sets their
  `field_versions` to the record's new version.
- Every change comes with one `AuditEntry` per case; scope changes and views carry their own.
- `mutation_crns` names the cases a mutation touches before it runs, for scope checks.
- The server passes `made_on` (the day the officer queued the change, from the envelope):
  "is it in the past?" checks are judged as of then, so days offline do not turn good
  work into rejections; deadlines and counts always use the server's `today`.
"""

from __future__ import annotations

from domain.semantics.apply import apply_mutation
from domain.semantics.effects import WHOLE_RECORD, AuditEntry, Conflict, Effects, Upsert
from domain.semantics.errors import (
    MutationNotSupported,
    UnknownMutation,
    UnsupportedMutationVersion,
)
from domain.semantics.ports import Actor, CaseReader, RecordKind, StoredRecord
from domain.semantics.targets import mutation_crns

__all__ = [
    "WHOLE_RECORD",
    "Actor",
    "AuditEntry",
    "CaseReader",
    "Conflict",
    "Effects",
    "MutationNotSupported",
    "RecordKind",
    "StoredRecord",
    "UnknownMutation",
    "UnsupportedMutationVersion",
    "Upsert",
    "apply_mutation",
    "mutation_crns",
]
