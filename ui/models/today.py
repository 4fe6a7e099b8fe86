"""The Today list: the day's visits in time order, the risk at the door in words."""

from __future__ import annotations

from PySide6.QtGui import QColor

from app.today_rows import VisitRow
from ui import format as fmt
from ui.models.table import Column, RowTableModel

ALERT = (QColor("#fde7e9"), QColor("#7a0010"))  # pale red ground, dark red words


def _person(row: VisitRow) -> str:
    cover = " – cover" if row.is_cover else ""
    return f"{row.name} ({row.crn}){cover}"


def _time(row: VisitRow) -> str:
    return f"{fmt.clock(row.start_time)}–{fmt.clock(row.end_time)}"


def _outstanding(row: VisitRow) -> str:
    if not row.outstanding:
        return "Nothing"
    more = f" (+{len(row.outstanding) - 1} more)" if len(row.outstanding) > 1 else ""
    return row.outstanding[0] + more


def _check_in(row: VisitRow) -> str:
    if row.outcome_text:
        return row.outcome_text
    return row.lone_working + (" (waiting to send)" if row.waiting_to_send else "")


TODAY_COLUMNS: tuple[Column[VisitRow], ...] = (
    Column("Time", _time, lambda r: (r.start_time is None, r.start_time)),
    Column("Person", _person),
    Column("Type", lambda r: r.type_text),
    Column("Place", lambda r: r.place, tooltip=lambda r: r.access_notes),
    Column(
        "Risk at the door",
        lambda r: r.risk_text,
        colours=lambda r: ALERT if r.staff_risk else None,
        tooltip=lambda r: r.risk_text,
    ),
    Column("Outstanding", _outstanding, tooltip=lambda r: "\n".join(r.outstanding)),
    Column("Check-in / outcome", _check_in, colours=lambda r: ALERT if r.lone_overdue else None),
)


class TodayModel(RowTableModel[VisitRow]):
    def __init__(self) -> None:
        super().__init__(
            TODAY_COLUMNS,
            key=lambda r: r.contact_id,
            filter_text=lambda r: f"{r.name} {r.crn} {r.place}".casefold(),
        )
