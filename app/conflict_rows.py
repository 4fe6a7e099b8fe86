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
