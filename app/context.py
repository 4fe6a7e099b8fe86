"""What a use case runs with: this thread's cache connection, the officer and the clock.

Each worker thread opens its own connection on first use (SQLite connections
must not cross threads); `close()` closes them all at sign-out or lock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.ports import CaseCache, DocumentFetcher, NationalSearch

if TYPE_CHECKING:
    from domain.documents import DocumentLimits

if TYPE_CHECKING:
    from app.team_ports import TeamService, TeamStore


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Officer:
    username: str
    name: str = ""
    staff_code: str = ""
    team_code: str = ""


class AppContext:
    def __init__(
        self,
        open_cache: Callable[[], CaseCache],
        officer: Officer,
        *,
        national: NationalSearch | None = None,
        clock: Callable[[], dt.datetime] = _now,
        documents: DocumentFetcher | None = None,
        document_limits: DocumentLimits | None = None,
        team: TeamService | None = None,
        team_store: Callable[[CaseCache], TeamStore] | None = None,
    ) -> None:
        self._open_cache = open_cache
        self.officer = officer
        self.national = national
        self.documents = documents  # fetches a document not on this laptop (online)
        self._document_limits = document_limits  # the server's policy (GET /v1/me)
        self.team = team  # the online team endpoints (app/team_live.py)
        self.team_store = team_store  # the team tables over this thread's cache
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[CaseCache] = []
        self._closed = False

    @property
    def document_limits(self) -> DocumentLimits:
        from domain.documents import DocumentLimits

        return self._document_limits or DocumentLimits()

    def cache(self) -> CaseCache:
        """This thread's connection, opened on first use."""
        cache: CaseCache | None = getattr(self._local, "cache", None)
        if cache is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the cache was closed (locked or signed out)")
                cache = self._open_cache()
                self._opened.append(cache)
            self._local.cache = cache
        return cache

    def now(self) -> dt.datetime:
        return self._clock()

    def today(self) -> dt.date:
        return self._clock().astimezone().date()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            opened, self._opened = self._opened, []
        for cache in opened:
            cache.close()
