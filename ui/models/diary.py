"""Appointments by day or week, and the ones still needing an outcome."""

from __future__ import annotations

import datetime as dt

from app.rows import DiaryRow, SearchHit
from ui import format as fmt
from ui.models.table import Column, RowTableModel


def _outcome(row: DiaryRow) -> str:
    """Past appointments without an outcome need one; future ones are just booked."""
    text = row.outcome_text or ("Needs an outcome" if row.date <= dt.date.today() else "Booked")
    return text + (" (waiting to send)" if row.waiting_to_send else "")


DIARY_COLUMNS: tuple[Column[DiaryRow], ...] = (
    Column("Date", lambda r: fmt.short_day(r.date), lambda r: (r.date, r.start_time or 0)),
    Column("Time", lambda r: f"{fmt.clock(r.start_time)}–{fmt.clock(r.end_time)}"),
    Column("Name", lambda r: f"{r.name} · cover" if r.is_cover else r.name),
    Column("CRN", lambda r: r.crn),
    Column("Type", lambda r: r.type_text),
    Column("Location", lambda r: r.location),
    Column("Outcome", _outcome),
)

SEARCH_COLUMNS: tuple[Column[SearchHit], ...] = (
    Column("Name", lambda r: r.name),
    Column("CRN", lambda r: r.crn),
    Column("Date of birth", lambda r: fmt.day(r.date_of_birth)),
    Column("Details", lambda r: r.detail),
    Column("Where", lambda r: "On this laptop" if r.on_this_laptop else "National search"),
)


class DiaryModel(RowTableModel[DiaryRow]):
    def __init__(self) -> None:
        super().__init__(
            DIARY_COLUMNS,
            key=lambda r: r.contact_id,
            filter_text=lambda r: f"{r.name} {r.crn} {r.type_text}".casefold(),
        )


class SearchModel(RowTableModel[SearchHit]):
    def __init__(self) -> None:
        super().__init__(SEARCH_COLUMNS, key=lambda r: r.crn)
