"""The state one mutation runs in, and record helpers every mutation family shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.model import Entity
from domain.reference import ReferenceData, reference
from domain.semantics.effects import Upsert
from domain.semantics.ports import Actor, CaseReader, RecordKind, StoredRecord
from domain.sentences import Event

E = TypeVar("E", bound=Entity)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a mutation may consult; `today`/`now` are the applying side's clock.

    `made_on` is the day the officer made the change (their laptop's day, reported with the
    mutation). Checks of what the officer could see at the time ("an appointment in the
    past needs an outcome") are judged on it, so work queued offline for days is not
    refused for having aged; it is never later than `today`, and it decides no deadline.
    """

    mutation_id: UUID
    actor: Actor
    reader: CaseReader
    today: dt.date
    now: dt.datetime
    detect_conflicts: bool
    made_on: dt.date | None = None
    ref: ReferenceData = field(default_factory=reference)

    @property
    def judged_on(self) -> dt.date:
        """The day validation is judged on: when the change was made, at the latest today."""
        return self.today if self.made_on is None else min(self.made_on, self.today)

    def load(
        self, kind: RecordKind, record_id: UUID, model: type[E]
    ) -> tuple[StoredRecord, E] | None:
        """The stored record and its entity, or None when it is missing or deleted."""
        stored = self.reader.get(kind, record_id)
        if stored is None:
            return None
        return stored, model.model_validate(dict(stored.data))

    def exists(self, kind: RecordKind, record_id: UUID, crn: str) -> bool:
        """Whether a create is a replay: the id is taken already, by a record of this case.

        The id being taken by another case's record is never a replay but a forged or
        broken id, refused so that it cannot overwrite someone else's record.
        """
        stored = self.reader.get(kind, record_id)
        if stored is None:
            return False
        if stored.crn != crn:
            raise ValidationError("This id is already used by another record.", field="id")
        return True

    def event_of(self, crn: str, event_id: UUID | None) -> Event | None:
        """The linked event, checked to belong to the same case."""
        if event_id is None:
            return None
        found = self.load("event", event_id, Event)
        if found is None or found[1].crn != crn:
            raise ValidationError(
                "The event this is linked to is not on this case.", field="event_id"
            )
        return found[1]

    def is_licence(self, event: Event | None) -> bool:
        """Licence cases get licence enforcement (warnings then recall)."""
        if event is None or event.sentence is None:
            return False
        sentence_type = self.ref.sentence_types.get(event.sentence.type_code)
        return sentence_type is not None and sentence_type.licence

    def event_contacts(
        self, crn: str, event_id: UUID, keep: Callable[[Mapping[str, Any]], bool]
    ) -> list[Contact]:
        """The event's contacts whose stored JSON passes `keep`.

        Filtering on the JSON first spares validating thousands of contacts of a long case
        when only a few (its failures, say) can matter.
        """
        wanted = str(event_id)
        rows = self.reader.case_records(crn, "contact")
        mine = [r for r in rows if r.data.get("event_id") == wanted and keep(r.data)]
        return [Contact.model_validate(dict(r.data)) for r in mine]


def created(kind: RecordKind, entity: Entity, crn: str) -> Upsert:
    """An upsert creating `entity` (every field counts as changed)."""
    data = entity.model_dump(mode="json")
    record_id = data["id"]
    return Upsert(kind, UUID(str(record_id)), crn, data, frozenset(data), created=True)


def updated(stored: StoredRecord, entity: Entity) -> Upsert | None:
    """An upsert of `entity` over `stored`, or None when nothing changed."""
    data: dict[str, Any] = entity.model_dump(mode="json")
    changed = frozenset(k for k, v in data.items() if stored.data.get(k) != v)
    if not changed:
        return None
    return Upsert(stored.kind, stored.id, stored.crn, data, changed)
