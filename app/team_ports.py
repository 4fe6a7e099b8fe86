"""What team work needs beyond the case cache: the online team service and the local
team store (covers, the kept team caseload, alerts), as narrow Protocols."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

if TYPE_CHECKING:
    from storage.cover import CoverItem
    from storage.pulled import Applied
    from storage.queries.alerts import AlertItem
    from storage.team_copy import TeamCopy
    from sync.protocol import CoverGrant, CoverList, CoverRequest, TeamCaseload


class TeamService(Protocol):
    """The central service's team endpoints; every call needs the network."""

    def team_caseload(self) -> TeamCaseload: ...

    def start_cover(self, request: CoverRequest) -> CoverGrant: ...

    def end_cover(self, cover_id: UUID) -> CoverGrant: ...

    def covers(self) -> CoverList: ...


class TeamStore(Protocol):
    """One thread's view of the team tables of the encrypted cache."""

    def save_cover(self, cover: CoverItem) -> None: ...

    def covers(self) -> list[CoverItem]: ...

    def covered_crns(self, now: dt.datetime) -> frozenset[str]: ...

    def expire_covers(self, now: dt.datetime) -> Applied | None: ...

    def save_team_copy(self, body: str, fetched_at: dt.datetime) -> None: ...

    def team_copy(self) -> TeamCopy | None: ...

    def held(self) -> frozenset[str]: ...

    def open_alerts(self) -> list[AlertItem]: ...

    def open_alert_count(self) -> int: ...
