"""The team ports over the signed-in session: `TeamService` over the sync client's HTTP
stack, `TeamStore` over each thread's connection of the encrypted cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from app.ports import CaseCache

if TYPE_CHECKING:
    from app.backend import LiveBackend
    from app.team_store import StorageTeamStore
    from sync.protocol import CoverGrant, CoverList, CoverRequest, TeamCaseload
    from sync.team_api import TeamApi


class LiveTeamService:
    def __init__(self, backend: LiveBackend) -> None:
        self.backend = backend

    def _api(self) -> TeamApi:
        from sync.team_api import TeamApi

        client = self.backend.ensure_client()
        return TeamApi(client.http, client.auth)

    def team_caseload(self) -> TeamCaseload:
        return self._api().team_caseload()

    def start_cover(self, request: CoverRequest) -> CoverGrant:
        return self._api().start_cover(request)

    def end_cover(self, cover_id: UUID) -> CoverGrant:
        return self._api().end_cover(cover_id)

    def covers(self) -> CoverList:
        return self._api().covers()


def team_store(staff_code: str | None) -> Callable[[CaseCache], StorageTeamStore]:
    """The store over a thread's cache (a `StorageCache`: the live cache adapter)."""

    def make(cache: CaseCache) -> StorageTeamStore:
        from app.team_store import StorageTeamStore

        return StorageTeamStore(cache.cdb, staff_code)  # type: ignore[attr-defined]

    return make
