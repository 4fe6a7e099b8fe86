"""Field-level merge: fields nobody else changed apply; a field changed centrally since the
officer's base version, to a different value, is a conflict and is NOT applied.

Nothing is resolved silently: each conflict goes back to the officer, who chooses by
sending a new mutation. Comparisons are on the JSON form both stores hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic_core import to_jsonable_python

from domain.model import Entity
from domain.semantics.args import validate_model
from domain.semantics.context import Context
from domain.semantics.effects import WHOLE_RECORD, Conflict
from domain.semantics.ports import RecordKind, StoredRecord


@dataclass(frozen=True, slots=True)
class Merge:
    """`applied`: field -> new JSON value; `conflicts`: the fields held back."""

    applied: dict[str, Any]
    conflicts: tuple[Conflict, ...]


def merge_fields(
    ctx: Context,
    stored: StoredRecord,
    model: type[Entity],
    changes: Mapping[str, Any],
    base_version: int | None,
) -> Merge:
    """Merge `changes` (field -> new value) into `stored`, field by field.

    `base_version` None (or 0, the version the laptop gives a record it created) means the
    officer had no server copy to base the edit on (they created the record themselves,
    offline), so there is nothing to conflict with.
    """
    proposed = validate_model(model, {**stored.data, **changes}).model_dump(mode="json")
    applied: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name in changes:
        central, yours = stored.data.get(name), proposed[name]
        if central == yours:
            continue
        if _changed_since(ctx, stored, name, base_version):
            conflicts.append(Conflict(stored.kind, stored.id, name, None, yours, central))
        else:
            applied[name] = yours
    return Merge(applied, tuple(conflicts))


def _changed_since(ctx: Context, stored: StoredRecord, name: str, base: int | None) -> bool:
    """Changed centrally since the officer's copy. Central versions start at 1, so a base
    of 0 is a record the laptop created itself (an appointment booked and outcomed
    offline): there was no central copy to differ from, exactly as with None."""
    if not ctx.detect_conflicts or not base:
        return False
    return stored.field_versions.get(name, 0) > base


def record_gone(kind: RecordKind, record_id: UUID, yours: Any) -> Conflict:
    """An edit of a record that no longer exists (deleted, or never reached this store).

    `yours` is kept in its JSON form, as every conflict value is, so stores can keep it.
    """
    return Conflict(kind, record_id, WHOLE_RECORD, None, to_jsonable_python(yours), None)
