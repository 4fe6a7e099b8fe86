"""What applying a mutation does, as data: the stores write it, the semantics never do.

Returning effects instead of writing keeps the rules pure and lets the client and the
server apply the same outcome inside their own transactions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.semantics.ports import RecordKind

# `Conflict.field` when the whole record is gone (edit after delete).
WHOLE_RECORD = "*"


@dataclass(frozen=True, slots=True)
class Upsert:
    """The full new JSON of one record; `changed_fields` are the fields that differ from before
    (every field for a created record), for the server's per-field versions."""

    kind: RecordKind
    id: UUID
    crn: str
    data: dict[str, Any]
    changed_fields: frozenset[str]
    created: bool = False


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field changed centrally since the officer's base version, to a different value.

    `original` is None when the store does not know the base value; the field was NOT applied.
    """

    kind: RecordKind
    record_id: UUID
    field: str
    original: Any
    yours: Any
    central: Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One auditable act: who did what to which case is added by the store (actor, device)."""

    action: str
    crn: str
    record_ids: tuple[UUID, ...] = ()
    at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Effects:
    upserts: tuple[Upsert, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    pins: tuple[str, ...] = ()
    unpins: tuple[str, ...] = ()
    audit: tuple[AuditEntry, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def crns(self) -> frozenset[str]:
        """Every case these effects touch (for refresh-by-change-set and scope checks)."""
        found = {u.crn for u in self.upserts} | set(self.pins) | set(self.unpins)
        return frozenset(found | {a.crn for a in self.audit})
