from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar

from domain.mutations import CaseViewed
from ui.case_view import TABS
from ui.widgets import BadgeLabel


def _open(qtbot, h, crn="X100003"):
    h.window.open_requested.emit(crn)
    qtbot.waitUntil(lambda: h.window.case_view is not None)
    return h.window.case_view


def test_opening_a_case_shows_risk_first_and_audits_the_view(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    badges = [b.text() for b in view.header.findChildren(BadgeLabel)]
    assert badges[:3] == ["Risk to staff", "Low RoSH", "MAPPA level 2, category 1"]
    texts = " ".join(label.text() for label in view.header.findChildren(QLabel))
    assert "CRN X100003" in texts
    assert "age 36" in texts
    assert "1 change waiting to send" in texts
    name, args = h.backend.cache.applied[-1]
    assert name == "case_viewed"
    assert isinstance(args, CaseViewed)
    assert args.crn == "X100003"


def test_every_tab_is_there_and_progress_shows_in_words(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == list(TABS)
    bars = {b.accessibleName(): b.text() for b in view.tabs.widget(0).findChildren(QProgressBar)}
    assert bars == {
        "RAR days": "8 of 20 days done, 2 booked",
        "Unpaid work hours": "42.5 of 120 hours done",
    }


def test_contact_log_pages_filters_and_marks(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    view.tabs.setCurrentIndex(TABS.index("Contact log"))
    log = view.contacts
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 1–50 of 120")
    assert log.model.index(0, 4).data() == "Sensitive, Waiting to send"
    assert not log.previous.isEnabled()
    qtbot.mouseClick(log.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 51–100 of 120")
    log.sensitive.setChecked(True)
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 1–12 of 12")
    log.sensitive.setChecked(False)
    qtbot.keyClicks(log.search, "housing")
    qtbot.waitUntil(lambda: log.where.text() == "Contacts 1–40 of 40")


def test_escape_goes_back_to_the_list(qtbot, harness):
    h = harness().ready()
    view = _open(qtbot, h)
    qtbot.mouseClick(view.back, Qt.MouseButton.LeftButton)
    assert h.window.case_view is None
    assert h.window.pages.currentWidget() is h.window.caseload


def test_a_case_no_longer_here_is_an_inline_message(qtbot, harness):
    h = harness().ready()
    h.window.open_requested.emit("Z999999")
    qtbot.waitUntil(h.window.banner.isVisible)
    assert h.window.banner.title.text() == "Case not on this laptop"
    assert h.window.case_view is None
