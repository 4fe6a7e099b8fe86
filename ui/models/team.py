"""The team caseload and the alerts inbox as table models over app-layer rows."""

from __future__ import annotations

import datetime as dt

from app.team_rows import AlertRow, TeamRow
from ui import format as fmt
from ui.models.table import Column, RowTableModel

_FAR = dt.datetime.max


def _name(row: TeamRow) -> str:
    return f"Limited access: {row.withheld}" if row.withheld else row.name


def _needs(row: TeamRow) -> str:
    if row.withheld:
        return ""
    return row.compliance.needs_action if row.compliance else "No sentence"


def _failures(row: TeamRow) -> str:
    return row.compliance.failures_text if row.compliance else ""


TEAM_COLUMNS: tuple[Column[TeamRow], ...] = (
    Column("Name", _name, lambda r: (bool(r.withheld), r.name.split()[-1:], r.name), tooltip=_name),
    Column("CRN", lambda r: r.crn),
    Column("Offender manager", lambda r: r.offender_manager),
    Column("Tier", lambda r: r.tier),
    Column("Highest risk", lambda r: r.risk, tooltip=lambda r: r.risk),
    Column(
        "Next appointment",
        lambda r: fmt.when(r.next_appointment),
        lambda r: r.next_appointment or _FAR,
        tooltip=lambda r: r.next_appointment_type,
    ),
    # Ascending puts what needs doing soonest first (the highest score).
    Column("Needs action", _needs, lambda r: -r.action_score, tooltip=_needs),
    Column("Failures to comply", _failures, lambda r: -r.action_score),
    Column(
        "Alerts", lambda r: str(r.open_alerts) if r.open_alerts else "", lambda r: -r.open_alerts
    ),
    Column("Here", lambda r: "On this laptop" if r.on_this_laptop else ""),
)
T_NAME, T_CRN, T_MANAGER, T_TIER, T_RISK, T_NEXT, T_NEEDS, T_FTC, T_ALERTS, T_HERE = range(
    len(TEAM_COLUMNS)
)


class TeamModel(RowTableModel[TeamRow]):
    def __init__(self) -> None:
        super().__init__(TEAM_COLUMNS, key=lambda r: r.crn, filter_text=lambda r: r.search_text)


ALERT_COLUMNS: tuple[Column[AlertRow], ...] = (
    Column("Date", lambda r: fmt.day(r.date), lambda r: r.date),
    Column("Name", lambda r: r.name),
    Column("CRN", lambda r: r.crn),
    Column("Type", lambda r: r.type_text),
    Column("Recorded by", lambda r: r.recorded_by),
    Column("Notes", lambda r: r.notes.replace("\n", " ")[:200], tooltip=lambda r: r.notes[:2000]),
)


class AlertsModel(RowTableModel[AlertRow]):
    def __init__(self) -> None:
        super().__init__(
            ALERT_COLUMNS,
            key=lambda r: r.contact_id,
            filter_text=lambda r: f"{r.name} {r.crn} {r.type_text} {r.notes}".casefold(),
        )
