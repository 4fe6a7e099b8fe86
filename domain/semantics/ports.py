"""What the mutation semantics read, and who is acting: the ports both stores implement.

The same semantics run on the laptop (over the encrypted cache) and on the central
service (over its database), so they read through this small protocol instead of
either store. `StoredRecord.data` is the domain entity's `model_dump(mode="json")`.
`Actor` lives in `domain.actor` (light to import, for the app's start-up) and is
re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from uuid import UUID

from domain.actor import Actor
from domain.contacts import Contact

__all__ = ["Actor", "CaseReader", "RecordKind", "StoredRecord"]

# The record kinds of the wire protocol (sync.protocol.RecordKind spells the same list;
# the domain cannot import sync, so a test keeps the two equal).
RecordKind = Literal[
    "person",
    "address",
    "event",
    "requirement",
    "licence_condition",
    "contact",
    "registration",
    "document",
    "rosh",
    "photo",
]


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as a store holds it now.

    `field_versions` maps a field to the record version at which it last changed;
    the server keeps it for field-level merges, the client may leave it empty.
    """

    kind: RecordKind
    id: UUID
    crn: str
    version: int
    data: Mapping[str, Any]
    field_versions: Mapping[str, int] = field(default_factory=dict)


class CaseReader(Protocol):
    """Read access to one store; the semantics never write (they return Effects)."""

    def get(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        """The live record, or None when it does not exist or was deleted."""
        ...

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        """Every live record of one kind in one case."""
        ...

    def diary(self, staff_code: str, start: dt.date, end: dt.date) -> list[Contact]:
        """The officer's appointments dated `start`..`end` inclusive (for clash warnings)."""
        ...
