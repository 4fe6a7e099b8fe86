"""One case: the risk header, then tabs. Opening it also queued a `case_viewed` audit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.changes import ChangeSet
from app.rows import CaseDetail
from app.tasks import TaskRunner
from ui.case_header import CaseHeader
from ui.case_tabs import overview_tab, personal_tab, risk_tab, sentence_tab
from ui.contact_log import ContactLogPanel
from ui.widgets import named

TABS = ("Overview", "Contact log", "Sentence", "Risk", "Personal details")


class CaseView(QWidget):
    closed = Signal()
    refresh_requested = Signal(str)

    def __init__(self, runner: TaskRunner, detail: CaseDetail) -> None:
        super().__init__()
        self.runner = runner
        self.crn = detail.crn
        self.back = named(QPushButton("← Back to list"), "Back to list")
        self.back.clicked.connect(self.closed)
        self.header = CaseHeader(detail)
        self.tabs = named(QTabWidget(), "Case tabs")
        self.contacts = ContactLogPanel(runner, detail.crn)
        self._fill(detail)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)

    def _fill(self, detail: CaseDetail) -> None:
        pages = (
            overview_tab(detail),
            self.contacts,
            sentence_tab(detail),
            risk_tab(detail),
            personal_tab(detail),
        )
        for title, page in zip(TABS, pages, strict=True):
            named(page, title)
            self.tabs.addTab(page, title)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.contacts and not self.contacts.model.rows():
            self.contacts.reload()

    def show_detail(self, detail: CaseDetail) -> None:
        """Refresh in place after a change, keeping the chosen tab."""
        current = self.tabs.currentIndex()
        layout = self.layout()
        assert layout is not None
        old = self.header
        self.header = CaseHeader(detail)
        layout.replaceWidget(old, self.header)
        old.deleteLater()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if page is not None and page is not self.contacts:
                page.deleteLater()
        self._fill(detail)
        self.tabs.setCurrentIndex(current)
        if current == TABS.index("Contact log"):
            self.contacts.load_page(self.contacts.page)

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches_case(self.crn):
            self.refresh_requested.emit(self.crn)
