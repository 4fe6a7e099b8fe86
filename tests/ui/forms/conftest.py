"""A real encrypted cache with one synthetic case, and the app's task runner over it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.cache_adapter import StorageCache
from app.changes import ChangeHub
from app.context import AppContext, Officer
from app.tasks import TaskRunner
from domain.contacts import Contact
from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, make_case
from ui.case_view import CaseView

OLIVE = Officer(
    OFFICER.username, "Olive Officer", OFFICER.staff_code or "", OFFICER.team_code or ""
)


@dataclass
class World:
    """One laptop: the profile, its key, the case on it, and open runners."""

    profile: Profile
    key: bytes
    case: CaseData
    writer: CacheDb
    now: dt.datetime = NOW
    runners: list[TaskRunner] = field(default_factory=list)
    _version: int = 1

    def clock(self) -> dt.datetime:
        return self.now

    def runner(self) -> TaskRunner:
        """A fresh app session over the same cache (a restart after a crash)."""

        def open_cache() -> StorageCache:
            # Each worker thread's own connection; SQLite lets only that thread close
            # it, so it is left to the thread's end (as the app's backend does).
            cdb = self.profile.connect(self.key)
            return StorageCache(cdb, OFFICER, self.clock, owns_connection=False)

        runner = TaskRunner(AppContext(open_cache, OLIVE, clock=self.clock), ChangeHub())
        self.runners.append(runner)
        return runner

    def read(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return self.writer.query(sql, params)

    def appointment(
        self,
        days_ago: int,
        *,
        start: dt.time = dt.time(9, 0),
        type_code: str = "COAP",
        outcome: str | None = None,
        rar: bool = False,
        location: str = "N07OFF1",
    ) -> Contact:
        """An office appointment pulled from the server (`rar`: on the RAR requirement)."""
        contact = Contact(
            id=uuid.uuid4(),
            crn=self.case.crn,
            type_code=type_code,
            date=TODAY - dt.timedelta(days=days_ago),
            start_time=start,
            end_time=(dt.datetime.combine(TODAY, start) + dt.timedelta(minutes=30)).time(),
            event_id=self.case.event.id,
            requirement_id=self.case.rar.id if rar else None,
            rar_activity=rar,
            location_code=location,
            staff_code=OFFICER.staff_code,
            outcome_code=outcome,
        )
        self.case.contacts.append(contact)
        self._version += 1
        apply_pull_page(
            self.writer,
            snapshots=[self.case.snapshot(self._version)],
            cursor=f"c{self._version}",
            last_applied_seq=0,
        )
        return contact


def make_world(tmp_path: Path) -> Iterator[World]:
    """The fixture's body, for test folders that cannot see this conftest."""
    profile = Profile(tmp_path / "profile", "officer.one", kdf=FAST_TEST_PARAMS)
    key = profile.keys.create("pw")
    writer = profile.open_writer(key)
    case = make_case("X100001", surname="Hughes", first="Amelia", contacts=3)
    apply_pull_page(writer, snapshots=[case.snapshot()], cursor="c1", last_applied_seq=0)
    made = World(profile, key, case, writer)
    yield made
    for runner in made.runners:
        if not runner.closed:
            runner.shutdown()
    writer.close()
    profile.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


@pytest.fixture
def desk(qtbot, world):
    """The case view over the real cache, in an active window, focus in the case."""
    runner = world.runner()
    detail = runner.ctx.cache().case_detail("X100001", today=runner.ctx.today())
    view = CaseView(runner, detail)
    window = QWidget()
    QVBoxLayout(window).addWidget(view)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.tabs.setFocus()
    yield view
    window.close()
