"""Today: the officer's visits in time order, with the risk that matters at the door.

The first item in the navigation (Ctrl+0). Enter opens the case; Ctrl+R records the
selected visit (its outcome form, as from the diary); Ctrl+G records "going to this
visit" back by the time in the box, Ctrl+B "back safe"; Ctrl+P saves the selected
visit's briefing as a PDF, Ctrl+Shift+P the whole day's, Ctrl+Alt+P prints the day's.
Ctrl+PgDown shows tomorrow (one key away), Ctrl+PgUp the day before, Ctrl+T today.
Rows come from an app-layer use case run off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from app.rows import DiaryRow
from app.tasks import TaskRunner
from app.today_rows import DayPlan, VisitRow
from domain.errors import FieldcaseError
from domain.parsing import parse_time
from ui import format as fmt
from ui.case_table import CaseTable
from ui.diary_view import OutcomeOpener, _ListView
from ui.models.today import TodayModel
from ui.today_detail import detail_html
from ui.widgets import named

if TYPE_CHECKING:  # the use cases (mutations) and the PDF writer load on first use
    from ui.briefing_actions import BriefingActions, ChoosePath

KEYS = (
    ("Ctrl+R", "Record the visit"),
    ("Ctrl+G", "Going to this visit"),
    ("Ctrl+B", "Back safe"),
    ("Ctrl+P", "Briefing (PDF)"),
    ("Ctrl+Shift+P", "Day's briefing (PDF)"),
    ("Ctrl+Alt+P", "Print the day's briefing"),
)


def _diary_row(row: VisitRow) -> DiaryRow:
    return DiaryRow(
        row.contact_id, row.crn, row.name, row.date, row.start_time, row.end_time,
        row.type_text, row.place, row.outcome_text, row.waiting_to_send,
    )  # fmt: skip


class TodayView(_ListView):
    case_opened = Signal(str)

    def __init__(
        self, today: Callable[[], dt.date], *, choose_path: ChoosePath | None = None
    ) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self._today = today
        self.day = today()
        self.model = TodayModel()
        self.table = named(CaseTable(), "Today's visits")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 95), (1, 200), (2, 150), (3, 220), (4, 330), (5, 200)):
            self.table.setColumnWidth(column, width)
        self.table.row_activated.connect(self._open)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        # A text browser lays the rich text out once; a word-wrapped QLabel in a scroll area
        # measured its height again and again (~30 ms of Today's first paint).
        self.detail = named(QTextBrowser(), "Selected visit in full")
        self.detail.setHtml(detail_html(None))
        self.when = named(QLabel(""), "Day shown")
        self.when.setStyleSheet("font-size:12pt; font-weight:bold;")
        self.said = named(QLabel(""), "Today message")
        self.said.setWordWrap(True)
        self.back_by = named(QLineEdit(), "Expected back by", "A time such as 15:30")
        self.back_by.setPlaceholderText("back by, e.g. 15:30")
        self.back_by.setMaximumWidth(150)
        self.outcomes = OutcomeOpener(self, self.table, self.reload, self.say)
        self._choose_path = choose_path
        self._briefings: BriefingActions | None = None
        self._build()

    @property
    def briefings(self) -> BriefingActions:
        if self._briefings is None:
            from ui.briefing_actions import BriefingActions

            self._briefings = BriefingActions(self, self._choose_path)
            self._briefings.done.connect(self.say)
        return self._briefings

    # -- layout ---------------------------------------------------------------
    def _build(self) -> None:
        days = QHBoxLayout()
        for text, keys, handler in (
            ("◀ Day before (Ctrl+PgUp)", "Ctrl+PgUp", lambda: self.step(-1)),
            ("Today (Ctrl+T)", "Ctrl+T", self.go_today),
            ("Next day ▶ (Ctrl+PgDown)", "Ctrl+PgDown", lambda: self.step(1)),
        ):
            days.addWidget(self._button(text, keys, handler))
        days.addWidget(self.when, 1)
        actions, briefings = QHBoxLayout(), QHBoxLayout()
        handlers = (
            self.record_visit,
            self.going,
            self.back_safe,
            self.save_visit_briefing,
            self.save_day_briefing,
            self.print_day_briefing,
        )
        for n, ((keys, text), handler) in enumerate(zip(KEYS, handlers, strict=True)):
            row = actions if n < 3 else briefings  # two short rows: fits a 1366 px screen
            row.addWidget(self._button(f"{text} ({keys})", keys, handler))
            if keys == "Ctrl+G":
                row.addWidget(self.back_by)
        actions.addStretch(1)
        briefings.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([420, 260])
        title = QLabel("Today")
        title.setStyleSheet("font-size:16pt; font-weight:bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(days)
        layout.addLayout(actions)
        layout.addLayout(briefings)
        layout.addWidget(self.said)
        layout.addWidget(split, 1)

    def _button(self, text: str, keys: str, handler: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(text), text.split(" (", maxsplit=1)[0])
        button.clicked.connect(handler)
        key = QShortcut(QKeySequence(keys), self)  # from the table too: no Tab hunt
        key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        key.activated.connect(handler)
        return button

    # -- the day ----------------------------------------------------------------
    def step(self, days: int) -> None:
        self.day += dt.timedelta(days=days)
        self.reload()

    def go_today(self) -> None:
        self.day = self._today()
        self.reload()

    def reload(self) -> None:
        label = "Today" if self.day == self._today() else f"{self.day:%A}"
        self.when.setText(f"{label}, {fmt.day(self.day)}")
        if self.runner is not None:
            from app.usecases.today import load_day

            self.runner.query(partial(load_day, day=self.day), self.show_plan, key="today")

    def show_plan(self, plan: DayPlan) -> None:
        if plan.day != self.day:
            return  # an answer for a day no longer shown
        current = self.current()
        self.model.set_rows(plan.rows)
        keep = self.model.row_of_key(current.contact_id) if current is not None else None
        if plan.rows:
            self.table.setCurrentIndex(self.model.index(keep or 0, 0))
        self._show_detail()
        if not plan.rows:
            self.say(f"No appointments on {fmt.day(plan.day)}.")

    def current(self) -> VisitRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.current()
        self.detail.setHtml(detail_html(row))
        if row is not None and row.end_time is not None:
            back = dt.datetime.combine(row.date, row.end_time) + dt.timedelta(minutes=30)
            self.back_by.setText(f"{back:%H:%M}")

    def say(self, text: str) -> None:
        self.said.setText(text)
        self.said.setAccessibleDescription(text)

    # -- actions ------------------------------------------------------------------
    def _open(self, contact_id: str) -> None:
        row = self.model.row_of_key(contact_id)
        if row is not None:
            self.case_opened.emit(self.model.row_at(row).crn)

    def record_visit(self) -> None:
        row = self.current()
        if row is not None:
            self.outcomes.open(self.runner, _diary_row(row))

    def going(self) -> None:
        row = self.current()
        if row is None or self.runner is None:
            return
        try:
            back = parse_time(self.back_by.text(), field="expected_back")
        except FieldcaseError as error:
            self.say(error.message)
            return
        from app.usecases.today import going_to_visit

        use = partial(going_to_visit, crn=row.crn, expected_back=back)
        done = f"Going to {row.name}: expected back by {back:%H:%M}. Sync to share it."
        self.runner.op(use, lambda _c: self._done(done), on_error=self._failed)

    def back_safe(self) -> None:
        row = self.current()
        if row is not None and self.runner is not None:
            from app.usecases.today import back_safe

            use = partial(back_safe, crn=row.crn)
            self.runner.op(use, lambda _c: self._done("Back safe recorded."), on_error=self._failed)

    def _done(self, text: str) -> None:
        self.say(text)
        self.reload()

    def _failed(self, error: FieldcaseError) -> None:
        self.say(error.message)

    def save_visit_briefing(self) -> None:
        row = self.current()
        if row is not None:
            self.briefings.save(self.runner, self.day, [row.contact_id])

    def save_day_briefing(self) -> None:
        self.briefings.save(self.runner, self.day)

    def print_day_briefing(self) -> None:
        self.briefings.print(self.runner, self.day)

    def show_rows(self, rows: Sequence[VisitRow]) -> None:
        """For tests and the bench: show rows without a runner."""
        self.show_plan(DayPlan(self.day, tuple(rows)))
