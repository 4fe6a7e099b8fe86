"""Needs your attention: conflicts to choose, rejections to retry or discard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from app.changes import ChangeSet
from app.context import AppContext
from app.rows import Attention, ConflictRow
from domain.errors import RuleViolation

if TYPE_CHECKING:
    from domain.mutations import MutationArgs

LOG_TYPE = "C326"  # Internal Communications: the national type for a note about the case
LOG_IDS = UUID("5f0c7a43-17c3-4b9e-9a55-c0f11c7e0017")  # namespace of resolution contacts


def load_attention(ctx: AppContext) -> Attention:
    return ctx.cache().attention()


def _resolution(conflict: ConflictRow, values: dict[str, Any]) -> tuple[str, MutationArgs]:
    """The mutation that records the officer's choice, based on the central version."""
    # Imported here: the attention list is read as the caseload first loads, its
    # resolutions only when the officer chooses (domain.mutations: ~30 ms of imports).
    from domain.mutations import UpdateAddress, UpdateContactDetails

    if conflict.kind == "person":
        return "update_contact_details", UpdateContactDetails(
            crn=conflict.crn, base_version=conflict.central_version, **values
        )
    if conflict.kind == "address":
        return "update_address", UpdateAddress(
            address_id=UUID(conflict.record_id),
            crn=conflict.crn,
            base_version=conflict.central_version,
            **values,
        )
    raise RuleViolation(f"A {conflict.kind} conflict cannot be resolved here yet.")


def resolve_conflict(ctx: AppContext, conflict: ConflictRow, choices: dict[str, str]) -> ChangeSet:
    """`choices` maps each field to "yours", "central" or "original".

    The choice goes with an internal-communication contact (C326) saying in words what
    was kept and what discarded: the case's contact log, here and centrally, is where the
    officer and whoever made the other change look for why a value is what it is. Its id
    derives from the conflict's, so a second attempt or a pull never makes two."""
    from app.conflict_rows import resolution_note
    from domain.mutations import RecordContact

    values: dict[str, Any] = {}
    for choice in conflict.fields:
        picked = choices.get(choice.field, "central")
        values[choice.field] = getattr(choice, picked)
    name, args = _resolution(conflict, values)
    log = RecordContact(
        contact_id=uuid5(LOG_IDS, conflict.id),
        crn=conflict.crn,
        type_code=LOG_TYPE,
        date=ctx.today(),
        start_time=ctx.now().astimezone().time().replace(second=0, microsecond=0),
        notes=resolution_note(conflict, choices),
    )
    return ctx.cache().resolve_conflict(conflict.id, name, args, log=log)


def retry_rejection(ctx: AppContext, rejection_id: str) -> ChangeSet:
    return ctx.cache().retry_rejection(rejection_id)


def discard_rejection(ctx: AppContext, rejection_id: str) -> ChangeSet:
    return ctx.cache().discard_rejection(rejection_id)
