"""One case: the risk header, the case-work actions, then tabs.

Opening it also queued a `case_viewed` audit. Case work starts from here by keyboard:
Ctrl+N records a contact, Ctrl+O records the outcome of the selected appointment (or
of the case's appointment due one), Ctrl+Shift+O corrects one; `install_case_actions`
adds the appointment, note and details actions. Every action is also a button.
"""

from __future__ import annotations

from functools import partial
from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.changes import ChangeSet
from app.rows import CaseDetail, ContactRow
from app.tasks import TaskRunner
from app.usecases.outcomes import next_needing_outcome
from domain.errors import FieldcaseError
from ui.case_header import CaseHeader
from ui.case_tabs import overview_tab, personal_tab, risk_tab, sentence_tab
from ui.compliance_panel import CompliancePanel
from ui.contact_log import ContactLogPanel
from ui.documents_panel import DocumentsPanel
from ui.flow_layout import flow_widget
from ui.forms.appointment_actions import install_case_actions
from ui.forms.base import CaseForm
from ui.forms.contact_form import ContactForm
from ui.forms.host import FormHost
from ui.forms.outcome_form import CorrectOutcomeForm, OutcomeForm
from ui.lone_working_actions import install_lone_working
from ui.widgets import named

TABS = ("Overview", "Contact log", "Documents", "Sentence", "Risk", "Personal details")
RECORD_CONTACT_KEYS = "Ctrl+N"
RECORD_OUTCOME_KEYS = "Ctrl+O"
CORRECT_OUTCOME_KEYS = "Ctrl+Shift+O"


class CaseView(QWidget):
    closed = Signal()
    refresh_requested = Signal(str)

    def __init__(self, runner: TaskRunner, detail: CaseDetail) -> None:
        super().__init__()
        self.runner = runner
        self.crn = detail.crn
        self.detail = detail
        self.form_host = FormHost(self, runner)
        self.form_host.form_saved.connect(self._on_form_saved)
        self.form_host.form_closed.connect(self._on_form_closed)
        self.back = named(QPushButton("← Back to list"), "Back to list")
        self.back.clicked.connect(self.closed)
        self.header = CaseHeader(detail)
        self.said = named(QLabel(""), "Case message")
        self.said.setStyleSheet("font-weight:bold;")
        self.tabs = named(QTabWidget(), "Case tabs")
        self.contacts = ContactLogPanel(runner, detail.crn)
        self.documents = DocumentsPanel(runner, detail.crn, contact_of=self._selected_contact_id)
        self.compliance = CompliancePanel(runner, detail.crn)
        self._fill(detail)
        # With eight tabs the bar scrolls on a narrow window; its arrows are for the mouse
        # (Ctrl+Tab moves between tabs), so Tab from the bar still reaches the page.
        for arrow in self.tabs.tabBar().findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        # The buttons wrap onto as many lines as the width needs (150% text: three).
        self.actions_holder, self.actions_bar = flow_widget("case_actions")
        self.add_case_action("Record a contact", RECORD_CONTACT_KEYS, self.record_contact)
        self.add_case_action("Record outcome", RECORD_OUTCOME_KEYS, self.record_outcome)
        self.add_case_action("Correct outcome", CORRECT_OUTCOME_KEYS, self.correct_outcome)
        install_case_actions(self, self.open_form)
        install_lone_working(self)
        self._lay_out()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.header)
        for action in self.actions():  # ours and install_case_actions'
            button = QToolButton()
            button.setDefaultAction(action)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setText(f"{action.text()} ({keys})" if keys else action.text())
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            named(button, action.text())
            self.actions_bar.addWidget(button)
        layout.addWidget(self.actions_holder)
        layout.addWidget(self.said)
        layout.addWidget(self.tabs, 1)

    def _fill(self, detail: CaseDetail) -> None:
        pages = (
            overview_tab(detail),
            self.contacts,
            self.documents,
            sentence_tab(detail),
            risk_tab(detail),
            personal_tab(detail),
        )
        for title, page in zip(TABS, pages, strict=True):
            named(page, title)
            self.tabs.addTab(page, title)
        self.tabs.addTab(named(self.compliance, "Compliance"), "Compliance")
        self.compliance.reload()

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.contacts and not self.contacts.model.rows():
            self.contacts.reload()
        if self.tabs.widget(index) is self.documents:
            self.documents.reload()

    def show_detail(self, detail: CaseDetail) -> None:
        """Refresh in place after a change, keeping the chosen tab."""
        self.detail = detail
        current = self.tabs.currentIndex()
        layout = self.layout()
        assert layout is not None
        old = self.header
        self.header = CaseHeader(detail)
        layout.replaceWidget(old, self.header)
        old.deleteLater()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if page is not None and page not in (self.contacts, self.documents, self.compliance):
                page.deleteLater()
        self._fill(detail)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if current == TABS.index("Contact log"):
            self.contacts.load_page(self.contacts.page)
        if current == TABS.index("Documents"):
            self.documents.reload()

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches_case(self.crn):
            self.refresh_requested.emit(self.crn)

    # -- case work ------------------------------------------------------------
    def add_case_action(self, text: str, keys: str, handler: object) -> QAction:
        """A keyboard action that lives while this case is shown (also a button)."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        assert callable(handler)
        action.triggered.connect(lambda *_: handler())
        self.addAction(action)
        return action

    def _selected_contact_id(self) -> str | None:
        """Documents attached while a contact is selected in the log go on that contact."""
        row = self.selected_contact()
        return row.id if row is not None else None

    def selected_contact(self) -> ContactRow | None:
        """The contact selected in the contact log, if that tab has one selected."""
        return self.contacts.selected()

    @property
    def forms(self) -> list[CaseForm]:
        """The case-work forms open over this case."""
        return self.form_host.open

    def open_form(self, form: CaseForm) -> None:
        """Show a case-work form over this case: `run` for `install_case_actions`."""
        self.say("")  # an earlier "select an appointment..." no longer applies
        self.form_host.show(form)

    def _on_form_saved(self, form: CaseForm, result: object) -> None:
        self.say(form.saved_message(result))

    def _on_form_closed(self, _form: CaseForm) -> None:
        """Back where the officer was: the contact log's selected row if that tab is
        shown (so the next Ctrl+Shift+N acts on the same contact), else the tabs."""
        self.activateWindow()
        if self.tabs.currentWidget() is self.contacts:
            self.contacts.table.setFocus()
        else:
            self.tabs.setFocus()

    def say(self, text: str) -> None:
        """A plain message under the actions (saved, or why nothing opened)."""
        self.said.setText(text)
        self.said.setAccessibleDescription(text)

    def record_contact(self) -> None:
        self.open_form(ContactForm(self.runner, self.crn, person=self.detail.name))

    def record_outcome(self) -> None:
        """The selected appointment if it has no outcome, else the case's one due next."""
        row = self.selected_contact()
        if row is not None and row.is_appointment and not row.outcome_text:
            self._open_outcome(UUID(row.id))
            return
        self.runner.query(
            partial(next_needing_outcome, crn=self.crn),
            self._open_outcome,
            on_error=self._on_nothing_to_record,
        )

    def _open_outcome(self, contact_id: UUID) -> None:
        self.open_form(OutcomeForm(self.runner, self.crn, contact_id, person=self.detail.name))

    def _on_nothing_to_record(self, error: FieldcaseError) -> None:
        self.say(error.message)

    def correct_outcome(self) -> None:
        row = self.selected_contact()
        if row is None or not row.is_appointment or not row.outcome_text:
            self.say("Select an appointment with an outcome in the Contact log to correct it.")
            return
        form = CorrectOutcomeForm(self.runner, self.crn, UUID(row.id), person=self.detail.name)
        self.open_form(form)
