"""My appointments by day or week, and the ones that still need an outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.rows import DiaryRow
from app.tasks import TaskRunner
from app.usecases.caseload import load_diary, load_needs_outcome, week_of
from ui import format as fmt
from ui.case_table import CaseTable
from ui.diary_calendar import DiaryCalendarKeys
from ui.models.diary import DiaryModel
from ui.widgets import named

if TYPE_CHECKING:  # the forms load when one opens, not at start-up
    from ui.forms.base import CaseForm
    from ui.forms.host import FormHost


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size:16pt; font-weight:bold;")
    return label


def _size_columns(table: CaseTable) -> None:
    for column, width in ((0, 95), (1, 100), (2, 180), (3, 80), (4, 230), (5, 110)):
        table.setColumnWidth(column, width)


class OutcomeOpener:
    """Opens the outcome form of a diary row over a list (one `FormHost` per session)."""

    def __init__(
        self,
        view: QWidget,
        table: CaseTable,
        on_saved: Callable[[], None],
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.view = view
        self.table = table
        self.on_saved = on_saved
        self.say = say
        self.host: FormHost | None = None

    def open(self, runner: TaskRunner | None, item: DiaryRow) -> None:
        if runner is None:
            return
        from ui.forms.host import FormHost
        from ui.forms.outcome_form import OutcomeForm

        if self.host is None or self.host.runner is not runner:
            self.host = FormHost(self.view, runner)  # a new session after a lock
            self.host.form_saved.connect(self._on_saved)
            self.host.form_closed.connect(self._on_closed)
        form = OutcomeForm(runner, item.crn, UUID(item.contact_id), person=item.name)
        self.host.show(form)

    @property
    def forms(self) -> list[CaseForm]:
        return self.host.open if self.host is not None else []

    def _on_saved(self, form: CaseForm, result: object) -> None:
        if self.say is not None:  # the row leaves the list: say what was saved, and for whom
            self.say(f"{form.person}: {form.saved_message(result)}")
        self.on_saved()

    def _on_closed(self, _form: CaseForm) -> None:
        self.view.activateWindow()
        self.table.setFocus()


class _ListView(QWidget):
    """A list page whose table takes the keyboard as soon as the page is shown, so
    Ctrl+2 / Ctrl+3 then Enter or arrow keys work without a Tab hunt."""

    table: CaseTable

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)


class DiaryView(_ListView):
    """My appointments by day or week. Enter opens the case; Ctrl+O records the
    selected appointment's outcome without leaving the diary; Ctrl+PgUp / Ctrl+PgDown
    step a day (or week), Ctrl+T comes back to today, Alt+W switches day and week."""

    case_opened = Signal(str)
    week_view_toggled = Signal(bool)  # the officer switched to the week (True) or the day

    def __init__(self, today: Callable[[], dt.date]) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self._today = today
        self.day = today()
        self.week = False
        self.model = DiaryModel()
        self.table = named(CaseTable(), "Diary table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        _size_columns(self.table)
        self.table.row_activated.connect(self._open)
        self.outcomes = OutcomeOpener(self, self.table, self.reload)
        shortcut = QShortcut(QKeySequence("Ctrl+O"), self.table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.record_outcome)
        self.when = named(QLabel(""), "Diary period")
        self.when.setStyleSheet("font-size:12pt; font-weight:bold;")
        self.previous = named(QPushButton("◀ Previous (Ctrl+PgUp)"), "Previous day or week")
        self.today_button = named(QPushButton("Today (Ctrl+T)"), "Go to today")
        self.next = named(QPushButton("Next ▶ (Ctrl+PgDown)"), "Next day or week")
        self.toggle = named(QPushButton("Show week (Alt+W)"), "Switch between day and week")
        for button, keys, handler in (
            (self.previous, "Ctrl+PgUp", lambda: self.step(-1)),
            (self.today_button, "Ctrl+T", self.go_today),
            (self.next, "Ctrl+PgDown", lambda: self.step(1)),
            (self.toggle, "Alt+W", self.toggle_week),
        ):
            button.clicked.connect(handler)
            key = QShortcut(QKeySequence(keys), self)  # from the table too: no Tab hunt
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(handler)
        bar = QHBoxLayout()
        for widget in (self.previous, self.today_button, self.next):
            bar.addWidget(widget)
        bar.addWidget(self.when, 1)
        bar.addWidget(self.toggle)
        # An empty day said in words: empty columns alone read as "still loading".
        self.empty = named(QLabel(""), "Diary empty")
        self.empty.setStyleSheet("font-size:12pt;")
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Diary"))
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.calendar_keys = DiaryCalendarKeys(self)

    def _open(self, contact_id: str) -> None:
        row = self.model.row_of_key(contact_id)
        if row is not None:
            self.case_opened.emit(self.model.row_at(row).crn)

    def record_outcome(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.outcomes.open(self.runner, self.model.row_at(index.row()))

    def step(self, steps: int) -> None:
        self.day += dt.timedelta(days=7 * steps if self.week else steps)
        self.reload()

    def go_today(self) -> None:
        self.day = self._today()
        self.reload()

    def toggle_week(self) -> None:
        self.show_week(not self.week)
        self.week_view_toggled.emit(self.week)

    def show_week(self, week: bool) -> None:
        """The week (or the day) around the day shown; also how the last run left it."""
        self.week = week
        self.toggle.setText("Show day (Alt+W)" if week else "Show week (Alt+W)")
        self.reload()

    def reload(self) -> None:
        if self.week:
            start, end = week_of(self.day)
            self.when.setText(f"Week of {fmt.short_day(start)} – {fmt.short_day(end)}")
        else:
            self.when.setText(f"{self.day:%A} {fmt.day(self.day)}")
        if self.runner is not None:
            use = partial(load_diary, day=self.day, week=self.week)
            self.runner.query(use, self._on_rows_loaded, key="diary")

    def _on_rows_loaded(self, rows: Sequence[DiaryRow]) -> None:
        self.model.set_rows(rows)
        when = f"on {self.day:%A} {fmt.day(self.day)}"
        if self.week:
            start, end = week_of(self.day)
            when = f"in the week of {fmt.short_day(start)} – {fmt.short_day(end)}"
        self.empty.setText(f"Nothing booked {when}.")
        self.empty.setVisible(not rows)


class NeedsOutcomeView(_ListView):
    """Every past appointment without an outcome, oldest first, recordable from the list:
    Enter on a row opens its outcome form; the row goes once the outcome is saved.
    Ctrl+Enter (or the button) opens the case instead."""

    case_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self.model = DiaryModel()
        self.summary = named(QLabel(""), "Needs an outcome summary")
        self.table = named(CaseTable(), "Needs an outcome table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        _size_columns(self.table)
        self.table.row_activated.connect(self.record_outcome)
        self.said = named(QLabel(""), "Needs an outcome message")
        self.said.setStyleSheet("font-weight:bold;")
        self.outcomes = OutcomeOpener(self, self.table, self.reload, self.say)
        self.open_case = named(QPushButton("Open the case (Ctrl+Enter)"), "Open the case")
        self.open_case.clicked.connect(self._open_current_case)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._open_current_case)
        hint = QLabel("Enter records the outcome of the selected appointment.")
        bar = QHBoxLayout()
        bar.addWidget(hint, 1)
        bar.addWidget(self.open_case)
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Needs an outcome"))
        layout.addWidget(self.summary)
        layout.addWidget(self.said)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.table, self.open_case)  # the list first, then its button

    def say(self, text: str) -> None:
        """What was just saved (its row has left the list)."""
        self.said.setText(text)
        self.said.setAccessibleDescription(text)

    def record_outcome(self, contact_id: str) -> None:
        row = self.model.row_of_key(contact_id)
        if row is not None:
            self.outcomes.open(self.runner, self.model.row_at(row))

    @property
    def forms(self) -> list[CaseForm]:
        return self.outcomes.forms

    def _open_current_case(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.case_opened.emit(self.model.row_at(index.row()).crn)

    def reload(self) -> None:
        if self.runner is not None:
            self.runner.query(load_needs_outcome, self.show_rows, key="needs-outcome")

    def show_rows(self, rows: Sequence[DiaryRow]) -> None:
        current = max(self.table.currentIndex().row(), 0)
        self.model.set_rows(rows)
        if rows:  # stay where the officer was: the next appointment takes the row's place
            self.table.setCurrentIndex(self.model.index(min(current, len(rows) - 1), 0))
        if rows:
            self.summary.setText(
                f"{fmt.count(len(rows), 'past appointment')} without an outcome, oldest first"
            )
        else:
            self.summary.setText("Every past appointment has an outcome.")
