"""A small in-memory store implementing CaseReader, and writing Effects the way the server
does (one version per upsert, per-field versions for the fields that changed)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from uuid import UUID

from domain.contacts import Contact
from domain.model import Entity
from domain.semantics import Actor, Effects, StoredRecord, apply_mutation
from domain.semantics.ports import RecordKind

TODAY = dt.date(2026, 11, 18)  # a Wednesday
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
OFFICER = Actor(username="jsmith", staff_code="N07A123", team_code="N07T01")


class MemoryStore:
    def __init__(self) -> None:
        self.records: dict[tuple[str, UUID], StoredRecord] = {}
        self.version = 0
        self.pins: set[str] = set()

    # CaseReader
    def get(self, kind: RecordKind, record_id: UUID) -> StoredRecord | None:
        return self.records.get((kind, record_id))

    def case_records(self, crn: str, kind: RecordKind) -> list[StoredRecord]:
        return [r for r in self.records.values() if r.crn == crn and r.kind == kind]

    def diary(self, staff_code: str, start: dt.date, end: dt.date) -> list[Contact]:
        rows = [
            Contact.model_validate(r.data) for r in self.records.values() if r.kind == "contact"
        ]
        return [c for c in rows if c.staff_code == staff_code and start <= c.date <= end]

    # writing
    def put(self, kind: RecordKind, entity: Entity) -> StoredRecord:
        data = entity.model_dump(mode="json")
        self.version += 1
        record = StoredRecord(
            kind,
            UUID(data["id"]),
            data["crn"],
            self.version,
            data,
            dict.fromkeys(data, self.version),
        )
        self.records[(kind, record.id)] = record
        return record

    def delete(self, kind: RecordKind, record_id: UUID) -> None:
        del self.records[(kind, record_id)]

    def write(self, effects: Effects) -> None:
        for upsert in effects.upserts:
            self.version += 1
            old = self.records.get((upsert.kind, upsert.id))
            fields = dict(old.field_versions) if old else {}
            fields.update(dict.fromkeys(upsert.changed_fields, self.version))
            self.records[(upsert.kind, upsert.id)] = StoredRecord(
                upsert.kind, upsert.id, upsert.crn, self.version, upsert.data, fields
            )
        self.pins |= set(effects.pins)
        self.pins -= set(effects.unpins)

    def data(self, kind: RecordKind, record_id: UUID) -> dict[str, Any]:
        return dict(self.records[(kind, record_id)].data)

    def contact(self, record_id: UUID) -> Contact:
        return Contact.model_validate(self.data("contact", record_id))

    def apply(
        self,
        name: str,
        args: dict[str, Any],
        *,
        detect: bool = True,
        mutation_id: UUID | None = None,
        actor: Actor = OFFICER,
        today: dt.date = TODAY,
        version: int = 1,
    ) -> Effects:
        """Run a mutation as the server would and write its effects."""
        effects = apply_mutation(
            name,
            version,
            args,
            mutation_id=mutation_id or uuid.uuid4(),
            actor=actor,
            reader=self,
            today=today,
            now=NOW,
            detect_conflicts=detect,
        )
        self.write(effects)
        return effects
