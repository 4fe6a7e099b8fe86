"""Contact log rows; sensitive and not-yet-sent contacts are marked in words."""

from __future__ import annotations

import datetime as dt

from app.rows import ContactRow
from ui import format as fmt
from ui.models.table import Column, RowTableModel


def _marks(row: ContactRow) -> str:
    marks = []
    if row.sensitive:
        marks.append("Sensitive")
    if row.alert:
        marks.append("Alert")
    if row.waiting_to_send:
        marks.append("Waiting to send")
    return ", ".join(marks)


def _notes(row: ContactRow) -> str:
    first = row.notes.strip().splitlines()[0] if row.notes.strip() else ""
    return first if len(first) <= 120 else first[:119] + "…"


def _outcome(row: ContactRow) -> str:
    if row.outcome_text or not row.is_appointment:
        return row.outcome_text
    return "Needs an outcome" if row.date <= dt.date.today() else "Booked"


COLUMNS: tuple[Column[ContactRow], ...] = (
    Column("Date", lambda r: fmt.day(r.date), lambda r: (r.date, r.start_time or 0)),
    Column("Time", lambda r: fmt.clock(r.start_time)),
    Column("Type", lambda r: r.type_text, tooltip=lambda r: f"{r.type_text} ({r.type_code})"),
    Column("Outcome", _outcome),
    Column("Marked", _marks),
    Column("Notes", _notes, tooltip=lambda r: r.notes[:2000]),
)


class ContactModel(RowTableModel[ContactRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda r: r.id, filter_text=lambda r: r.notes.casefold())
