"""The alerts inbox: alert contacts on the officer's cases, read offline, cleared by a
mutation that syncs like any other (`clear_alert`)."""

from __future__ import annotations

import uuid

from app.changes import ChangeSet
from app.context import AppContext
from app.team_rows import AlertRow
from app.usecases.team import team_store


def load_alerts(ctx: AppContext) -> list[AlertRow]:
    if ctx.team_store is None:
        return []
    return team_store(ctx).open_alerts()


def alert_count(ctx: AppContext) -> int:
    """What the navigation item shows beside "Alerts"."""
    if ctx.team_store is None:
        return 0
    return team_store(ctx).open_alert_count()


def clear_alert(ctx: AppContext, *, crn: str, contact_id: str) -> ChangeSet:
    """Read: the alert leaves the inbox here now, and everywhere once it syncs."""
    from domain.mutations import ClearAlert

    return ctx.cache().apply("clear_alert", ClearAlert(crn=crn, contact_id=uuid.UUID(contact_id)))
