"""The caseload table: one row per case, risk as colour AND words."""

from __future__ import annotations

import datetime as dt

from app.rows import CaseloadRow
from ui import format as fmt
from ui.models.table import Column, RowTableModel
from ui.theme import badge_colours

_RISK_ORDER = {"red": 3, "amber": 2, "green": 1, "white": 0}
_FAR = dt.datetime.max


def _risk_text(row: CaseloadRow) -> str:
    return row.risk.text if row.risk else "No RoSH recorded"


def _risk_shown(row: CaseloadRow) -> str:
    """ "Risk to Staff · MAPPA 3": short enough to show whole beside the free-text columns
    at 1366x768 (the cell's tooltip says "MAPPA level 3")."""
    return _risk_text(row).replace(" · MAPPA level ", " · MAPPA ")


def _risk_key(row: CaseloadRow) -> tuple[int, str]:
    if row.risk is None:
        return (-1, "")
    return (_RISK_ORDER.get(row.risk.colour, 0), row.risk.text)


def _last_contact(row: CaseloadRow) -> str:
    text = fmt.day(row.last_contact)
    return f"{text} · waiting to send" if row.waiting_to_send else text


COLUMNS: tuple[Column[CaseloadRow], ...] = (
    Column(
        "Name",
        lambda r: f"{r.name} · cover" if r.is_cover else r.name,
        lambda r: r.name.split()[-1].casefold() + r.name.casefold(),
        tooltip=lambda r: r.name,
    ),
    Column("CRN", lambda r: r.crn),
    Column("Tier", lambda r: r.tier),
    Column(
        "Highest risk",
        _risk_shown,
        _risk_key,
        colours=lambda r: badge_colours(r.risk.colour) if r.risk else None,
        tooltip=lambda r: f"Highest risk: {_risk_text(r)}",
    ),
    Column("Sentence", lambda r: r.sentence, tooltip=lambda r: r.sentence),
    Column(
        "Next appointment",
        lambda r: fmt.when(r.next_appointment),
        lambda r: r.next_appointment.replace(tzinfo=None) if r.next_appointment else _FAR,
        tooltip=lambda r: fmt.when(r.next_appointment),
    ),
    Column(
        "Last contact",
        _last_contact,
        lambda r: r.last_contact or dt.date.min,
        tooltip=_last_contact,
    ),
    Column("Compliance", lambda r: r.compliance, tooltip=lambda r: r.compliance),
)
NAME, CRN, TIER, RISK, SENTENCE, NEXT, LAST, COMPLIANCE = range(len(COLUMNS))


class CaseloadModel(RowTableModel[CaseloadRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda r: r.crn, filter_text=lambda r: r.search_text)
