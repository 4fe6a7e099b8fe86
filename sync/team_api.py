"""The team endpoints as typed calls: the team caseload and cover for a colleague.

Online requests the officer waits on, so they retry once, briefly, like national
search (`app/backend.py`), with the sync client's tokens, TLS and timeouts.
"""

from __future__ import annotations

from uuid import UUID

from sync.api import RetryPolicy, SyncApi
from sync.auth import Authenticator
from sync.http import HttpClient, parse_model
from sync.progress import Progress
from sync.protocol import CoverGrant, CoverList, CoverRequest, TeamCaseload, WireModel

QUICK = RetryPolicy(attempts=2, initial_s=0.3, max_s=1.0)


class _Empty(WireModel):
    """An empty JSON object for a POST that needs no body."""


class TeamApi(SyncApi):
    def __init__(self, http: HttpClient, auth: Authenticator) -> None:
        super().__init__(http, auth, Progress(lambda _report: None), QUICK)

    def team_caseload(self) -> TeamCaseload:
        """GET /v1/team/caseload (Limited Access cases come withheld)."""
        return self._retrying(
            lambda: self._authorised(
                lambda t: self.http.get_model("/v1/team/caseload", TeamCaseload, token=t)
            )
        )

    def covers(self) -> CoverList:
        return self._retrying(
            lambda: self._authorised(
                lambda t: self.http.get_model("/v1/covers", CoverList, token=t)
            )
        )

    def start_cover(self, request: CoverRequest) -> CoverGrant:
        """POST /v1/covers; the request's id makes a retry after a lost answer harmless."""
        return self._call("/v1/covers", request, CoverGrant)

    def end_cover(self, cover_id: UUID) -> CoverGrant:
        def send(token: str) -> CoverGrant:
            raw = self.http.post_json(f"/v1/covers/{cover_id}/end", _Empty(), token=token)
            return parse_model(raw, CoverGrant)

        return self._retrying(lambda: self._authorised(send))
