"""`TeamStore` over the encrypted cache (`storage.cover`, `storage.team_copy`, alerts)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from storage import cover, team_copy
from storage.db import CacheDb
from storage.queries import alerts

if TYPE_CHECKING:  # the pull writer loads with the sync stack
    from storage.pulled import Applied


class StorageTeamStore:
    def __init__(self, cdb: CacheDb, staff_code: str | None) -> None:
        self.cdb = cdb
        self.staff_code = staff_code

    def save_cover(self, item: cover.CoverItem) -> None:
        cover.save_cover(self.cdb, item)

    def covers(self) -> list[cover.CoverItem]:
        return cover.covers(self.cdb)

    def covered_crns(self, now: dt.datetime) -> frozenset[str]:
        return cover.covered_crns(self.cdb, now)

    def expire_covers(self, now: dt.datetime) -> Applied | None:
        return cover.expire_covers(self.cdb, now, staff_code=self.staff_code)

    def save_team_copy(self, body: str, fetched_at: dt.datetime) -> None:
        team_copy.save(self.cdb, body, fetched_at)

    def team_copy(self) -> team_copy.TeamCopy | None:
        return team_copy.load(self.cdb)

    def held(self) -> frozenset[str]:
        from storage.pulled import held_cases

        return frozenset(held_cases(self.cdb))

    def open_alerts(self) -> list[alerts.AlertItem]:
        return alerts.open_alerts(self.cdb, self.staff_code)

    def open_alert_count(self) -> int:
        return alerts.open_alert_count(self.cdb, self.staff_code)
