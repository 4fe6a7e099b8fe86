"""A stored conflict in the officer's words: whose case, which field, who changed it.

The field-day conflict screen named only the CRN, showed field names as code, and said
"Someone else" when it was the same officer on another laptop.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.rows import ConflictRow, FieldChoice
from app.rows_mapping import mutation_words

FIELD_WORDS = {
    "phone": "Phone number",
    "mobile": "Mobile number",
    "email": "Email address",
    "allow_sms": "Texts allowed",
    "building_name": "Building",
    "address_number": "House number",
    "street_name": "Street",
    "no_fixed_abode": "No fixed abode",
    "postcode": "Postcode",
    "start_date": "Start date",
    "end_date": "End date",
    "appointment_time": "Appointment time",
    "__record__": "The whole record",
}


def field_words(field: str) -> str:
    return FIELD_WORDS.get(field, field.replace("_", " ").capitalize())


def author_words(field: dict[str, Any], me: str) -> str:
    """Who changed it centrally: "you, on another laptop", a colleague's name, or ""."""
    by = field.get("changed_by")
    if not by:
        return ""
    if by == me:
        return "you, on another laptop"
    return str(field.get("changed_by_name") or by)


def _when(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        return dt.datetime.fromisoformat(value)
    return None


def conflict_row(
    item: Any, *, kind: str, record_id: str, central_version: int, person: str, me: str
) -> ConflictRow:
    """`item` is storage's ConflictItem; `me` the officer's username."""
    first = item.fields[0] if item.fields else {}
    return ConflictRow(
        id=item.id,
        crn=item.crn,
        what=f"{mutation_words(item.name)} ({item.crn})",
        kind=kind,
        record_id=record_id,
        central_version=central_version,
        fields=tuple(
            FieldChoice(
                f["field"],
                f.get("original"),
                f.get("yours"),
                f.get("central"),
                label=field_words(str(f["field"])),
                original_known=bool(f.get("original_known", f.get("original") is not None)),
            )
            for f in item.fields
        ),
        created_at=item.created_at,
        person=person,
        changed_by=author_words(first, me),
        changed_at=_when(first.get("changed_at")),
    )


CHOSEN = {"yours": "your change on this laptop", "original": "the value before either change"}


def _value(field: FieldChoice, choice: str) -> str:
    value = getattr(field, choice)
    if choice == "original" and not field.original_known:
        return "(not known on this laptop)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "(empty)" if value in (None, "") else str(value)


def _other(conflict: ConflictRow) -> str:
    """ "the change by you, on another laptop, on Fri 20 Nov 2026 at 09:30"."""
    by = conflict.changed_by or "someone else"
    when = conflict.changed_at
    at = f", on {when.astimezone():%a %d %b %Y at %H:%M}" if when else ""
    return f"the change by {by}{at}"


def resolution_note(conflict: ConflictRow, choices: dict[str, str]) -> str:
    """The contact log's plain-words record of a conflict choice: per field what was kept,
    what was discarded, and who made the other change and when."""
    lines = []
    for field in conflict.fields:
        picked = choices.get(field.field, "central")
        source = {**CHOSEN, "central": _other(conflict)}
        dropped = [
            f"{_value(field, c)} ({source[c]})"
            for c in ("yours", "central")
            if c != picked and getattr(field, c) != getattr(field, picked)
        ]
        gone = f" Discarded {' and '.join(dropped)}." if dropped else ""
        lines.append(
            f"{field.label or field_words(field.field)}: kept {_value(field, picked)} "
            f"({source[picked]}).{gone}"
        )
    head = "Two changes to the same details clashed and the officer chose what to keep."
    return "\n".join([head, *lines])
