"""Wiring of team work into the signed-in workspace, kept out of `ui/shell.py`.

Gives the team and alerts views the session's runner, keeps the alerts count in the
navigation current as changes land, and lets covers run out on this laptop's clock:
`expire_covers` runs when the session is ready and every minute after, offline or not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QTimer

from app.changes import ChangeHub, ChangeSet
from app.tasks import TaskRunner
from app.usecases import alerts, team
from ui.alerts_view import show_count
from ui.main_window import ALERTS, TEAM, MainWindow

EXPIRY_CHECK_MS = 60_000
FETCH_COVERS_AFTER_MS = 5_000


class TeamWork(QObject):
    def __init__(self, window: MainWindow, hub: ChangeHub, sync_now: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.runner: TaskRunner | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(EXPIRY_CHECK_MS)
        self.timer.timeout.connect(self.expire_covers)
        hub.changes_applied.connect(self.on_changes)
        window.section_shown.connect(self.on_section_shown)
        window.alerts.count_changed.connect(self.show_alert_count)
        window.team.cover_changed.connect(sync_now)
        window.alerts.contact_opened.connect(self.on_contact_opened)
        window.pages.currentChanged.connect(self.on_page_changed)
        self._contact: tuple[str, str] | None = None  # an alert's contact to show

    def start(self, runner: TaskRunner) -> None:
        self.runner = runner
        self.window.team.runner = runner
        self.window.alerts.runner = runner
        self.expire_covers()
        self.timer.start()
        self.count_alerts()
        # Asked once the caseload and the sync stack have loaded (an online request).
        QTimer.singleShot(FETCH_COVERS_AFTER_MS, self.fetch_covers)

    def stop(self) -> None:
        self.timer.stop()
        self.runner = None
        self.window.team.runner = None
        self.window.alerts.runner = None
        self.window.alerts.model.set_rows([])
        self.window.team.model.set_rows([])
        self.show_alert_count(0)

    def expire_covers(self) -> None:
        """Covers whose period ended by this laptop's clock let their cases go."""
        if self.runner is not None and not self.runner.closed:
            self.runner.op(team.expire_covers)

    def fetch_covers(self) -> None:
        if self.runner is not None and not self.runner.closed:
            self.runner.query(team.fetch_covers, self.keep_covers, key="fetch-covers")

    def keep_covers(self, grants: list[team.Grant]) -> None:
        if grants and self.runner is not None and not self.runner.closed:
            use = partial(team.keep_covers, grants=grants)
            self.runner.op(use, lambda _changes: self.window.team.reload_covers())

    def count_alerts(self) -> None:
        if self.runner is not None:
            self.runner.query(alerts.alert_count, self.show_alert_count, key="alert-count")

    def show_alert_count(self, count: int) -> None:
        show_count(self.window.nav, ALERTS, count)

    def on_changes(self, changes: ChangeSet) -> None:
        if (
            not changes.touches_kind("contact", "person")
            and changes.caseload_cases() == frozenset()
        ):
            return
        if self.window.pages.currentWidget() is self.window.alerts:
            self.window.alerts.reload()
        else:
            self.count_alerts()

    def on_contact_opened(self, crn: str, contact_id: str) -> None:
        self._contact = (crn, contact_id)

    def on_page_changed(self, _index: int) -> None:
        """The case opened from an alert shows its contact log at that contact."""
        view, wanted = self.window.case_view, self._contact
        if view is None or wanted is None or view.crn != wanted[0]:
            return
        self._contact = None
        view.tabs.setCurrentWidget(view.contacts)
        view.contacts.show_contact(wanted[1])

    def on_section_shown(self, index: int) -> None:
        if index == TEAM:
            self.window.team.reload()
        elif index == ALERTS:
            self.window.alerts.reload()
