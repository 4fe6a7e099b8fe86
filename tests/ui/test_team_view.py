"""The team caseload and alerts views over app-layer rows (no network, no cache)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.modeltest import ModelTester

from app.team_rows import AlertRow, Compliance, TeamAnswer, TeamOfficerRow, TeamRow
from domain.calendar import LONDON
from tests.app.fakes import contact_id
from ui.alerts_view import AlertsView, nav_text, show_count
from ui.cover_dialog import CoverDialog
from ui.main_window import ALERTS, MainWindow
from ui.models import roles
from ui.models.team import T_NAME, T_NEEDS, T_RISK, T_TIER
from ui.team_view import TeamView

REVIEW = Compliance(failures_to_comply=3)  # over the limit of 2: review enforcement
OVERDUE = Compliance(awaiting_evidence=1, evidence_overdue=1)
QUIET = Compliance()


def _answer() -> TeamAnswer:
    rows = (
        TeamRow("A000001", "Sam Able", "N07P001", "Quiet Person", "B2", "Low RoSH",
                compliance=QUIET, on_this_laptop=True),
        TeamRow("A000002", "Kim Baker", "N07P002", "Review Person", "C1", "High RoSH",
                next_appointment=dt.datetime(2026, 12, 8, 10, 0), compliance=REVIEW),
        TeamRow("A000003", "Kim Baker", "N07P002", withheld="This case is restricted."),
        TeamRow("A000004", "Sam Able", "N07P001", "Overdue Person", "A1", "",
                compliance=OVERDUE),
    )  # fmt: skip
    officers = (
        TeamOfficerRow("N07P001", "Sam Able", 2, is_me=True),
        TeamOfficerRow("N07P002", "Kim Baker", 2, covered_by="Sam Able"),
    )
    return TeamAnswer(
        "Camden Team 1", dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), officers, rows
    )


def _shown(view: TeamView, column: int) -> list[str]:
    return [str(view.proxy.index(r, column).data()) for r in range(view.proxy.rowCount())]


def test_sorted_by_needs_action_with_limited_access_withheld(qtbot, request) -> None:
    view = TeamView()
    qtbot.addWidget(view)
    view.show_answer(_answer())
    ModelTester(request.config).check(view.model, force_py=True)
    assert view.table.horizontalHeader().sortIndicatorSection() == T_NEEDS
    names = _shown(view, T_NAME)
    assert names[:2] == ["Review Person", "Overdue Person"]  # most pressing first
    [withheld] = [n for n in names if n.startswith("Limited access")]
    assert withheld == "Limited access: This case is restricted."
    row = names.index(withheld)
    assert _shown(view, T_TIER)[row] == ""
    assert _shown(view, T_RISK)[row] == ""
    assert _shown(view, T_NEEDS)[row] == ""
    assert "1 Limited Access (withheld)" in view.summary.text()
    assert "2 needing action" in view.summary.text()


def test_filter_by_officer_and_needs_action(qtbot) -> None:
    view = TeamView()
    qtbot.addWidget(view)
    view.show_answer(_answer())
    view.manager.setCurrentIndex(view.manager.findData("Sam Able"))
    assert sorted(_shown(view, T_NAME)) == ["Overdue Person", "Quiet Person"]
    view.needs_only.setChecked(True)
    assert _shown(view, T_NAME) == ["Overdue Person"]
    view.manager.setCurrentIndex(0)
    view.filter.setText("review")
    assert _shown(view, T_NAME) == ["Review Person"]
    assert "covered by Sam Able" in view.manager.itemText(view.manager.findData("Kim Baker"))
    assert [o.name for o in view.colleagues()] == ["Kim Baker"]  # not oneself


def test_the_picked_case_shows_its_compliance_and_a_withheld_one_its_message(qtbot) -> None:
    view = TeamView()
    qtbot.addWidget(view)
    view.show_answer(_answer())
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    texts = [w.text() for w in view.detail.widget().findChildren(type(view.title))]
    assert "Review enforcement" in texts
    assert "3 of 2 allowed" in texts
    withheld = _shown(view, T_NAME).index("Limited access: This case is restricted.")
    view.table.setCurrentIndex(view.proxy.index(withheld, 0))
    texts = [w.text() for w in view.detail.widget().findChildren(type(view.title))]
    assert texts == ["This case is restricted."]


def test_a_case_not_on_this_laptop_is_not_opened(qtbot) -> None:
    view = TeamView()
    qtbot.addWidget(view)
    view.show_answer(_answer())
    with qtbot.waitSignal(view.case_opened) as opened:
        view._open("A000001")
    assert opened.args == ["A000001"]
    view._open("A000002")
    assert "not on this laptop" in view.note.text()


def test_alerts_list_and_the_count_in_the_navigation(qtbot, request) -> None:
    view = AlertsView()
    qtbot.addWidget(view)
    rows = [
        AlertRow("c1", "A000001", "Quiet Person", dt.date(2026, 12, 1), "Police Liaison",
                 "Arrested", "N07P001", False),
        AlertRow("c2", "A000002", "Review Person", dt.date(2026, 12, 3), "Phone Contact",
                 "Missed medication", "N07P002", False),
    ]  # fmt: skip
    with qtbot.waitSignal(view.count_changed) as counted:
        view.show_alerts(rows)
    assert counted.args == [2]
    ModelTester(request.config).check(view.model, force_py=True)
    first = view.table.currentIndex().siblingAtColumn(0).data(roles.ROW)
    assert first.contact_id == "c2"  # newest first
    with qtbot.waitSignal(view.contact_opened) as opened:
        view.open_selected()
    assert opened.args == ["A000002", "c2"]
    window = MainWindow()
    qtbot.addWidget(window)
    show_count(window.nav, ALERTS, 2)
    assert window.nav.item(ALERTS).text() == nav_text(2, ALERTS) == "Alerts (2)   Ctrl+7"


def test_an_alert_opens_its_case_at_the_contact(qtbot, harness) -> None:
    h = harness().ready()
    crn = h.window.caseload.model.row_at(0).crn
    wanted = contact_id(crn, 3)
    h.window.alerts.contact_opened.emit(crn, wanted)
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    view = h.window.case_view
    qtbot.waitUntil(lambda: view.tabs.currentWidget() is view.contacts)
    qtbot.waitUntil(lambda: view.contacts.selected() is not None)
    assert view.contacts.selected().id == wanted


def test_the_cover_dialog_asks_a_reason_and_gives_the_period(qtbot) -> None:
    colleagues = [TeamOfficerRow("N07P002", "Kim Baker", 40)]
    dialog = CoverDialog(colleagues)
    qtbot.addWidget(dialog)
    dialog._check()
    assert dialog.error.text() == "Say why you are covering."
    dialog.reason.setText("Off sick")
    now = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    today = dialog.choice(now)
    assert today.visits_only
    assert (today.starts_at, today.staff_code, today.reason) == (now, "N07P002", "Off sick")
    assert today.ends_at == dt.datetime(2026, 12, 8, 0, 0, tzinfo=LONDON)
    dialog.period.setChecked(True)
    dialog.first.setDate(QDate(2026, 12, 8))
    dialog.last.setDate(QDate(2026, 12, 11))
    period = dialog.choice(now)
    assert not period.visits_only
    assert period.starts_at == dt.datetime(2026, 12, 8, 0, 0, tzinfo=LONDON)
    assert period.ends_at == dt.datetime(2026, 12, 12, 0, 0, tzinfo=LONDON)
