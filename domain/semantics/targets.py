"""Which cases a mutation touches, known before it runs.

The server checks scope and Limited Access on every write; doing it before the rules run
means a refused officer learns nothing about the case from a rule's message. Mutations
naming a record but not its case (an outcome on a contact) are resolved through the
reader; a record that does not exist adds no case (applying it yields a conflict).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.semantics.args import mutation_model, validate_model
from domain.semantics.ports import CaseReader, RecordKind

_RECORD_IDS: tuple[tuple[str, RecordKind], ...] = (
    ("contact_id", "contact"),
    ("address_id", "address"),
)


def mutation_crns(
    name: str, version: int, args: dict[str, Any], reader: CaseReader
) -> frozenset[str]:
    """The CRNs of every case the mutation names or whose records it edits.

    Raises the same typed errors as `apply_mutation` for a mutation this build cannot run
    or arguments that do not validate.
    """
    parsed = validate_model(mutation_model(name, version), args)
    crns: set[str] = set()
    crn = getattr(parsed, "crn", None)
    if isinstance(crn, str):
        crns.add(crn)
    for attribute, kind in _RECORD_IDS:
        record_id = getattr(parsed, attribute, None)
        if isinstance(record_id, UUID):
            stored = reader.get(kind, record_id)
            if stored is not None:
                crns.add(stored.crn)
    return frozenset(crns)
