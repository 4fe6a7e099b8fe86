"""Case-view actions for appointments, rescheduling, notes and personal details.

`ui/case_view.py` calls `install_case_actions(view, run)` once, when a case view is
built (see `ui/forms/base.py` for the contract: `view.runner`, `view.crn`,
`view.detail`, `view.selected_contact()`, and `run(form)` to show a form). The
shortcuts live while the case is shown:

- Ctrl+Shift+A  arrange an appointment (defaults: the same again next week)
- Ctrl+Shift+R  reschedule the appointment selected in the contact log, else the
  case's next booked one (the form names the one it moves)
- Ctrl+Shift+N  add to the notes of the contact selected in the contact log
- Ctrl+Shift+D  update phone, mobile, email and address (also a button on the
  Personal details tab)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFormLayout, QPushButton, QScrollArea, QWidget

from app.usecases import appointments as uc
from ui.forms.appointment_form import AppointmentForm
from ui.forms.details_form import DetailsForm
from ui.forms.note_form import NoteForm
from ui.forms.reschedule_form import RescheduleForm
from ui.widgets import named

log = logging.getLogger(__name__)

ARRANGE_KEYS = "Ctrl+Shift+A"
RESCHEDULE_KEYS = "Ctrl+Shift+R"
NOTE_KEYS = "Ctrl+Shift+N"
DETAILS_KEYS = "Ctrl+Shift+D"
DETAILS_BUTTON = "Update contact details and address"


def _person(view: Any) -> str:
    detail = getattr(view, "detail", None)
    return str(getattr(detail, "name", "") or view.crn)


def _tell(view: Any, text: str) -> None:
    """Say why nothing opened, where the case view says things (never a modal box)."""
    say = getattr(view, "say", None)
    if callable(say):
        say(text)
    else:
        view.setToolTip(text)
        log.info("case action not possible: %s", text)


def _action(view: QWidget, text: str, keys: str, handler: Callable[[], None]) -> QAction:
    action = QAction(text, view)
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda *_: handler())
    view.addAction(action)
    return action


def install_case_actions(view: Any, run: Callable[[Any], None]) -> None:
    """Attach the arrange / reschedule / note / details shortcuts to `view`."""

    def arrange() -> None:
        run(AppointmentForm(view.runner, view.crn, person=_person(view)))

    def reschedule() -> None:
        """The appointment selected in the contact log, else the case's next booked one."""
        row = view.selected_contact()
        if row is not None and row.is_appointment:
            move(row.id)
            return
        view.runner.query(
            partial(uc.next_booked, crn=view.crn),
            move,
            on_error=lambda error: _tell(view, error.message),
        )

    def move(contact_id: Any) -> None:
        run(RescheduleForm(view.runner, view.crn, contact_id, person=_person(view)))

    def note() -> None:
        row = view.selected_contact()
        if row is None:
            _tell(view, "Select a contact in the contact log to add to its notes.")
            return
        run(NoteForm(view.runner, view.crn, row.id, person=_person(view)))

    def details() -> None:
        run(DetailsForm(view.runner, view.crn, person=_person(view)))

    view.case_actions = {
        "arrange": _action(view, "Arrange an appointment", ARRANGE_KEYS, arrange),
        "reschedule": _action(view, "Reschedule the appointment", RESCHEDULE_KEYS, reschedule),
        "note": _action(view, "Add to the notes", NOTE_KEYS, note),
        "details": _action(view, DETAILS_BUTTON, DETAILS_KEYS, details),
    }
    tabs = getattr(view, "tabs", None)
    if tabs is not None:
        # The tab bar's own signal: it still fires while a refresh rebuilds the tabs with
        # the tab widget's signals blocked, so the button is back on the new page.
        bar = tabs.tabBar()
        bar.currentChanged.connect(lambda *_: _add_details_button(view, details))


def _add_details_button(view: Any, details: Callable[[], None]) -> None:
    """A button on the Personal details tab (the tab is rebuilt on refresh, so on show)."""
    page = view.tabs.currentWidget()
    if page is None or page.accessibleName() != "Personal details":
        return
    inner = page.widget() if isinstance(page, QScrollArea) else page
    if inner is None or inner.findChild(QPushButton, "update_details") is not None:
        return
    layout = inner.layout()
    if not isinstance(layout, QFormLayout):
        return
    button = named(QPushButton(f"Update details ({DETAILS_KEYS})"), DETAILS_BUTTON)
    button.setObjectName("update_details")
    button.clicked.connect(details)
    layout.addRow("", button)
