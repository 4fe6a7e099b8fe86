"""The main window: navigation on the left, the chosen list or case on the right.

It only shows things and emits what the officer asked for; `ui/shell.py` wires
those requests to the session and the use cases.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.session import ChangesWaiting
from domain.errors import FieldcaseError
from ui.alerts_view import AlertsView
from ui.attention_view import AttentionView
from ui.caseload_view import CaseloadView
from ui.diary_view import DiaryView, NeedsOutcomeView
from ui.help_menu import install_help_menu, install_text_size_menu
from ui.search_view import SearchView
from ui.sign_in import SignInScreen, UnlockScreen
from ui.status_bar import SyncStatusBar
from ui.team_view import TeamView
from ui.theme import DEMO_BANNER
from ui.today_view import TodayView
from ui.widgets import ErrorBanner, NoticeBar, named

if TYPE_CHECKING:  # the case view (and its forms) load on first use, not at start-up
    from ui.case_view import CaseView

SECTIONS = (
    "Today",
    "My caseload",
    "Diary",
    "Needs an outcome",
    "Search",
    "Needs your attention",
    "Team caseload",
    "Alerts",
)
TODAY, CASELOAD, DIARY, NEEDS_OUTCOME, SEARCH, ATTENTION, TEAM, ALERTS = range(len(SECTIONS))
DEMO_TEXT = (
    "DEMO – every person shown here is invented (synthetic data). "
    "Nothing you do reaches a real case system."
)


def flush_open_drafts() -> None:
    """`ui.forms.base.flush_open_drafts` without loading the forms at start-up: until
    that module is imported no form exists, so there is nothing to keep."""
    forms = sys.modules.get("ui.forms.base")
    if forms is not None:
        forms.flush_open_drafts()


def close_open_forms() -> None:
    """`ui.forms.base.close_open_forms`, likewise only once a form can exist."""
    forms = sys.modules.get("ui.forms.base")
    if forms is not None:
        forms.close_open_forms()


class MainWindow(QMainWindow):
    lock_requested = Signal()
    sign_out_requested = Signal()
    high_contrast_toggled = Signal(bool)
    section_shown = Signal(int)
    open_requested = Signal(str)
    text_size_chosen = Signal(int)  # per cent (View > Text size)

    def __init__(self, *, demo: bool = False, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.setWindowTitle("Fieldcase – demo with synthetic people" if demo else "Fieldcase")
        self.resize(1280, 800)
        self.sign_in = SignInScreen()
        self.unlock = UnlockScreen()
        self.today = TodayView(today)
        self.caseload = CaseloadView()
        self.diary = DiaryView(today)
        self.needs_outcome = NeedsOutcomeView()
        self.search = SearchView()
        self.attention = AttentionView()
        self.team = TeamView()
        self.alerts = AlertsView()
        self.case_view: CaseView | None = None
        self.banner = ErrorBanner()
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.status.hide()
        self.nav = named(QListWidget(), "Sections")
        self.pages = QStackedWidget()
        self.workspace = self._build_workspace()
        self.screens = QStackedWidget()
        for screen in (self.sign_in, self.unlock, self.workspace):
            self.screens.addWidget(screen)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        if demo:
            column.addWidget(named(NoticeBar(DEMO_TEXT, DEMO_BANNER), "Demo notice"))
        self.offline_notice = NoticeBar("", ("#fff4ce", "#3d2c00"))
        self.offline_notice.hide()
        column.addWidget(self.offline_notice)
        column.addWidget(self.banner)
        column.addWidget(self.screens, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_shortcuts()
        self.status.attention_requested.connect(lambda: self.show_section(ATTENTION))
        self.attention.resolved.connect(lambda said: self.status.showMessage(said, 30_000))
        self.attention.case_opened.connect(self.open_requested)

    def _build_workspace(self) -> QWidget:
        for number, title in enumerate(SECTIONS):
            self.nav.addItem(f"{title}   Ctrl+{number}")
            item = self.nav.item(number)
            item.setToolTip(f"{title} (Ctrl+{number})")
        self.nav.setFixedWidth(290)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.style_navigation(high_contrast=False)
        self.nav.currentRowChanged.connect(self.show_section)
        for page in (
            self.today, self.caseload, self.diary, self.needs_outcome, self.search, self.attention
        ):  # fmt: skip
            self.pages.addWidget(page)
        self.pages.addWidget(self.team)
        self.pages.addWidget(self.alerts)
        for view in (self.today, self.caseload, self.diary, self.needs_outcome, self.search):
            view.case_opened.connect(self.open_requested)
        self.team.case_opened.connect(self.open_requested)
        self.alerts.contact_opened.connect(lambda crn, _contact: self.open_requested.emit(crn))
        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setTabOrder(self.nav, self.caseload.filter)
        return workspace

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.sync_action = QAction("&Sync now", self, shortcut=QKeySequence("F5"))
        self.sync_action.triggered.connect(self.status.sync_requested)
        lock = QAction("&Lock", self, shortcut=QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.request_lock)
        sign_out = QAction("Sign &out…", self)
        sign_out.triggered.connect(self.sign_out_requested)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        for action in (self.sync_action, lock, sign_out, quit_action):
            file_menu.addAction(action)
        view_menu = menu.addMenu("&View")
        self.contrast_action = QAction("&High contrast", self, checkable=True)
        self.contrast_action.toggled.connect(self.high_contrast_toggled)
        self.contrast_action.toggled.connect(lambda on: self.style_navigation(high_contrast=on))
        view_menu.addAction(self.contrast_action)
        self.text_sizes = install_text_size_menu(view_menu, self)
        self.text_sizes.triggered.connect(lambda a: self.text_size_chosen.emit(int(a.data())))
        install_help_menu(self)
        # Privacy of Outlook entries: off by default (CRN, type and place only).
        self.initials_action = QAction("Calendar entries show &initials", self, checkable=True)
        view_menu.addAction(self.initials_action)

    def _build_shortcuts(self) -> None:
        for number in range(len(SECTIONS)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.show_section(n))
        for keys in ("Ctrl+K", "Ctrl+F"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.go_to_search)
        for keys in ("Alt+Left", "Escape"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.close_case)

    def request_lock(self) -> None:
        """Keep every open form as a draft first: locking closes the windows."""
        flush_open_drafts()
        self.lock_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        flush_open_drafts()  # queued before the writer is shut down, so it is written
        super().closeEvent(event)

    def style_navigation(self, *, high_contrast: bool) -> None:
        """Selected section: white on dark blue, or black on yellow in high contrast."""
        background, text = ("#ffff00", "#000000") if high_contrast else ("#1f5fa8", "#ffffff")
        self.nav.setStyleSheet(
            "QListWidget { font-size:11pt; } QListWidget::item { padding:8px; }"
            f" QListWidget::item:selected {{ background:{background}; color:{text}; }}"
        )

    # -- screens ------------------------------------------------------------
    def show_sign_in(self) -> None:
        close_open_forms()
        self.status.hide()
        self.screens.setCurrentWidget(self.sign_in)
        self.sign_in.focus_first_empty()

    def show_unlock(self, username: str) -> None:
        close_open_forms()  # a locked laptop shows no case data, forms included
        self.status.hide()
        self.close_case()
        self.screens.setCurrentWidget(self.unlock)
        self.unlock.prepare(username)

    def show_workspace(self) -> None:
        self.status.show()
        self.screens.setCurrentWidget(self.workspace)
        if self.nav.currentRow() < 0:
            self.show_section(CASELOAD)

    def show_section(self, index: int) -> None:
        self.close_case()
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(index)
        self.nav.blockSignals(False)
        self.pages.setCurrentIndex(index)
        self._focus_section(index)
        self.section_shown.emit(index)

    def _focus_section(self, index: int) -> None:
        """The keys go to the section's list (or the search box), not to the navigation."""
        if index == CASELOAD:
            self.caseload.table.setFocus()
        elif index == SEARCH:
            self.search.focus_box()

    def go_to_search(self) -> None:
        if self.screens.currentWidget() is self.workspace:
            self.show_section(SEARCH)

    def show_case(self, view: CaseView) -> None:
        self.close_case()
        self.case_view = view
        view.closed.connect(self.close_case)
        self.pages.addWidget(view)
        self.pages.setCurrentWidget(view)
        view.tabs.setFocus()

    def close_case(self) -> None:
        if self.case_view is None:
            return
        view, self.case_view = self.case_view, None
        self.pages.removeWidget(view)
        view.deleteLater()
        section = max(0, self.nav.currentRow())
        self.pages.setCurrentIndex(section)
        # Esc from a case lands back on the list it was opened from, ready for the next.
        self._focus_section(section)

    def show_error(self, error: FieldcaseError) -> None:
        self.banner.show_error(error)

    def show_offline_since(self, text: str) -> None:
        self.offline_notice.setText(text)
        self.offline_notice.setVisible(bool(text))

    def confirm_sign_out(self, waiting: ChangesWaiting) -> bool:
        """Ask before signing out with changes waiting; they are kept either way."""
        answer = QMessageBox.question(
            self,
            waiting.title,
            waiting.message + "\n\nSign out now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
