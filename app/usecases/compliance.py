"""The compliance picture of one case, per sentence, from the records on this laptop."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import AppContext
from app.team_rows import Compliance


@dataclass(frozen=True, slots=True)
class EventCompliance:
    """One sentence's picture: "Event 1 · ORA Community Order" and its counts."""

    label: str
    compliance: Compliance


def case_compliance(ctx: AppContext, crn: str) -> list[EventCompliance]:
    """Each active sentence of the case, over the last 12 months up to today."""
    from domain.contacts import Contact
    from domain.reference import reference
    from domain.rules.compliance import compliance_picture
    from domain.sentences import Event

    cache = ctx.cache()
    events = [Event.model_validate(dict(r.data)) for r in cache.case_records(crn, "event")]
    contacts = [Contact.model_validate(dict(r.data)) for r in cache.case_records(crn, "contact")]
    today = ctx.today()
    found = []
    for event in sorted(events, key=lambda e: e.number):
        if not event.active or event.sentence is None:
            continue
        stype = reference().sentence_types.get(event.sentence.type_code)
        label = f"Event {event.number} · {stype.description if stype else event.main_offence}"
        picture = compliance_picture(event, contacts, today=today)
        found.append(EventCompliance(label, picture))
    return found
