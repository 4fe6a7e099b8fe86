"""What every mutation does, shared by the laptop's cache and the central service.

The client applies a mutation optimistically (`detect_conflicts=False`); the server
re-runs the very same code with its own clock, its own records and conflict detection.
Use `apply_mutation`; read through a `CaseReader`; write the returned `Effects`.
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
