"""Team work scenes for scripts/screenshots.py: the team caseload sorted by "needs
action" with the picked case's compliance, the alerts inbox, a case's compliance tab.

The demo's seed has a running cover and unread alerts (central/seed/team_work.py).
"""

from __future__ import annotations

from typing import Any

from screenshots import wait_until

from ui.main_window import ALERTS, TEAM, MainWindow


def team_scenes(app: Any, camera: Any, window: MainWindow) -> None:
    window.show_section(TEAM)
    wait_until(app, lambda: window.team.model.rowCount() > 0, 30)
    wait_until(app, lambda: bool(window.team.covers.text()), 30)  # learnt after unlock
    window.team.table.setCurrentIndex(window.team.proxy.index(0, 0))
    camera.shoot(window, "19-team-caseload")
    window.show_section(ALERTS)
    wait_until(app, lambda: window.alerts.model.rowCount() > 0, 30)
    camera.shoot(window, "20-alerts")
    crn = window.alerts.model.row_at(0).crn
    window.open_requested.emit(crn)
    wait_until(app, lambda: window.case_view is not None)
    view = window.case_view
    assert view is not None
    view.tabs.setCurrentWidget(view.compliance)
    wait_until(app, lambda: bool(view.compliance.boxes))
    camera.shoot(window, "21-case-compliance")
    window.close_case()
