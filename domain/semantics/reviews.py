"""The system's "Review Enforcement Status" task (ARWS), raised above the failure limit.

It is raised once, when a failure takes the count above the sentence type's limit, with an
id derived from the mutation so a replay never raises a second. When a correction brings
the count back within the limit, the open task is annotated rather than deleted: the
officer sees why the review is no longer needed, and nothing they saw disappears.
"""

from __future__ import annotations

from domain.contacts import Contact
from domain.errors import ValidationError
from domain.mutations import derived_id
from domain.rules.compliance import enforcement_review_due, failure_to_comply_count
from domain.rules.notes import append_note
from domain.semantics.context import Context, created, updated
from domain.semantics.effects import Upsert
from domain.sentences import Event

ARWS = "ARWS"


def review_task(ctx: Context, event: Event, rows: list[Contact], cause: Contact) -> Upsert:
    """The system's "Review Enforcement Status" contact; its id derives from the mutation,
    so a replay on either side never makes a second one. It is the offender manager's task,
    whoever recorded the failure (a duty officer, say)."""
    count = failure_to_comply_count(event, rows)
    staff_code, team_code = _offender_manager(ctx, cause.crn)
    task = Contact(
        id=derived_id(ctx.mutation_id, "arws"),
        crn=cause.crn,
        type_code=ARWS,
        date=ctx.today,
        event_id=event.id,
        staff_code=staff_code,
        team_code=team_code,
        alert=True,
        notes=(
            f"{count} failures to comply on event {event.number}, above the limit for this "
            "order: review the enforcement status."
        ),
    )
    return created("contact", task, task.crn)


def _offender_manager(ctx: Context, crn: str) -> tuple[str | None, str | None]:
    """The case's offender manager (staff, team), or the acting officer when unallocated."""
    for stored in ctx.reader.case_records(crn, "person"):
        staff, team = stored.data.get("staff_code"), stored.data.get("team_code")
        if isinstance(staff, str):
            return staff, team if isinstance(team, str) else None
    return ctx.actor.staff_code, ctx.actor.team_code


def no_longer_due(
    ctx: Context, event: Event, before: Contact, after: Contact, others: list[Contact]
) -> list[Upsert]:
    """Notes on the review tasks raised since the corrected failure, if it was the one that
    kept the count above the limit."""
    if not enforcement_review_due(event, [*others, before], today=ctx.today):
        return []
    if enforcement_review_due(event, [*others, after], today=ctx.today):
        return []
    count = failure_to_comply_count(event, [*others, after])
    text = (
        f"The failure to comply on {before.date:%d/%m/%Y} was corrected to "
        f"{after.outcome_code}: {count} failures now count, within the limit."
    )
    upserts: list[Upsert] = []
    for stored in ctx.reader.case_records(after.crn, "contact"):
        if stored.data.get("type_code") != ARWS or stored.data.get("event_id") != str(event.id):
            continue
        task = Contact.model_validate(dict(stored.data))
        if task.date < before.date:
            continue
        try:
            notes = append_note(task.notes, text, author=ctx.actor.username, at=ctx.now)
        except ValidationError:
            continue  # a full task keeps its notes; the correction itself still applies
        change = updated(stored, task.model_copy(update={"notes": notes}))
        upserts += [change] if change is not None else []
    return upserts
